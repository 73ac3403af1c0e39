import { describe, expect, it } from 'vitest';
import { createRulesDiagnoser, DiagnosisSchema } from '../../src/agents/index.js';
import type { Diagnosis, DiagnosisInput, Fix } from '../../src/agents/index.js';
import { AiModuleSchema, type AiModule, type AiModuleInput } from '../../src/manifest/index.js';
import { createPolicyEngine } from '../../src/policy/index.js';

const PYTHON: AiModuleInput = {
  name: 'prices',
  version: '1.0.0',
  description: 'prices',
  module_type: 'api',
  build_command: 'python3 -m venv .venv && .venv/bin/pip install -r requirements.txt',
  start_command: '.venv/bin/gunicorn app:app --bind 0.0.0.0:5000',
  port: 5000,
  system_dependencies: ['python3', 'python3-venv'],
};
const NODE: AiModuleInput = {
  name: 'shop',
  version: '1.0.0',
  description: 'shop',
  module_type: 'api',
  build_command: 'npm ci',
  start_command: 'npm start',
  test_command: 'npm test',
  port: 3000,
};

const module = (base: AiModuleInput, changes: Partial<AiModuleInput> = {}): AiModule =>
  AiModuleSchema.parse({ ...base, ...changes });

async function diagnose(
  m: AiModule,
  step: string,
  logTail: string,
  extra: Partial<DiagnosisInput> = {},
): Promise<Diagnosis> {
  const result = await createRulesDiagnoser().diagnose({
    module: m,
    step,
    command: null,
    exitCode: 1,
    logTail,
    attempt: 1,
    ...extra,
  });
  expect(result.exchanges).toEqual([]);
  return DiagnosisSchema.parse(result.diagnosis);
}

/** The module as the engine would run it after the fix. */
function applied(m: AiModule, fix: Fix | null): AiModule {
  if (fix === null) throw new Error('expected a fix');
  switch (fix.kind) {
    case 'set_command':
      return { ...m, [fix.field]: fix.value };
    case 'add_system_dependency':
      return { ...m, system_dependencies: [...m.system_dependencies, fix.package] };
    case 'set_port':
      return { ...m, port: fix.port };
    case 'set_env':
      return { ...m, environment_variables: { ...m.environment_variables, [fix.name]: fix.value } };
  }
}

const policy = createPolicyEngine();
const RELEASE = '/opt/automatos/apps/prices/releases/20260101T000000Z-abcdef1';

async function expectAllowed(fix: Fix | null): Promise<void> {
  if (fix?.kind !== 'set_command') return;
  const decision = await policy.check(fix.value, { cwd: RELEASE });
  expect(decision.allowed, `${fix.value}: ${decision.reason}`).toBe(true);
}

