import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { AutomatosError } from '../../core/index.js';
import { URL_ENV, type RemoteSettings } from './config.js';
import { serverError, unreachable } from './errors.js';

type Query = Record<string, string | number | undefined>;

interface SendOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Socket inactivity after which the request is dropped (an event stream's heartbeat keeps it alive). */
  idleTimeoutMs?: number;
}

/** A larger answer is not one this API gives: refuse it rather than hold it all in memory. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

/**
 * The HTTP client of remote mode, on node:http rather than fetch: fetch gives up on an answer after
 * five minutes of waiting for headers, and `exec --timeout`, rollbacks and target checks may take longer.
 * Every request carries the key as a bearer token; the key appears in no message and no URL.
 */
export class RemoteClient {
  /** The server's address as messages show it. */
  readonly origin: string;

  constructor(private readonly settings: RemoteSettings) {
    const { base } = settings;
    this.origin = `${base.origin}${base.pathname === '/' ? '' : base.pathname.replace(/\/$/, '')}`;
  }

  /** One JSON request; resolves with the parsed answer (undefined for 204), throws the server's error. */
  async request(method: string, path: string, options: Omit<SendOptions, 'headers'> = {}): Promise<unknown> {
    const response = await this.send(method, path, { ...options, headers: { accept: 'application/json' } });
    const text = await this.read(response);
    const status = response.statusCode ?? 0;
    if (status < 200 || status >= 300) {
      throw serverError(this.origin, status, response.statusMessage ?? '', text);
    }
    if (status === 204 || text === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new AutomatosError(
        'AUT_REMOTE',
        `the server at ${this.origin} answered ${method} ${path} with something other than JSON ` +
          `(is ${URL_ENV} the address of \`automatos serve\`?)`,
      );
    }
  }

  /** Opens an event stream; resolves once the server answers 200, with the body still streaming. */
  async events(path: string, lastEventId: number, signal?: AbortSignal): Promise<IncomingMessage> {
    const response = await this.send('GET', path, {
      headers: { accept: 'text/event-stream', 'last-event-id': String(lastEventId) },
      idleTimeoutMs: 45_000,
      ...(signal === undefined ? {} : { signal }),
    });
    if (response.statusCode !== 200) {
      throw serverError(
        this.origin,
        response.statusCode ?? 0,
        response.statusMessage ?? '',
        await this.read(response),
      );
    }
    return response;
  }

  private url(path: string, query: Query = {}): URL {
    const url = new URL(path.replace(/^\//, ''), this.settings.base);
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url;
  }

  private send(method: string, path: string, options: SendOptions): Promise<IncomingMessage> {
    const url = this.url(path, options.query);
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const open = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const request = open(
        url,
        {
          method,
          // One connection per request: no pooled socket the server may have closed meanwhile.
          agent: false,
          headers: {
            authorization: `Bearer ${this.settings.key.reveal()}`,
            ...(payload === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
            ...options.headers,
          },
          ...(options.signal === undefined ? {} : { signal: options.signal }),
        },
        resolve,
      );
      if (options.idleTimeoutMs !== undefined) {
        request.setTimeout(options.idleTimeoutMs, () =>
          request.destroy(Object.assign(new Error('no data for too long'), { code: 'ETIMEDOUT' })),
        );
      }
      request.on('error', (error) =>
        reject(options.signal?.aborted ? error : unreachable(this.origin, error)),
      );
      request.end(payload);
    });
  }

  private async read(response: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of response) {
        size += (chunk as Buffer).length;
        if (size > MAX_BODY_BYTES) {
          response.destroy();
          throw new AutomatosError('AUT_REMOTE', `the server at ${this.origin} sent an answer over 64 MiB`);
        }
        chunks.push(chunk as Buffer);
      }
    } catch (error) {
      throw error instanceof AutomatosError ? error : unreachable(this.origin, error);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
}
