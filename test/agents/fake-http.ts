// The part both fake LLM servers share: a node:http server on 127.0.0.1:0 that records every
// request and answers from a script, in order. What a reply looks like on the wire is up to each fake.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The body exactly as received. */
  raw: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  body: unknown;
}

/** What a scripted turn does: answer with text, fail with an HTTP error, or never answer. */
export type ScriptedReply =
  | { text: string; usage?: { input: number; output: number } }
  | { status: number; message: string; headers?: Record<string, string> }
  | { hang: true };

export interface JsonAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface FakeServer {
  /** The base URL to configure the client with. */
  url: string;
  requests: RecordedRequest[];
  /** Queue replies; each request takes the next one. */
  reply(...replies: ScriptedReply[]): void;
  /** Replies not yet taken. */
  pending(): number;
  close(): Promise<void>;
}

/**
 * `answer` turns a request into a response: its own checks (path, auth, required headers) first,
 * then the scripted reply, or `respond` when the script is empty, so a longer test (an end-to-end
 * deploy) can answer by content instead of by order.
 */
export async function startFakeServer(
  basePath: string,
  answer: (request: RecordedRequest, scripted: () => ScriptedReply | undefined) => JsonAnswer | 'hang',
): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const script: ScriptedReply[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        body = undefined;
      }
      const recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, raw, body };
      requests.push(recorded);
      const result = answer(recorded, () => script.shift());
      if (result !== 'hang') send(res, result);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${basePath}`,
    requests,
    reply: (...replies) => script.push(...replies),
    pending: () => script.length,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, answer: JsonAnswer): void {
  const text = JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...answer.headers,
  });
  res.end(text);
}

/** The header as one string (node joins repeated headers into arrays for some names). */
export function header(request: RecordedRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}
