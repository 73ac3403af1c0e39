// A TCP relay on loopback in front of a real server, so a test can cut the connections passing
// through it (a dropped stream) or refuse new ones for a while (a server that restarts).
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface Proxy {
  url: string;
  /** Connections that asked for an event stream (`GET …/events`). */
  streams(): number;
  /** Resolves once `count` SSE log frames went through since the proxy started. */
  logFrames(count: number): Promise<void>;
  /** Destroys every open connection; new ones are still accepted. */
  cut(): void;
  /** Destroys every open connection and refuses new ones for `ms` (connection refused), then listens again. */
  down(ms: number): Promise<void>;
  close(): Promise<void>;
}

export async function startProxy(upstream: string): Promise<Proxy> {
  const target = new URL(upstream);
  const open = new Set<Socket>();
  let streams = 0;
  let logFrames = 0;
  const waiters: { count: number; resolve: () => void }[] = [];
  const relay = (client: Socket): void => {
    const server = createConnection({ host: target.hostname, port: Number(target.port) });
    open.add(client);
    open.add(server);
    client.once('data', (first: Buffer) => {
      if (/^GET \S+\/events /.test(first.toString('latin1'))) streams += 1;
    });
    server.on('data', (chunk: Buffer) => {
      logFrames += chunk.toString('utf8').split('event: log\n').length - 1;
      for (const w of waiters.filter((x) => logFrames >= x.count)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    });
    client.pipe(server).pipe(client);
    const drop = (): void => {
      client.destroy();
      server.destroy();
      open.delete(client);
      open.delete(server);
    };
    client.on('error', drop).on('close', drop);
    server.on('error', drop).on('close', drop);
  };
  let listener: Server = createServer(relay);
  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(port, '127.0.0.1', () => {
        const address = listener.address();
        resolve(typeof address === 'object' && address !== null ? address.port : 0);
      });
    });
  const port = await listen(0);
  const cut = (): void => {
    for (const socket of open) socket.destroy();
    open.clear();
  };
  const closeListener = (): Promise<void> => new Promise((resolve) => listener.close(() => resolve()));
  return {
    url: `http://127.0.0.1:${port}`,
    streams: () => streams,
    logFrames: (count) =>
      logFrames >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve })),
    cut,
    down: async (ms) => {
      const closed = closeListener();
      cut();
      await closed;
      await new Promise((resolve) => setTimeout(resolve, ms));
      listener = createServer(relay);
      await listen(port);
    },
    close: async () => {
      const closed = closeListener();
      cut();
      await closed;
    },
  };
}
