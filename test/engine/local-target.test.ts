import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localFacts, localSandboxMode, localTargetView } from '../../src/engine/local-target.js';
import { Orchestrator } from '../../src/engine/index.js';

const dirs: string[] = [];
const scratch = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'automatos-local-target-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the built-in local target', () => {
  it('confines user commands unless AUTOMATOS_LOCAL_SANDBOX=off says otherwise', () => {
    expect(localSandboxMode({})).toBe('bwrap');
    expect(localSandboxMode({ AUTOMATOS_LOCAL_SANDBOX: 'on' })).toBe('bwrap');
    expect(localSandboxMode({ AUTOMATOS_LOCAL_SANDBOX: 'off' })).toBe('off');
    expect(() => localSandboxMode({ AUTOMATOS_LOCAL_SANDBOX: 'no' })).toThrow(
      /AUTOMATOS_LOCAL_SANDBOX must be "on" or "off", not "no"/,
    );
  });

  it("masks the orchestrator's data dir in every plan's sandbox", () => {
    const facts = localFacts('/srv/automatos-data', { AUTOMATOS_LOCAL_SANDBOX: 'off' });
    expect(facts).toMatchObject({ sandbox: 'off', protectedPaths: ['/srv/automatos-data'] });
  });

  it("judges local's commands under the policy file's profile", async () => {
    const dataDir = scratch();
    writeFileSync(join(dataDir, 'policy.yaml'), 'profile: audit\n');
    const orch = await Orchestrator.open({ dataDir, env: { AUTOMATOS_MASTER_KEY: '' } });
    try {
      const local = await orch.target('local');
      expect(local.profile).toBe('audit');
      expect(local.sandbox).toBe('bwrap');
      expect(local.protectedPaths).toEqual([dataDir]);
      // And `targets ls` / GET /api/v1/targets say so.
      expect(localTargetView(orch.environment, orch.localPolicy.profile)).toMatchObject({ policy: 'audit' });
    } finally {
      await orch.close();
    }
  });
});
