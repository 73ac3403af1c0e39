// `ws` (installed with @fastify/websocket) ships no types and @types/ws is not a dependency: the
// client surface the tests use, declared here rather than typed as any.
declare module 'ws' {
  import type { EventEmitter } from 'node:events';
  import type { ClientRequest, IncomingMessage, OutgoingHttpHeaders } from 'node:http';

  export type RawData = Buffer | ArrayBuffer | Buffer[];

  export interface ClientOptions {
    headers?: OutgoingHttpHeaders;
  }

  export class WebSocket extends EventEmitter {
    static readonly OPEN: 1;
    constructor(address: string, protocols?: string | string[], options?: ClientOptions);
    readonly readyState: number;
    readonly bufferedAmount: number;
    readonly protocol: string;
    send(data: string | Buffer, options?: { binary?: boolean }): void;
    close(code?: number, reason?: string): void;
    terminate(): void;
    ping(): void;
    on(event: 'open' | 'pong', listener: () => void): this;
    on(event: 'message', listener: (data: RawData, isBinary: boolean) => void): this;
    on(event: 'close', listener: (code: number, reason: Buffer) => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
    on(
      event: 'unexpected-response',
      listener: (request: ClientRequest, response: IncomingMessage) => void,
    ): this;
  }

  export interface ServerOptions {
    maxPayload?: number;
    handleProtocols?: (protocols: Set<string>, request: IncomingMessage) => string | false;
  }

  export class Server extends EventEmitter {
    readonly clients: Set<WebSocket>;
    close(callback?: () => void): void;
  }

  export default WebSocket;
}
