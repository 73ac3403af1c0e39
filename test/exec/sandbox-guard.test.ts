// The guard and a target that cannot sandbox: a host without bubblewrap is simulated by a PATH
// holding every tool the launcher and the probe use except bwrap. Real parts otherwise: the local
// executor runs /bin/sh, the policy parses with tree-sitter, the audit records are kept in memory.
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../src/audit/index.js';
import { GuardedExecutor, LocalExecutor } from '../../src/exec/index.js';
import type { Executor, GuardedTarget, RunOptions } from '../../src/exec/index.js';
import { execSandbox } from '../../src/plan/index.js';
import { createPolicyEngine } from '../../src/policy/index.js';

const base = mkdtempSync(join(tmpdir(), 'automatos-nobwrap-'));
const bin = join(base, 'bin');
const marker = join(base, 'ran');
afterAll(() => rmSync(base, { recursive: true, force: true }));

// Everything but bwrap, from wherever the machine has it.
const tools = ['sh', 'bash', 'cat', 'head', 'touch', 'getent', 'id', 'true', 'echo', 'printf'];
function toolbox(): void {
  if (existsSync(bin)) return;
  mkdirSync(bin);
  for (const tool of tools) {
    const found = ['/usr/bin', '/bin'].map((dir) => join(dir, tool)).find((path) => existsSync(path));
    if (found !== undefined) symlinkSync(found, join(bin, tool));
  }
}

/** The local machine, as a host where `command -v bwrap` finds nothing. */
function withoutBwrap(): Executor {
  toolbox();
  const local = new LocalExecutor();
  return {
    target: 'nobwrap',
    run: (command: string, options?: RunOptions) =>
      local.run(`PATH=${bin}; export PATH; ${command}`, options),
    upload: (from, to, options) => local.upload(from, to, options),
    connect: (host, port) => local.connect(host, port),
    close: () => local.close(),
  };
}

function guarded(sandbox: 'bwrap' | 'off'): {
  guard: GuardedExecutor;
  target: GuardedTarget;
  records: AuditRecord[];
} {
  const records: AuditRecord[] = [];
  const guard = new GuardedExecutor({
    policy: createPolicyEngine({ profile: 'audit' }),
    audit: { append: async (record) => void records.push(record) },
  });
  const target: GuardedTarget = {
    name: 'nobwrap',
    executor: withoutBwrap(),
    profile: 'audit',
    sandbox,
    writableRoots: [base],
    home: base,
  };
  return { guard, target, records };
}

const actor = { principal: 'cli:test', source: 'cli' as const };

describe('a target that cannot sandbox', () => {
  it('refuses user commands with the cause, records the refusal, and runs nothing', async () => {
    const { guard, target, records } = guarded('bwrap');
    const report = (await guard.sandboxReport(target, actor, true)).report;
    expect(report).toMatchObject({ mode: 'bwrap', bwrap: false, ready: false });
    expect(report.problem).toMatch(/bubblewrap \(bwrap\) is not installed/);
    await expect(
      guard.run(target, `touch ${marker}`, { cwd: base, sandbox: execSandbox([base]) }, actor),
    ).rejects.toMatchObject({
      code: 'AUT_SANDBOX_UNAVAILABLE',
      message: expect.stringMatching(/cannot sandbox user commands: bubblewrap .* sandbox: off/),
    });
    expect(existsSync(marker)).toBe(false);
    expect(records.at(-1)).toMatchObject({ decision: 'deny', rule: 'sandbox_unavailable' });
  });

  it('still runs the commands Automatos built (no sandbox asked for)', async () => {
    const { guard, target } = guarded('bwrap');
    const result = await guard.run(target, 'echo built', { cwd: base }, actor);
    expect(result).toMatchObject({ exitCode: 0, stdoutTail: 'built\n' });
  });

  it('runs them unconfined, in bash, only where the target policy says sandbox: off, and says so', async () => {
    const { guard, target, records } = guarded('off');
    const result = await guard.run(
      target,
      `touch ${marker}; echo "$BASH_VERSION" | head -c 1`,
      { cwd: base, sandbox: execSandbox([base]) },
      actor,
    );
    expect(result.exitCode).toBe(0);
    expect(result.stdoutTail).toMatch(/^\d$/);
    expect(existsSync(marker)).toBe(true);
    const mine = records.filter((r) => r.command?.includes(marker) === true);
    expect(mine.find((r) => r.action === 'exec')?.details).toMatchObject({ sandbox: 'unconfined' });
    expect(mine.find((r) => r.action === 'exec.result')?.details).toMatchObject({ sandbox: 'unconfined' });
  });
});