describe('rules diagnoser: port in use', () => {
  const NODE_LOG = [
    'node:events:497',
    "      throw er; // Unhandled 'error' event",
    'Error: listen EADDRINUSE: address already in use :::3000',
    '    at Server.setupListenHandle [as _listen2] (node:net:1872:16)',
  ].join('\n');

  it('moves the app to another port, a different one on each attempt', async () => {
    const first = await diagnose(module(NODE), 'verify', NODE_LOG);
    expect(first.fix).toEqual({ kind: 'set_port', port: 3001 });
    expect(first.reason).toContain('EADDRINUSE');
    const moved = applied(module(NODE), first.fix);
    const second = await diagnose(moved, 'verify', NODE_LOG.replace(':::3000', ':::3001'), { attempt: 2 });
    expect(second.fix).toEqual({ kind: 'set_port', port: 3003 });
  });

  it('reads gunicorn and Go logs too', async () => {
    const gunicorn = "[2026-01-01 10:00:00 +0000] [812] [ERROR] Connection in use: ('0.0.0.0', 5000)";
    expect((await diagnose(module(PYTHON), 'verify', gunicorn)).fix).toEqual({
      kind: 'set_port',
      port: 5001,
    });
    const go = '2026/01/01 10:00:00 listen tcp :5000: bind: address already in use';
    expect((await diagnose(module(PYTHON), 'verify', go)).fix).toEqual({ kind: 'set_port', port: 5001 });
  });

  it('proposes nothing when the app binds a port of its own choosing', async () => {
    const result = await diagnose(module(NODE, { port: 8000 }), 'verify', NODE_LOG);
    expect(result.fix).toBeNull();
    expect(result.reason).toMatch(/Port 3000 is already in use.*manifest's port is 8000/);
  });
});

describe('rules diagnoser: command not found', () => {
  it('runs a virtualenv tool from .venv/bin', async () => {
    const m = module(PYTHON, { start_command: 'gunicorn app:app --bind 0.0.0.0:5000' });
    const result = await diagnose(m, 'release', '/bin/sh: 1: gunicorn: not found', { exitCode: 127 });
    expect(result.fix).toEqual({
      kind: 'set_command',
      field: 'start_command',
      value: '.venv/bin/gunicorn app:app --bind 0.0.0.0:5000',
    });
    await expectAllowed(result.fix);
  });

  it('adds the Debian package of a known tool, once', async () => {
    const log = 'cc -O2 -o native native.c\nsh: 1: make: not found';
    const first = await diagnose(module(NODE), 'build', log, { exitCode: 127 });
    expect(first.fix).toEqual({ kind: 'add_system_dependency', package: 'make' });
    const again = await diagnose(applied(module(NODE), first.fix), 'build', log, { attempt: 2 });
    expect(again.fix).toBeNull();
    expect(again.reason).toContain('although make is in system_dependencies');
  });

  it('switches python to python3 when python-is-python3 did not help', async () => {
    const m = module(PYTHON, { start_command: 'python app.py', system_dependencies: ['python-is-python3'] });
    const result = await diagnose(m, 'release', 'bash: line 1: python: command not found');
    expect(result.fix).toEqual({ kind: 'set_command', field: 'start_command', value: 'python3 app.py' });
  });

  it('says what it cannot fix', async () => {
    const yarn = await diagnose(module(NODE), 'build', 'sh: 1: yarn: not found');
    expect(yarn).toMatchObject({ fix: null, reason: expect.stringContaining('corepack') });
    const unknown = await diagnose(module(NODE), 'build', 'anything', { exitCode: 127 });
    expect(unknown).toMatchObject({ fix: null, reason: expect.stringContaining('127') });
  });
});

describe('rules diagnoser: missing module or package', () => {
  const TRACEBACK = [
    'Traceback (most recent call last):',
    '  File "/opt/automatos/apps/prices/releases/x/app.py", line 3, in <module>',
    '    import yaml',
    "ModuleNotFoundError: No module named 'yaml'",
  ].join('\n');

  it('installs the PyPI package of a Python import into the venv, and not twice', async () => {
    const result = await diagnose(module(PYTHON), 'release', TRACEBACK);
    expect(result.fix).toEqual({
      kind: 'set_command',
      field: 'build_command',
      value:
        'python3 -m venv .venv && .venv/bin/pip install -r requirements.txt && .venv/bin/pip install pyyaml',
    });
    await expectAllowed(result.fix);
    const again = await diagnose(applied(module(PYTHON), result.fix), 'release', TRACEBACK, { attempt: 2 });
    expect(again.fix).toBeNull();
  });

  it('installs a missing Node package with the package manager the build uses', async () => {
    const cjs = "Error: Cannot find module 'express'\nRequire stack:\n- /srv/app/server.js";
    const npm = await diagnose(module(NODE), 'release', cjs);
    expect(npm.fix).toEqual({
      kind: 'set_command',
      field: 'build_command',
      value: 'npm ci && npm install --no-save express',
    });
    await expectAllowed(npm.fix);
    const esm =
      "Error [ERR_MODULE_NOT_FOUND]: Cannot find package '@fastify/cors' imported from /srv/app/server.mjs";
    const pnpm = await diagnose(
      module(NODE, { build_command: 'pnpm install --frozen-lockfile' }),
      'release',
      esm,
    );
    expect(pnpm.fix).toEqual({
      kind: 'set_command',
      field: 'build_command',
      value: 'pnpm install --frozen-lockfile && pnpm add @fastify/cors',
    });
  });

  it('does not install anything for a missing file of the app itself', async () => {
    const result = await diagnose(
      module(NODE),
      'release',
      "Error: Cannot find module '/srv/app/dist/server.js'",
    );
    expect(result).toMatchObject({ fix: null, reason: expect.stringContaining('file of the app') });
  });

  it('runs go mod tidy for an incomplete go.sum', async () => {
    const m = module(NODE, { build_command: 'go build -o bin/app .', start_command: './bin/app' });
    const log = 'main.go:6:2: missing go.sum entry for module providing package github.com/go-chi/chi/v5';
    const result = await diagnose(m, 'build', log);
    expect(result.fix).toEqual({
      kind: 'set_command',
      field: 'build_command',
      value: 'go mod tidy && go build -o bin/app .',
    });
    await expectAllowed(result.fix);
  });
});

describe('rules diagnoser: permission denied', () => {
  it('moves an app off a privileged port', async () => {
    const log = 'Error: listen EACCES: permission denied 0.0.0.0:80\n    at Server.setupListenHandle';
    const result = await diagnose(module(NODE, { port: 80 }), 'verify', log);
    expect(result.fix).toEqual({ kind: 'set_port', port: 8080 });
  });

  it('runs a script that lost its executable bit through bash', async () => {
    const result = await diagnose(
      module(NODE, { start_command: './start.sh --prod' }),
      'release',
      'sh: 1: ./start.sh: Permission denied',
      {
        exitCode: 126,
      },
    );
    expect(result.fix).toEqual({
      kind: 'set_command',
      field: 'start_command',
      value: 'bash ./start.sh --prod',
    });
    await expectAllowed(result.fix);
  });

  it('points a variable that names an unwritable path into the release', async () => {
    const log = "PermissionError: [Errno 13] Permission denied: '/var/log/prices.log'";
    const m = module(PYTHON, { environment_variables: { LOG_FILE: '/var/log/prices.log' } });
    const result = await diagnose(m, 'release', log);
    expect(result.fix).toEqual({ kind: 'set_env', name: 'LOG_FILE', value: './prices.log' });
    const again = await diagnose(applied(m, result.fix), 'release', log, { attempt: 2 });
    expect(again.fix).toBeNull();
  });

  it('installs globally installed npm packages into the release instead', async () => {
    const log = "npm ERR! Error: EACCES: permission denied, mkdir '/usr/local/lib/node_modules/typescript'";
    const result = await diagnose(
      module(NODE, { build_command: 'npm install -g typescript && npm ci' }),
      'build',
      log,
    );
    expect(result.fix).toEqual({
      kind: 'set_command',
      field: 'build_command',
      value: 'npm install typescript && npm ci',
    });
    await expectAllowed(result.fix);
  });

  it('gives a reason and no fix for a write it cannot redirect', async () => {
    const log = "mkdir: cannot create directory '/data': Permission denied";
    const result = await diagnose(module(PYTHON), 'release', log);
    expect(result).toMatchObject({ fix: null, reason: expect.stringContaining('/data') });
  });
});

describe('rules diagnoser: runtime version', () => {
  it.each([
    ['Node', 'npm WARN EBADENGINE Unsupported engine {\nnpm WARN EBADENGINE   required: { node: ">=20" },'],
    [
      'Node',
      "/srv/app/server.js:4\n  const port = config?.port ?? 3000;\n                      ^\nSyntaxError: Unexpected token '.'",
    ],
    ['Python', "ERROR: Package 'prices' requires a different Python: 3.9.2 not in '>=3.11'"],
    ['Python', '  File "app.py", line 9\n    match command:\n          ^\nSyntaxError: invalid syntax'],
  ])('%s: no fix, and what to do', async (runtime, log) => {
    const result = await diagnose(module(PYTHON), 'build', log);
    expect(result.fix).toBeNull();
    expect(result.reason).toContain(`different ${runtime} version`);
  });

  it('does not blame the runtime for an ordinary syntax error', async () => {
    const result = await diagnose(
      module(PYTHON),
      'build',
      '  File "app.py", line 2\n    x = = 1\n        ^\nSyntaxError: invalid syntax',
    );
    expect(result.reason).not.toContain('version');
  });
});

describe('rules diagnoser: limits', () => {
  it('proposes nothing for an unknown failure and quotes the last line', async () => {
    const result = await diagnose(module(NODE), 'test', 'not ok 1 - totals\n# fail 1', { exitCode: 1 });
    expect(result).toEqual({ fix: null, reason: expect.stringContaining('# fail 1') });
  });

  it('proposes nothing after two fixes', async () => {
    const result = await diagnose(module(NODE), 'verify', 'EADDRINUSE :::3000', { attempt: 3 });
    expect(result.fix).toBeNull();
  });

  it('never repeats a credential from the log in its reason', async () => {
    const log = 'GET /orders 401\ncurl -H "Authorization: Bearer abcdefghijklmnop123456" failed';
    const result = await diagnose(module(NODE), 'verify', log);
    expect(result.reason).toContain('Authorization');
    expect(result.reason).not.toContain('abcdefghijklmnop123456');
  });
});
