import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/audit/index.js';
import { GuardedExecutor, LocalExecutor } from '../../src/exec/index.js';
import type { GuardedTarget } from '../../src/exec/index.js';
import { createPolicyEngine } from '../../src/policy/index.js';
import { openStore, type Store } from '../../src/store/index.js';

// Real parts throughout: the local executor runs /bin/sh, the policy parses with tree-sitter, the
// audit log writes a SQLite file.
let store: Store;
let audit: AuditLog;
let guard: GuardedExecutor;
let work: string;
let target: GuardedTarget;
const actor = { principal: 'cli:test', source: 'cli' as const };

beforeAll(async () => {
  const base = await mkdtemp(join(tmpdir(), 'automatos-guard-'));
  work = join(base, 'apps');
  await mkdir(work);
  store = await openStore({ dataDir: join(base, 'data') });
  audit = new AuditLog(store);
  guard = new GuardedExecutor({ policy: createPolicyEngine(), audit });
  target = {
    name: 'local',
    executor: new LocalExecutor(),
    profile: 'standard',
    sandbox: 'bwrap',
    writableRoots: [work, '/tmp'],
    home: base,
  };
});

afterAll(async () => {
  await target.executor.close();
  await store.close();
});

describe('GuardedExecutor', () => {
  it('runs an allowed command and records the decision and the result', async () => {
    const result = await guard.run(target, 'echo hello > out.txt && cat out.txt', { cwd: work }, actor);
    expect(result.exitCode).toBe(0);
    expect(result.stdoutTail).toBe('hello\n');
    const [decision, outcome] = (await audit.list()).slice(-2);
    expect(decision).toMatchObject({ action: 'exec', decision: 'allow', rule: 'allow', target: 'local' });
    expect(outcome).toMatchObject({ action: 'exec.result', result: { exitCode: 0 } });
  });

  it('never runs a denied command, records the denial and throws AUT_POLICY_DENIED', async () => {
    const marker = join(tmpdir(), `automatos-denied-${process.pid}`);
    const outside = `/etc/automatos-guard-${process.pid}`;
    await expect(
      guard.run(target, `touch ${marker} && touch ${outside}`, { cwd: work }, actor),
    ).rejects.toMatchObject({ code: 'AUT_POLICY_DENIED', details: { rule: 'write_outside_roots' } });
    // Not even the allowed half ran: the decision covers the whole command.
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(outside)).toBe(false);
    const last = (await audit.list()).at(-1);
    expect(last).toMatchObject({ action: 'exec', decision: 'deny', rule: 'write_outside_roots' });
  });

  it('keeps secret values out of the audit log and the returned output', async () => {
    const secret = 'tok-4b1d-secret-value';
    const result = await guard.run(target, `echo ${secret}`, { cwd: work, secrets: [secret] }, actor);
    expect(result.stdoutTail).toBe('[REDACTED]\n');
    const records = JSON.stringify(await audit.list());
    expect(records).not.toContain(secret);
    expect(records).toContain('echo [REDACTED]');
  });

  it('reviews and records uploads', async () => {
    const src = await mkdtemp(join(tmpdir(), 'automatos-guard-src-'));
    await writeFile(join(src, 'a.txt'), 'a');
    await guard.upload(target, src, join(work, 'release-1'), {}, actor);
    expect(existsSync(join(work, 'release-1', 'a.txt'))).toBe(true);
    await expect(guard.upload(target, src, '/etc/evil', {}, actor)).rejects.toMatchObject({
      code: 'AUT_POLICY_DENIED',
    });
  });

  it('forwards TCP only to the target loopback', async () => {
    const server = createServer((socket) => socket.end('pong'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const socket = await guard.connect(target, '127.0.0.1', port, actor);
    const reply = await new Promise<string>((resolve) =>
      socket.once('data', (d: Buffer) => resolve(d.toString())),
    );
    expect(reply).toBe('pong');
    socket.destroy();
    server.close();
    await expect(guard.connect(target, '10.0.0.1', 22, actor)).rejects.toMatchObject({
      code: 'AUT_POLICY_DENIED',
    });
  });

  it('leaves a verifiable audit chain behind', async () => {
    const verdict = await audit.verify();
    expect(verdict.ok).toBe(true);
    expect(verdict.count).toBeGreaterThanOrEqual(8);
  });
});

describe('uploads in plans', () => {
  it('plan the exact command the executors run for an upload', async () => {
    const { buildPlan, renderCommand } = await import('../../src/plan/index.js');
    const { remoteUntarCommand } = await import('../../src/exec/index.js');
    const { AiModuleSchema } = await import('../../src/manifest/index.js');
    const plan = buildPlan({
      module: AiModuleSchema.parse({
        name: 'a',
        version: '1.0.0',
        description: 'd',
        module_type: 'api',
        build_command: 'make',
        start_command: './a',
      }),
      sourceDir: '/src',
      releaseId: 'R1',
      target: {
        name: 't',
        root: '/srv/my apps',
        user: 'root',
        isRoot: true,
        hasSystemd: false,
        packageManager: 'apt',
        reach: 'ssh-forward',
      },
    });
    const untar = plan.steps[0]?.commands.find((c) => c.stdin?.kind === 'tar');
    expect(untar?.stdin?.kind).toBe('tar');
    expect(untar === undefined ? '' : renderCommand(untar.command)).toBe(
      remoteUntarCommand(plan.layout.releaseDir),
    );
  });
});

describe('guard input checks', () => {
  it('refuses environment variables that change what runs, and audits it', async () => {
    const { mkdtemp: mk } = await import('node:fs/promises');
    const base = await mk(join(tmpdir(), 'automatos-guard-env-'));
    const s = await openStore({ dataDir: base });
    const log = new AuditLog(s);
    const g = new GuardedExecutor({ policy: createPolicyEngine(), audit: log });
    const t: GuardedTarget = {
      name: 'local',
      executor: new LocalExecutor(),
      profile: 'standard',
      sandbox: 'bwrap',
      home: base,
    };
    for (const name of ['LD_PRELOAD', 'BASH_ENV', 'PATH', 'GIT_SSH_COMMAND']) {
      await expect(g.run(t, 'true', { cwd: '/', env: { [name]: '/tmp/x' } }, actor)).rejects.toMatchObject({
        code: 'AUT_POLICY_DENIED',
        details: { rule: 'unsafe_env' },
      });
    }
    expect(
      (await g.run(t, 'echo "$GREETING"', { cwd: '/', env: { GREETING: 'hi' } }, actor)).stdoutTail,
    ).toBe('hi\n');
    expect((await log.list()).filter((e) => e.rule === 'unsafe_env')).toHaveLength(4);
    await s.close();
  });

  it('keeps secrets out of a denial message', async () => {
    const secret = 'SUPERSECRET-value-1';
    const error = (await guard
      .run(target, `echo x > /etc/api_key=${secret}`, { cwd: work, secrets: [secret] }, actor)
      .then(
        () => new Error('was allowed'),
        (e: unknown) => e as Error,
      )) as Error;
    expect(error.message).toContain('[REDACTED]');
    expect(JSON.stringify(error)).not.toContain(secret);
    expect(error.message).not.toContain(secret);
  });
});
