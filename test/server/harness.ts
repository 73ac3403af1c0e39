import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { OpenAPIV3 } from 'openapi-types';
import { Orchestrator, WorkflowEngine } from '../../src/engine/index.js';
import type { Action, Role } from '../../src/security/index.js';
import { buildServer, type ServerOptions } from '../../src/server/index.js';
import { openApiContract, type Contract } from './openapi-contract.js';

export interface Api {
  url: string;
  app: FastifyInstance;
  orch: Orchestrator;
  engine: WorkflowEngine;
  dataDir: string;
  /** One key per role, every target. */
  keys: Record<Role, string>;
  /** Makes another key. */
  key(role: Role, targets?: readonly string[] | null, grants?: readonly Action[]): Promise<string>;
  /**
   * fetch with a key (or none) and a JSON body. Every response is checked against /openapi.json
   * (status, content type, body); `close` fails with what did not match.
   */
  call(method: string, path: string, options?: CallOptions): Promise<Response>;
  contract: Contract;
  /**
   * Stops the server. Fails when a response broke the document or the server reported an
   * internal error (a bug, a 500) and the test gave no `onInternalError` of its own.
   */
  close(): Promise<void>;
}

export interface CallOptions {
  key?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
}

export type ApiOptions = Omit<ServerOptions, 'orch' | 'engine'> & { dataDir?: string; databaseUrl?: string };

/** A server on a free loopback port over a fresh data dir (SQLite), with a key per role. */
export async function startApi(options: ApiOptions = {}): Promise<Api> {
  const root = options.dataDir === undefined ? mkdtempSync(join(tmpdir(), 'automatos-api-')) : undefined;
  const dataDir = options.dataDir ?? join(root ?? '', 'data');
  const env = { ...process.env, AUTOMATOS_MASTER_KEY: '', AUTOMATOS_ADMIN_KEY: '', ...(options.env ?? {}) };
  const orch = await Orchestrator.open({
    dataDir,
    env,
    ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }),
  });
  const engine = new WorkflowEngine(orch, { env, concurrency: 2 });
  const problems: string[] = [];
  const app = await buildServer({
    ...options,
    orch,
    engine,
    env,
    onInternalError:
      options.onInternalError ??
      ((error) =>
        problems.push(`internal error: ${error instanceof Error ? (error.stack ?? '') : String(error)}`)),
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const contract = openApiContract(app.swagger() as OpenAPIV3.Document);
  const key = async (role: Role, targets: readonly string[] | null = null, grants: readonly Action[] = []) =>
    (await orch.apiKeys.create({ role, targets, grants, name: `test ${role}` })).key.reveal();
  const keys = {
    admin: await key('admin'),
    operator: await key('operator'),
    viewer: await key('viewer'),
    agent: await key('agent'),
  };
  const call = async (method: string, path: string, o: CallOptions = {}): Promise<Response> => {
    const k = o.key === undefined ? keys.admin : o.key;
    const response = await fetch(`${address}${path}`, {
      method,
      headers: {
        ...(k === null ? {} : { authorization: `Bearer ${k}` }),
        ...(o.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(o.headers ?? {}),
      },
      ...(o.body === undefined ? {} : { body: typeof o.body === 'string' ? o.body : JSON.stringify(o.body) }),
    });
    const problem = await contract.check(method, path, response);
    if (problem !== null) problems.push(problem);
    return response;
  };
  return {
    url: address,
    app,
    orch,
    engine,
    dataDir,
    keys,
    key,
    call,
    contract,
    close: async () => {
      await app.close();
      await engine.idle();
      await engine.close();
      await orch.close();
      if (root !== undefined) rmSync(root, { recursive: true, force: true });
      if (problems.length > 0) throw new Error(`the server broke its contract:\n${problems.join('\n')}`);
    },
  };
}
