import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Orchestrator, WorkflowEngine } from '../../src/engine/index.js';
import { createMcpServer, localPrincipal } from '../../src/mcp/index.js';
import type { McpDeps } from '../../src/mcp/index.js';
import type { Principal } from '../../src/security/index.js';
import { dataOf, errorOf, ROOT } from './stdio-client.js';

// The same server over an in-memory transport: fast coverage of error paths and of the
// transport-agnostic deps (a principal resolver, as the HTTP server will pass one).
let base: string;
let orch: Orchestrator;
let engine: WorkflowEngine;

async function connect(principal: McpDeps['principal']) {
  const server = createMcpServer({ orch, engine, principal, cwd: ROOT, env: process.env, version: 'test' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'in-process', version: '1.0.0' });
  await client.connect(clientSide);
  return {
    call: async (name: string, args: Record<string, unknown> = {}) =>
      (await client.callTool({ name, arguments: args })) as CallToolResult,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

const admin: Principal = localPrincipal({ user: 'tester' });

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'automatos-mcp-mem-'));
  orch = await Orchestrator.open({ dataDir: join(base, 'data'), env: process.env });
  engine = new WorkflowEngine(orch, { concurrency: 1 });
});

afterAll(async () => {
  await engine?.close();
  await orch?.close();
  await rm(base, { recursive: true, force: true });
});

