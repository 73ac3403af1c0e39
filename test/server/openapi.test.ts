// The OpenAPI document describes every response, and responses keep to it. Every call a server test
// makes through the harness is checked against /openapi.json (see openapi-contract.ts), so the
// happy paths of api.test.ts, and the errors of rbac, bad-input and the others, are validated there;
// this file checks the document itself, that the check bites, and what a drifted response becomes.
import type { OpenAPIV3 } from 'openapi-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type Api } from './harness.js';

let api: Api;
let doc: OpenAPIV3.Document;

beforeAll(async () => {
  api = await startApi();
  doc = (await (await api.call('GET', '/openapi.json', { key: null })).json()) as OpenAPIV3.Document;
}, 30_000);
afterAll(() => api.close());

const METHODS = ['get', 'put', 'post', 'delete'] as const;

function operations(): Array<{ name: string; op: OpenAPIV3.OperationObject; path: string }> {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const op = item?.[method];
      return op === undefined ? [] : [{ name: `${method.toUpperCase()} ${path}`, op, path }];
    }),
  );
}

/** Responses that carry no body by their nature. */
const NO_BODY = new Set(['101', '204']);
/** …and one that carries none on this operation: MCP notifications have nothing to answer. */
const NO_BODY_AT = new Set(['POST /mcp 202']);

const ERROR_REF = '#/components/schemas/Error';

describe('/openapi.json', () => {
  it('documents every route the server registers', () => {
    const documented = new Set(operations().map((o) => o.name));
    const routes = api.app.routeTable
      .filter((r) => !r.url.startsWith('/docs') && r.url !== '/openapi.json')
      .map((r) => `${r.method} ${r.url.replace(/:([A-Za-z_]+)/g, '{$1}')}`);
    expect(routes.length).toBeGreaterThanOrEqual(30);
    expect(routes.filter((r) => !documented.has(r))).toEqual([]);
  });

  it('gives every operation a success response, and every response a schema or no body by design', () => {
    for (const { name, op } of operations()) {
      const statuses = Object.keys(op.responses);
      // GET and DELETE /mcp exist to say 405: the endpoint is stateless.
      const refusesMethod = statuses.includes('405');
      expect(
        refusesMethod || statuses.some((s) => /^[12]\d\d$/.test(s)),
        `${name} has no success response`,
      ).toBe(true);
      for (const status of statuses) {
        const response = op.responses[status] as OpenAPIV3.ResponseObject;
        expect(response.description, `${name} ${status}`).not.toBe('Default Response');
        if (NO_BODY.has(status) || NO_BODY_AT.has(`${name} ${status}`)) {
          expect(response.content, `${name} ${status} has no body`).toBeUndefined();
          continue;
        }
        const media = Object.entries(response.content ?? {});
        expect(media.length, `${name} ${status} has no content`).toBeGreaterThan(0);
        for (const [type, { schema }] of media) {
          expect(schema, `${name} ${status} ${type} has no schema`).toBeDefined();
        }
      }
    }
  });

  it('lists the error statuses each operation can answer, each with the error body', () => {
    const publicRoutes = new Set(
      api.app.routeTable
        .filter((r) => r.access !== undefined && 'public' in r.access)
        .map((r) => `${r.method} ${r.url.replace(/:([A-Za-z_]+)/g, '{$1}')}`),
    );
    for (const { name, op } of operations()) {
      const parameters = (op.parameters ?? []) as OpenAPIV3.ParameterObject[];
      const expected = [
        '429', // the per-address limit applies to every route
        '500',
        ...(publicRoutes.has(name) ? [] : ['401', '403', '503']),
        ...(parameters.some((p) => p.in === 'path') ? ['400', '414'] : []),
        ...(parameters.some((p) => p.in === 'query') ? ['400'] : []),
        ...(op.requestBody === undefined ? [] : ['400', '413', '415']),
      ];
      expect(Object.keys(op.responses), name).toEqual(expect.arrayContaining(expected));
      for (const [status, response] of Object.entries(op.responses)) {
        if (!/^[45]/.test(status)) continue;
        const schema = (response as OpenAPIV3.ResponseObject).content?.['application/json']?.schema;
        // The MCP transport refuses a request it cannot serve with a JSON-RPC error of its own.
        const body = name === 'POST /mcp' && status === '406' ? '"jsonrpc"' : `"${ERROR_REF}"`;
        expect(JSON.stringify(schema ?? null), `${name} ${status}`).toContain(body);
      }
    }
  });

  it('describes the MCP endpoint: a JSON-RPC message or a batch in, JSON-RPC responses out', () => {
    const mcp = doc.paths['/mcp']?.post;
    const body = (mcp?.requestBody as OpenAPIV3.RequestBodyObject | undefined)?.content['application/json'];
    expect(JSON.stringify(body?.schema)).toContain('"jsonrpc"');
    expect(JSON.stringify(body?.schema)).toContain('"type":"array"');
    const ok = (mcp?.responses['200'] as OpenAPIV3.ResponseObject).content?.['application/json'];
    expect(JSON.stringify(ok?.schema)).toContain('"result"');
  });

  it('describes the streams and the metrics by their content types', () => {
    const sse = doc.paths['/workflows/{id}/events']?.get?.responses['200'] as OpenAPIV3.ResponseObject;
    expect(Object.keys(sse.content ?? {})).toEqual(['text/event-stream']);
    const metrics = doc.paths['/metrics']?.get?.responses['200'] as OpenAPIV3.ResponseObject;
    expect(Object.keys(metrics.content ?? {})).toEqual(['text/plain']);
    expect(Object.keys(doc.paths['/ws']?.get?.responses ?? {})).toContain('101');
    // The event data the stream descriptions name are components a client can generate types from.
    expect(Object.keys(doc.components?.schemas ?? {})).toEqual(
      expect.arrayContaining(['StatusEvent', 'StepEvent', 'LogChunk', 'Error', 'Workflow', 'Plan']),
    );
  });
});

