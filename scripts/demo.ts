/**
 * `npm run demo`: deploys every example to the built-in `local` target with the built CLI — the
 * same `automatos deploy` a user runs (guarded executor, audit, workflow records, health checks) —
 * and prints where each one answers and how to stop it. Run again, it redeploys (a new release per
 * app). `npm run demo -- --stop` (or `npm run demo:stop`) stops them. App names after the options
 * pick some of them (`npm run demo -- node-http static-site`): crypto-api alone downloads packages
 * (FastAPI from PyPI), the others need nothing but node and python3.
 *
 * Data dir: $AUTOMATOS_HOME when set, else .automatos-demo/ in this checkout, so the demo never
 * mixes its apps, keys and audit log into ~/.automatos. Exit 1 when a deploy or stop failed (the
 * apps are named), 2 when the demo could not start (no dist/, a secret could not be stored).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DEMO_APPS, demoUrl } from './demo-apps.js';
import type { DemoApp } from './demo-apps.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'automatos.js');
const fromEnv = process.env['AUTOMATOS_HOME'];
const dataDir = fromEnv !== undefined && fromEnv !== '' ? fromEnv : join(ROOT, '.automatos-demo');
const shownDir = dataDir.startsWith(`${ROOT}/`) ? relative(ROOT, dataDir) : dataDir;
/** The CLI as the user types it after the demo; `--data-dir` unless AUTOMATOS_HOME already says it. */
const cliHint = `npx automatos${fromEnv === dataDir ? '' : ` --data-dir ${shownDir}`}`;

/** Runs the built CLI with this demo's data dir; its output goes straight to the terminal. */
function automatos(args: readonly string[], input?: string): number {
  const result = spawnSync(process.execPath, [BIN, '--data-dir', dataDir, ...args], {
    cwd: ROOT,
    stdio: [input === undefined ? 'inherit' : 'pipe', 'inherit', 'inherit'],
    ...(input === undefined ? {} : { input }),
  });
  return result.status ?? 1;
}

/** The CLI's JSON output, or null when it failed (its error line already went to stderr). */
function automatosJson(args: readonly string[]): unknown {
  const result = spawnSync(process.execPath, [BIN, '--data-dir', dataDir, ...args, '--json'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  return result.status === 0 ? (JSON.parse(result.stdout) as unknown) : null;
}

function fail(code: number, message: string): never {
  console.error(`demo: ${message}`);
  process.exit(code);
}

/**
 * crypto-api refuses to start without CRYPTO_API_KEY. The demo makes one on first run and keeps a
 * copy (mode 0600, next to the data dir's master key) so `curl -H "X-API-Key: …" /prices` works.
 */
function ensureCryptoApiKey(): string {
  const file = join(dataDir, 'crypto-api.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(file, `${randomBytes(24).toString('hex')}\n`, { mode: 0o600 });
  }
  if (automatos(['secrets', 'set', 'crypto-api', 'CRYPTO_API_KEY'], readFileSync(file, 'utf8')) !== 0) {
    fail(2, 'could not store the CRYPTO_API_KEY secret of crypto-api');
  }
  return file;
}

function deployAll(apps: readonly DemoApp[]): void {
  const keyFile = apps.some((app) => app.name === 'crypto-api') ? ensureCryptoApiKey() : null;
  const failed: string[] = [];
  for (const app of apps) {
    console.log(`\n== ${app.name}: ${app.dir} → ${demoUrl(app)}`);
    const args = ['deploy', app.dir, '--target', 'local', '--port', String(app.port)];
    if (automatos(args) !== 0) failed.push(app.name);
  }
  const width = Math.max(...apps.map((a) => a.name.length)) + 2;
  const lines = apps.map((app) => {
    const state = failed.includes(app.name) ? 'FAILED (see its output above)' : demoUrl(app);
    return `  ${app.name.padEnd(width)}${state}${app.note === undefined ? '' : `   (${app.note})`}`;
  });
  const api = apps.find((app) => app.name === 'crypto-api');
  const shownKey = keyFile?.startsWith(`${ROOT}/`) === true ? relative(ROOT, keyFile) : keyFile;
  console.log(
    [
      '',
      `Demo: ${apps.length - failed.length} of ${apps.length} apps deployed to the local target (data dir ${shownDir})`,
      ...lines,
      ...(api === undefined || shownKey === null
        ? []
        : [
            `  crypto-api's key: curl -H "X-API-Key: $(cat ${shownKey})" http://127.0.0.1:${api.port}/prices`,
          ]),
      '',
      `Stop one:   ${cliHint} apps stop ${apps[0]?.name ?? 'APP'} --target local   (apps start brings it back)`,
      'Stop all:   npm run demo -- --stop',
      `Look:       ${cliHint} workflows ls | apps show APP | audit verify`,
    ].join('\n'),
  );
  if (failed.length > 0) fail(1, `deploy failed for ${failed.join(', ')}`);
}

function stopAll(apps: readonly DemoApp[]): void {
  const known = automatosJson(['apps', 'ls']);
  if (!Array.isArray(known)) fail(2, `could not list the apps of ${shownDir}`);
  const names = new Set((known as Array<{ name?: unknown }>).map((a) => a.name));
  const failed: string[] = [];
  for (const app of apps) {
    if (!names.has(app.name)) {
      console.log(`${app.name}: never deployed here, nothing to stop`);
      continue;
    }
    if (automatos(['apps', 'stop', app.name, '--target', 'local']) !== 0) failed.push(app.name);
  }
  if (failed.length > 0) fail(1, `could not stop ${failed.join(', ')}`);
}

if (!existsSync(join(ROOT, 'dist', 'cli', 'run.js'))) {
  fail(2, 'dist/ is missing: run `npm run build` first (`npm ci` does it)');
}
const args = process.argv.slice(2);
const named = args.filter((arg) => arg !== '--stop');
const unknown = named.filter((name) => !DEMO_APPS.some((app) => app.name === name));
if (unknown.length > 0) {
  fail(
    2,
    `unknown app or option ${unknown.join(' ')}; usage: demo [--stop] [${DEMO_APPS.map((a) => a.name).join('|')}…]`,
  );
}
const chosen = named.length === 0 ? DEMO_APPS : DEMO_APPS.filter((app) => named.includes(app.name));
if (args.includes('--stop')) stopAll(chosen);
else deployAll(chosen);
