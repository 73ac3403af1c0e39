import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_APPS, demoUrl } from '../../scripts/demo-apps.js';
import { runCli } from '../cli/run-cli.js';

// `npm run demo` for real: the same script, on the built-in `local` target, on the demo's fixed
// ports (no other test uses them). crypto-api is left out: its build downloads FastAPI from PyPI,
// which takes minutes (or fails) without a fast network; every other example needs only node and
// python3. The script runs the built CLI, so `npm run build` comes first (`npm test` does it).
const APPS = DEMO_APPS.filter((app) => app.name !== 'crypto-api');
const NAMES = APPS.map((app) => app.name);
let home: string;

function demo(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', ...args], {
      env: { ...process.env, AUTOMATOS_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The URLs of the demo's closing summary (not the deploy logs above it). */
const summaryUrls = (stdout: string): string[] =>
  [...(stdout.split(/^Demo: /m)[1] ?? '').matchAll(/^ {2}\S+ +(http:\/\/\S+)/gm)].map((m) => m[1] ?? '');

const releasesOf = async (app: string): Promise<string[]> => {
  const r = await runCli(['--data-dir', home, 'apps', 'show', app, '--json']);
  return (JSON.parse(r.stdout) as { releases: Array<{ releaseId: string }> }).releases.map(
    (x) => x.releaseId,
  );
};

const status = (url: string): Promise<number | 'refused'> =>
  fetch(url).then(
    (res) => res.status,
    () => 'refused' as const,
  );

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'automatos-demo-'));
});

afterAll(async () => {
  // Whatever happened above, nothing the demo started keeps running.
  await demo('--stop', ...NAMES);
  await rm(home, { recursive: true, force: true });
}, 60_000);

describe('npm run demo', () => {
  it(
    'deploys the examples to the local target and prints where each answers',
    { timeout: 60_000 },
    async () => {
      const r = await demo(...NAMES);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`Demo: ${APPS.length} of ${APPS.length} apps deployed to the local target`);
      expect(summaryUrls(r.stdout)).toEqual(APPS.map(demoUrl));
      expect(r.stdout).toContain('apps stop node-http --target local');
      for (const app of APPS) expect([app.name, await status(demoUrl(app))]).toEqual([app.name, 200]);
    },
  );

  it('redeploys on a second run: a new release, still answering', { timeout: 60_000 }, async () => {
    const before = await releasesOf('static-site');
    const r = await demo('node-http', 'static-site');
    expect(r.code, r.stderr).toBe(0);
    const after = await releasesOf('static-site');
    expect(after).toHaveLength(before.length + 1);
    expect(after).toEqual(expect.arrayContaining(before));
    for (const url of summaryUrls(r.stdout)) expect(await status(url)).toBe(200);
  });

  it('stops them with --stop', { timeout: 60_000 }, async () => {
    const r = await demo('--stop', ...NAMES);
    expect(r.code, r.stderr).toBe(0);
    for (const app of APPS) expect([app.name, await status(demoUrl(app))]).toEqual([app.name, 'refused']);
  });

  it('names what it does not know (exit 2)', async () => {
    const r = await demo('nope');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^demo: unknown app or option nope; usage: demo \[--stop\]/);
  });
});
