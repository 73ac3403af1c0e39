// API keys end to end: the CLI commands, `automatos serve` bootstrapping the first admin key in a
// real process, AUTOMATOS_ADMIN_KEY, and proof that no key is stored or logged in clear.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { killServed, serve } from './serve-process.js';

let base: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'automatos-keys-'));
});
afterAll(async () => {
  killServed();
  await rm(base, { recursive: true, force: true });
});

/** Every byte the database holds (main file and write-ahead log). */
function databaseBytes(dataDir: string): string {
  return ['automatos.db', 'automatos.db-wal']
    .map((f) => join(dataDir, f))
    .filter((f) => existsSync(f))
    .map((f) => readFileSync(f).toString('latin1'))
    .join('');
}

const get = (url: string, key: string) =>
  fetch(`${url}/workflows`, { headers: { authorization: `Bearer ${key}` } });

describe('automatos serve bootstrap', () => {
  it('creates the first admin key once, prints it once on stderr, and stops cleanly on SIGTERM', async () => {
    const dataDir = join(base, 'boot');
    const first = await serve(dataDir);
    const key = /^\s+(atm_[0-9a-f]{16}_[A-Za-z0-9_-]{43})$/m.exec(first.stderr())?.[1];
    expect(key).toBeDefined();
    expect((await get(first.url, key ?? '')).status).toBe(200);
    expect((await fetch(`${first.url}/health`)).status).toBe(200);
    expect(await first.stop()).toBe(0);
    expect(first.stderr()).toContain('stopping');

    const second = await serve(dataDir);
    expect(second.stderr()).not.toMatch(/atm_/);
    expect((await get(second.url, key ?? '')).status).toBe(200);
    expect(await second.stop()).toBe(0);

    expect(databaseBytes(dataDir)).not.toContain(key);
    expect(databaseBytes(dataDir)).not.toContain((key ?? '').slice(22));
  }, 90_000);

  it('takes AUTOMATOS_ADMIN_KEY when it looks like a key, and refuses one that does not', async () => {
    const created = await runCli([
      '--data-dir',
      join(base, 'other'),
      'keys',
      'create',
      '--role',
      'admin',
      '--json',
    ]);
    const { key } = JSON.parse(created.stdout) as { key: string };
    const dataDir = join(base, 'env');
    const served = await serve(dataDir, { AUTOMATOS_ADMIN_KEY: key });
    expect(served.stderr()).not.toMatch(/atm_/);
    expect((await get(served.url, key)).status).toBe(200);
    expect(await served.stop()).toBe(0);
    expect(databaseBytes(dataDir)).not.toContain(key);

    await expect(serve(join(base, 'bad'), { AUTOMATOS_ADMIN_KEY: 'hunter2' })).rejects.toThrow(
      /AUTOMATOS_ADMIN_KEY must look like/,
    );
  }, 90_000);
});

describe('automatos keys', () => {
  it('creates (printed once), lists (never the key), revokes', async () => {
    const dataDir = join(base, 'cli');
    const created = await runCli([
      '--data-dir',
      dataDir,
      'keys',
      'create',
      '--role',
      'agent',
      '--name',
      'assistant',
      '--targets',
      'web-1,web-2',
      '--grant',
      'execute',
      '--expires',
      '30d',
    ]);
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^atm_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toMatch(
      /created agent key [0-9a-f]{16} \(assistant\) for web-1, web-2, expires 20/,
    );
    const id = key.slice(4, 20);

    const list = await runCli(['--data-dir', dataDir, 'keys', 'ls']);
    expect(list.stdout).toContain(id);
    expect(list.stdout).toContain('active');
    const json = await runCli(['--data-dir', dataDir, 'keys', 'ls', '--json']);
    const keys = JSON.parse(json.stdout) as Array<Record<string, unknown>>;
    expect(keys[0]).toMatchObject({ id, role: 'agent', targets: ['web-1', 'web-2'], grants: ['execute'] });
    expect(json.stdout).not.toContain(key.slice(21));
    expect(json.stdout).not.toContain('digest');

    expect((await runCli(['--data-dir', dataDir, 'keys', 'revoke', id])).code).toBe(0);
    expect((await runCli(['--data-dir', dataDir, 'keys', 'ls'])).stdout).toContain('revoked');
    const audit = await runCli(['--data-dir', dataDir, 'audit', 'ls', '--json']);
    expect(audit.stdout).toContain('key.create');
    expect(audit.stdout).toContain('key.revoke');
    expect(audit.stdout).not.toContain(key.slice(21));
    expect(databaseBytes(dataDir)).not.toContain(key.slice(21));

    expect((await runCli(['--data-dir', dataDir, 'keys', 'create', '--role', 'root'])).code).toBe(2);
    expect(
      (await runCli(['--data-dir', dataDir, 'keys', 'create', '--role', 'viewer', '--expires', '2001-01-01']))
        .code,
    ).toBe(2);
    expect((await runCli(['--data-dir', dataDir, 'keys', 'revoke', 'ffffffffffffffff'])).code).toBe(2);
  });
});
