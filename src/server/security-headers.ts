import fastifyHelmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';
import type { OutgoingHttpHeader } from 'node:http';

/** Options whose headers are the same on every response: no per-request CSP nonces. */
export type SecurityHeaderOptions = FastifyHelmetOptions & { enableCSPNonces?: false; global?: true };

/**
 * The headers @fastify/helmet sets with these options, read from one request answered by a
 * throwaway instance. In a handler the raw response holds exactly what the onRequest hooks put
 * there, helmet's headers: Fastify adds its own only when it sends.
 */
export async function helmetHeaders(options: SecurityHeaderOptions): Promise<[string, OutgoingHttpHeader][]> {
  const probe = Fastify({ logger: false });
  let headers: [string, OutgoingHttpHeader][] = [];
  try {
    await probe.register(fastifyHelmet, options);
    probe.get('/', (_request, reply) => {
      headers = Object.entries(reply.raw.getHeaders()).flatMap(([name, value]) =>
        value === undefined ? [] : [[name, value] as [string, OutgoingHttpHeader]],
      );
      return '';
    });
    await probe.inject('/');
  } finally {
    await probe.close();
  }
  // Failing open here would serve every response without them.
  if (headers.length === 0) throw new Error('helmet set no security headers on its probe request');
  return headers;
}

/**
 * Helmet's security headers on every response. @fastify/helmet builds helmet's middleware anew on
 * each request (its CSP directives parsed and checked every time): about 50 µs a request, as much
 * as a plain route's whole answer, for headers that depend on the options alone. They are computed
 * once here and set from that copy, on the raw response as helmet does, so a route or plugin that
 * sets one of them itself (the docs page's CSP) still overrides it.
 */
export async function registerSecurityHeaders(
  app: FastifyInstance,
  options: SecurityHeaderOptions,
): Promise<void> {
  const headers = await helmetHeaders(options);
  app.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
}