describe('the response check', () => {
  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

  it('checks what the tests receive', async () => {
    const before = api.contract.checked;
    expect((await api.call('GET', '/health', { key: null })).status).toBe(200);
    expect((await api.call('GET', '/workflows')).status).toBe(200);
    expect((await api.call('GET', '/metrics')).status).toBe(200);
    const created = await api.call('PUT', '/api/v1/apps/shop/secrets/TOKEN', { body: { value: 'v' } });
    expect(created.status).toBe(204);
    const mcp = await api.call('POST', '/mcp', {
      body: { jsonrpc: '2.0', id: 1, method: 'tools/list' },
      headers: { accept: 'application/json, text/event-stream' },
    });
    expect(mcp.status).toBe(200);
    expect(api.contract.checked - before).toBe(5);
  });

  it('reports a body, a status or a content type the document does not describe', async () => {
    expect(await api.contract.check('GET', '/health', json({ status: 'ok', version: '1' }))).toBeNull();
    expect(await api.contract.check('GET', '/health', json({ status: 'ok' }))).toContain('version');
    expect(await api.contract.check('GET', '/health', json({ status: 'ok', version: '1', x: 1 }))).toContain(
      'does not describe',
    );
    expect(await api.contract.check('GET', '/health', json({}, 418))).toContain('does not list');
    const text = new Response('ok', { status: 200, headers: { 'content-type': 'text/plain' } });
    expect(await api.contract.check('GET', '/health', text)).toContain('text/plain');
    expect(await api.contract.check('GET', '/workflows/x', json({ error: {} }, 404))).toContain('code');
    expect(await api.contract.check('GET', '/no/such/route', json({}))).toBeNull();
  });

  it('refuses a JSON-RPC body that is not JSON-RPC 2.0 in the API’s error shape', async () => {
    const res = await api.call('POST', '/mcp', {
      body: { jsonrpc: '1.0', method: 'tools/list' },
      headers: { accept: 'application/json, text/event-stream' },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('AUT_INVALID_INPUT');
  });
});

describe('a response that drifts from its schema', () => {
  it('is a 500 and an internal error, never sent as it is', async () => {
    const internal: unknown[] = [];
    const own = await startApi({ onInternalError: (error) => internal.push(error) });
    try {
      // A stored time that is not ISO-8601: the workflow view no longer matches its schema.
      await own.orch.store.workflows.create({
        id: 'wf-drift',
        tier: 1,
        source: 'https://example.com/x.git',
        app: 'x',
        targets: ['local'],
        requestedBy: 'test',
        status: 'queued',
        createdAt: 'yesterday',
      });
      const res = await fetch(`${own.url}/workflows/wf-drift`, {
        headers: { authorization: `Bearer ${own.keys.admin}` },
      });
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(JSON.parse(text)).toMatchObject({ error: { code: 'AUT_INTERNAL' } });
      expect(text).not.toContain('yesterday');
      expect(internal).toHaveLength(1);
      // The operator's log names the route and the field that drifted.
      expect(internal[0]).toMatchObject({
        code: 'FST_ERR_RESPONSE_SERIALIZATION',
        message: expect.stringMatching(/GET \/workflows\/:id[\s\S]*created_at/),
      });
    } finally {
      await own.close();
    }
  });
});
