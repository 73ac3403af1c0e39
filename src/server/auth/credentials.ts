import type { FastifyRequest } from 'fastify';

/**
 * Browsers cannot set headers on a WebSocket, only subprotocols: an upgrade may carry the key as
 * the subprotocol `automatos.key.<key>`. Keys are base64url, so they are valid protocol tokens.
 */
export const KEY_SUBPROTOCOL_PREFIX = 'automatos.key.';

/** The key offered as a subprotocol of a WebSocket upgrade; ignored on every other request. */
function subprotocolKey(request: FastifyRequest): string | undefined {
  if (request.headers.upgrade?.toLowerCase() !== 'websocket') return undefined;
  const header = request.headers['sec-websocket-protocol'];
  if (typeof header !== 'string') return undefined;
  const offered = header
    .split(',')
    .map((p) => p.trim())
    .find((p) => p.startsWith(KEY_SUBPROTOCOL_PREFIX));
  const key = offered?.slice(KEY_SUBPROTOCOL_PREFIX.length);
  return key === undefined || key === '' ? undefined : key;
}

/**
 * The key a client presented: `Authorization: Bearer <key>` or `X-API-Key: <key>`, or on a
 * WebSocket upgrade the subprotocol `automatos.key.<key>`. Undefined when none is there; a
 * malformed value is returned as it is and fails authentication.
 */
export function presentedKey(request: FastifyRequest): string | undefined {
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string' && authorization !== '') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match?.[1] ?? authorization;
  }
  const header = request.headers['x-api-key'];
  const value = Array.isArray(header) ? header[0] : header;
  return value === undefined || value === '' ? subprotocolKey(request) : value;
}
