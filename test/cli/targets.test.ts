import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshd, type Sshd } from '../harness/sshd.js';
import { runCli } from './run-cli.js';

// Two real sshd processes on loopback act as two hosts; the CLI runs in-process against a fresh data dir.
let web1: Sshd;
let web2: Sshd;
let dataDir: string;
let keyFile: string;
let keyFile2: string;

const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args]);

beforeAll(async () => {
  [web1, web2] = await Promise.all([startSshd(), startSshd()]);
  dataDir = await mkdtemp(join(tmpdir(), 'automatos-targets-'));
  keyFile = join(dataDir, 'id_test');
  await writeFile(keyFile, web1.privateKey, { mode: 0o600 });
  keyFile2 = join(dataDir, 'id_test2');
  await writeFile(keyFile2, web2.privateKey, { mode: 0o600 });
}, 60_000);

afterAll(async () => {
  await Promise.all([web1?.stop(), web2?.stop()]);
});

describe('targets, exec and audit against real sshd', () => {
  it('registers a target without a pinned key and refuses to connect to it', async () => {
    const add = await cli(
      'targets',
      'add',
      'web1',
      '--host',
      '127.0.0.1',
      '--port',
      String(web1.port),
      '--key',
      keyFile,
    );
    expect(add.code).toBe(0);
    expect(add.stdout).toContain('host key not pinned yet');
    const run = await cli('exec', '--target', 'web1', '--', 'true');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`is not trusted yet: ${web1.hostKeyFingerprint}`);
  });

  it('pins the host key on first use when told to, and reports the host', async () => {
    const check = await cli('targets', 'check', 'web1', '--trust-host-key', '--json');
    expect(check.code).toBe(0);
    const report = JSON.parse(check.stdout) as { user: string; rootWritable: boolean; latencyMs: number };
    expect(report).toMatchObject({
      user: 'root',
      rootWritable: true,
      // A trial bubblewrap ran on the host.
      sandbox: { mode: 'bwrap', bwrap: true, namespaces: true, ready: true, problem: null },
    });
    const show = JSON.parse((await cli('targets', 'show', 'web1')).stdout) as {
      host_key_fingerprint: string;
    };
    expect(show.host_key_fingerprint).toBe(web1.hostKeyFingerprint);
  });

  it('plans for an SSH target from facts read by a probe, running none of the plan', async () => {
    const r = await cli('plan', 'examples/node-http', '--target', 'web1');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('→ target web1');
    expect(r.stdout).toContain(
      'Nothing of this plan was run. web1 was only probed for its facts (read-only, audited).',
    );
    expect(r.stdout).toMatch(
      /probe: GET http:\/\/127\.0\.0\.1:3000\/health expecting 200 through the SSH connection/,
    );
  });

  it('runs commands with their exit code and output', async () => {
    const hello = await cli('exec', '--target', 'web1', '--', 'echo', 'hello from web1');
    expect(hello).toMatchObject({ code: 0, stdout: 'hello from web1\n' });
    expect((await cli('exec', '--target', 'web1', '--', 'exit 7')).code).toBe(7);
    const json = JSON.parse(
      (await cli('exec', '--target', 'web1', '--json', '--', 'echo out; echo err >&2')).stdout,
    );
    expect(json).toMatchObject({ exit_code: 0, stdout: 'out\n', stderr: 'err\n', stdout_bytes: 4 });
  });

  it('never sends a denied command to the host (exit 3)', async () => {
    const marker = `/etc/automatos-denied-${process.pid}`;
    const sessions = () =>
      web1
        .log()
        .split('\n')
        .filter((l) => l.startsWith('Starting session:')).length;
    const before = sessions();
    const denied = await cli('exec', '--target', 'web1', '--', `touch ${marker}`);
    expect(denied.code).toBe(3);
    expect(denied.stderr).toMatch(/^error: command denied on web1 by policy rule write_outside_roots/);
    expect(existsSync(marker)).toBe(false);
    // Host side: sshd started no session for it, and the file is not there.
    expect(sessions()).toBe(before);
    expect(before).toBeGreaterThan(0);
  });

  it('pins a given fingerprint, and refuses a host whose key differs', async () => {
    const ok = await cli(
      'targets',
      'add',
      'web2',
      '--host',
      '127.0.0.1',
      '--port',
      String(web2.port),
      '--key',
      keyFile2,
      '--fingerprint',
      web2.hostKeyFingerprint,
    );
    expect(ok.code).toBe(0);
    expect((await cli('exec', '--target', 'web2', '--', 'true')).code).toBe(0);
    // web3 claims web1's key but is really web2: a changed key is always refused, with both fingerprints.
    await cli(
      'targets',
      'add',
      'web3',
      '--host',
      '127.0.0.1',
      '--port',
      String(web2.port),
      '--key',
      keyFile2,
      '--fingerprint',
      web1.hostKeyFingerprint,
    );
    const refused = await cli('exec', '--target', 'web3', '--', 'true');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(web1.hostKeyFingerprint);
    expect(refused.stderr).toContain(web2.hostKeyFingerprint);
  });

  it('lists targets and rejects bad input with one line', async () => {
    const ls = await cli('targets', 'ls');
    expect(ls.stdout).toMatch(/^local\s/m);
    expect(ls.stdout).toMatch(/^web1\s+root@127\.0\.0\.1:\d+\s+standard\s+bwrap\s+SHA256:/m);
    expect(ls.stdout).toMatch(/^local\s+\(this machine\)\s+standard\s+bwrap\s+-$/m);
    const bad = await cli('targets', 'add', 'Web_1', '--host', '127.0.0.1', '--agent');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: invalid target name: /);
    const dup = await cli('targets', 'add', 'web1', '--host', '127.0.0.1', '--key', keyFile);
    expect(dup.stderr).toContain('already exists');
  });

  it('stores the private key only encrypted', async () => {
    const db = await readFile(join(dataDir, 'automatos.db'));
    const body = web1.privateKey.split('\n')[1] ?? '';
    expect(body.length).toBeGreaterThan(20);
    expect(db.includes(body)).toBe(false);
  });

  it('audits every decision and detects tampering', async () => {
    const ls = JSON.parse((await cli('audit', 'ls', '--target', 'web1', '--json')).stdout) as Array<{
      action: string;
      decision: string | null;
      rule: string | null;
    }>;
    expect(
      ls.some((e) => e.action === 'exec' && e.decision === 'deny' && e.rule === 'write_outside_roots'),
    ).toBe(true);
    expect(ls.some((e) => e.action === 'target.host_key.trust')).toBe(true);
    expect((await cli('audit', 'verify')).code).toBe(0);
    const sqlite = new SQLite(join(dataDir, 'automatos.db'));
    sqlite.prepare("UPDATE audit_events SET command = 'echo innocent' WHERE seq = 3").run();
    sqlite.close();
    const verify = await cli('audit', 'verify');
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(/^audit log BROKEN at record 3 \(hash_mismatch\)/);
  });

  it('removes a target and its key', async () => {
    expect((await cli('targets', 'rm', 'web3')).code).toBe(0);
    expect((await cli('targets', 'ls')).stdout).not.toMatch(/^web3\s/m);
    expect((await cli('targets', 'show', 'web3')).code).toBe(2);
  });
});
