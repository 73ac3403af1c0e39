import type { FastifyRequest } from 'fastify';

/**
 * The key a client presented: `Authorization: Bearer <key>` or `X-API-Key: <key>`. Undefined when
 * neither header is there; a malformed value is returned as it is and fails authentication.
 */
export function presentedKey(request: FastifyRequest): string | undefined {
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string' && authorization !== '') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match?.[1] ?? authorization;
  }
  const header = request.headers['x-api-key'];
  const value = Array.isArray(header) ? header[0] : header;
  return value === undefined || value === '' ? undefined : value;
}
