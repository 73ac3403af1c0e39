import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { helmetHeaders, registerSecurityHeaders } from '../../src/server/security-headers.js';

describe('security headers computed once from @fastify/helmet', () => {
  it('are helmet’s headers only, HSTS when asked', async () => {
    const plain = new Map(await helmetHeaders({ hsts: false }));
    expect(plain.get('x-content-type-options')).toBe('nosniff');
    expect(plain.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(plain.get('content-security-policy')).toContain("default-src 'self'");
    expect(plain.has('strict-transport-security')).toBe(false);
    for (const own of ['content-type', 'content-length', 'date', 'connection'])
      expect(plain.has(own)).toBe(false);
    const tls = new Map(await helmetHeaders({ hsts: true }));
    expect(tls.get('strict-transport-security')).toContain('max-age=');
  });

  it('are set on every response, 404s included, and a route may still set its own CSP', async () => {
    const app = Fastify({ logger: false });
    await registerSecurityHeaders(app, {
      contentSecurityPolicy: { directives: { 'img-src': ["'self'", 'data:'] } },
      hsts: false,
    });
    app.get('/json', () => ({ ok: true }));
    app.get('/page', (_request, reply) =>
      reply.header('content-security-policy', "default-src 'none'").type('text/html').send('<p>'),
    );
    const expected = new Map(
      await helmetHeaders({
        contentSecurityPolicy: { directives: { 'img-src': ["'self'", 'data:'] } },
        hsts: false,
      }),
    );
    try {
      for (const url of ['/json', '/missing']) {
        const res = await app.inject(url);
        for (const [name, value] of expected) expect(res.headers[name]).toBe(value);
      }
      expect((await app.inject('/json')).headers['content-security-policy']).toContain(
        "img-src 'self' data:",
      );
      expect((await app.inject('/page')).headers['content-security-policy']).toBe("default-src 'none'");
    } finally {
      await app.close();
    }
  });
});