describe('the MCP server in process', () => {
  it('reports engine errors as tool errors with their code, and keeps serving', async () => {
    const mcp = await connect(admin);
    try {
      const unknownTarget = errorOf(
        await mcp.call('deploy', { source: join(ROOT, 'examples', 'node-http'), targets: ['nowhere'] }),
      );
      expect(unknownTarget.code).toBe('AUT_NOT_FOUND');
      expect(unknownTarget.message).toContain('nowhere');

      const noSource = errorOf(await mcp.call('plan', { source: join(base, 'missing') }));
      expect(noSource.code).toMatch(/^AUT_/);

      const noStack = errorOf(await mcp.call('generate_manifest', { directory: base }));
      expect(noStack.code).toBe('AUT_DETECT_NONE');
      expect(errorOf(await mcp.call('generate_manifest', {})).code).toBe('AUT_INVALID_INPUT');
      expect(errorOf(await mcp.call('generate_manifest', { directory: join(base, 'nope') })).code).toBe(
        'AUT_IO',
      );

      expect(errorOf(await mcp.call('rollback', { app: 'ghost', target: 'local' })).code).toBe(
        'AUT_NOT_FOUND',
      );
      expect(errorOf(await mcp.call('health', { app: 'ghost' })).code).toBe('AUT_NOT_FOUND');
      expect(errorOf(await mcp.call('stop_workflow', { id: 'wf_missing' })).code).toBe('AUT_NOT_FOUND');

      const unsafeEnv = errorOf(
        await mcp.call('execute', {
          target: 'local',
          command: 'true',
          environment_variables: { LD_PRELOAD: '/tmp/x.so' },
        }),
      );
      expect(unsafeEnv).toMatchObject({ code: 'AUT_POLICY_DENIED', details: { rule: 'unsafe_env' } });

      // Rejected by the input schema before any handler runs: still a tool error, not a crash.
      const badPort = await mcp.call('plan', { source: ROOT, port: 70_000 });
      expect(badPort.isError).toBe(true);
      const badRelease = await mcp.call('rollback', { app: 'x', target: 'local', to: '../../etc' });
      expect(badRelease.isError).toBe(true);

      expect(dataOf<{ status: string }>(await mcp.call('health')).status).toBe('ok');
    } finally {
      await mcp.close();
    }
  });

  it('plans from a task prompt: requirements met and unmet, and the review that would park it', async () => {
    const mcp = await connect(admin);
    try {
      const app = join(base, 'prompted');
      await mkdir(app, { recursive: true });
      await writeFile(join(app, 'requirements.txt'), 'flask==3.0.0\n');
      await writeFile(join(app, 'app.py'), 'from flask import Flask\napp = Flask(__name__)\n');
      const plan = dataOf<{
        requirements: Array<{ text: string; status: string }>;
        review: { verdict: string };
        module: { port: number };
      }>(
        await mcp.call('plan', {
          source: app,
          prompt:
            'Deploy the Flask app on port 5000 that serves cryptocurrency data with basic authentication',
        }),
      );
      expect(plan.module.port).toBe(5000);
      expect(plan.requirements).toContainEqual(
        expect.objectContaining({ status: 'unmet', text: expect.stringMatching(/basic auth/i) }),
      );
      expect(plan.review.verdict).toBe('approval_required');
      // A prompt is for repositories without a manifest: the committed one is what deploys.
      const refused = errorOf(
        await mcp.call('plan', { source: join(ROOT, 'examples', 'node-http'), prompt: 'x' }),
      );
      expect(refused.code).toBe('AUT_USAGE');
    } finally {
      await mcp.close();
    }
  });

  it('masks credentials in error messages', async () => {
    const mcp = await connect(admin);
    try {
      const result = await mcp.call('plan', {
        source: 'https://user:hunter2-secret-token@127.0.0.1:1/repo.git',
      });
      const error = errorOf(result);
      expect(error.message).toContain('127.0.0.1');
      expect(JSON.stringify(result)).not.toContain('hunter2-secret-token');
      expect(error.code).toMatch(/^AUT_/);
    } finally {
      await mcp.close();
    }
  });

  it('asks the resolver for the principal of each call, and refuses a call without one', async () => {
    const seen: Array<string | undefined> = [];
    const mcp = await connect((authInfo) => {
      seen.push(authInfo?.clientId);
      return null;
    });
    try {
      const refused = errorOf(await mcp.call('list_targets'));
      expect(refused.code).toBe('AUT_UNAUTHENTICATED');
      expect(seen).toEqual([undefined]);
    } finally {
      await mcp.close();
    }
  });

  it('hides workflows outside a scoped principal, and refuses out-of-scope targets', async () => {
    const mcp = await connect(admin);
    const scoped = await connect(localPrincipal({ role: 'operator', targets: ['web'], user: 'ops' }));
    try {
      // A recorded workflow on `local` (none of this test's business to run it).
      const id = 'wf_scope_test';
      await orch.store.workflows.create({
        id,
        tier: 1,
        source: ROOT,
        app: 'node-http',
        targets: ['local'],
        requestedBy: 'mcp:tester',
        status: 'queued',
      });
      expect(errorOf(await scoped.call('get_workflow', { id })).code).toBe('AUT_NOT_FOUND');
      expect(dataOf<{ workflows: unknown[] }>(await scoped.call('list_workflows')).workflows).toEqual([]);
      expect(errorOf(await scoped.call('plan', { source: ROOT, target: 'local' })).code).toBe(
        'AUT_FORBIDDEN',
      );
      expect(errorOf(await scoped.call('stop_workflow', { id })).code).toBe('AUT_NOT_FOUND');
      expect(dataOf<{ status: string }>(await mcp.call('get_workflow', { id })).status).toBe('queued');
      expect(dataOf<{ was: string }>(await mcp.call('stop_workflow', { id })).was).toBe('queued');
      expect(dataOf<{ status: string }>(await mcp.call('get_workflow', { id })).status).toBe('cancelled');
    } finally {
      await scoped.close();
      await mcp.close();
    }
  });

  it('refuses roles and grants that do not exist', () => {
    expect(() => localPrincipal({ role: 'superuser' })).toThrow(/--role must be one of/);
    expect(() => localPrincipal({ grants: ['everything'] })).toThrow(/--grant must be one of/);
    expect(localPrincipal({ role: 'agent', targets: [], grants: ['execute'], user: 'u' })).toEqual({
      id: 'mcp:u',
      role: 'agent',
      targets: null,
      grants: ['execute'],
    });
  });
});
