import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { commandWithPort } from '../../src/detect/index.js';
import { renderEnvFile } from '../../src/engine/deploy/env-file.js';
import { loadDeployable } from '../../src/engine/index.js';
import { overridePort } from '../../src/engine/port-override.js';
import { moduleOf } from '../plan/helpers.js';

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'automatos-port-'));
});

describe('commandWithPort', () => {
  it.each([
    ['python3 -m http.server 8000 --bind 0.0.0.0', 'python3 -m http.server 8080 --bind 0.0.0.0'],
    ['.venv/bin/gunicorn app:app --bind 0.0.0.0:8000', '.venv/bin/gunicorn app:app --bind 0.0.0.0:8080'],
    ['uvicorn main:app --port=8000', 'uvicorn main:app --port=8080'],
    ['PORT=8000 node server.js --port 8000', 'PORT=8080 node server.js --port 8080'],
    ['gunicorn app:app -b 0.0.0.0:${PORT:-8000}', 'gunicorn app:app -b 0.0.0.0:${PORT:-8080}'],
  ])('%s', (command, expected) => {
    expect(commandWithPort(command, 8000, 8080)).toBe(expected);
  });

  it('leaves other numbers alone and says when the port is not in the command', () => {
    expect(commandWithPort('node server.js --workers 8000', 8000, 8080)).toBeNull();
    expect(commandWithPort('uvicorn main:app --port 9000', 8000, 8080)).toBeNull();
    expect(commandWithPort('uvicorn main:app --port "$PORT"', 8000, 8080)).toBeNull();
  });
});

describe('overridePort', () => {
  it('changes the port a tier-1 manifest runs on, and the PORT its env file gets', () => {
    const { module, warnings } = overridePort(moduleOf({ port: 3000 }), 1, 3005);
    expect(module.port).toBe(3005);
    expect(renderEnvFile(module, {})).toContain('PORT="3005"\n');
    expect(warnings).toEqual([]);
  });

  it('runs a tier-1 start_command as written, with a warning when it names another port', () => {
    const start = '.venv/bin/uvicorn main:app --port 8000';
    const { module, warnings } = overridePort(moduleOf({ port: 8000, start_command: start }), 1, 9000);
    expect(module.start_command).toBe(start);
    expect(warnings).toEqual([
      'warning: --port 9000: start_command names port 8000 itself; PORT and the health check use 9000, the command is run as written',
    ]);
  });

  it('rewrites the port detection wrote into a tier-2 start command', () => {
    const start = 'python3 -m http.server 8000 --bind 0.0.0.0';
    const { module } = overridePort(moduleOf({ port: 8000, start_command: start }), 2, 8080);
    expect(module.start_command).toBe('python3 -m http.server 8080 --bind 0.0.0.0');
  });

  it.each([0, 65_536, -1, 80.5, Number.NaN])('refuses %s', (port) => {
    expect(() => overridePort(moduleOf({}), 1, port)).toThrow(/^--port must be an integer from 1 to 65535/);
  });
});

describe('loadDeployable with a port', () => {
  it('gives the module (the snapshot a workflow records) the overridden port', async () => {
    const deployable = await loadDeployable({ source: 'examples/python-http', dataDir, port: 8123 });
    await deployable.source.cleanup();
    expect(deployable.module.port).toBe(8123);
  });

  it('refuses a bad port before it reads the source', async () => {
    await expect(loadDeployable({ source: '/does/not/exist', dataDir, port: 0 })).rejects.toMatchObject({
      code: 'AUT_INVALID_INPUT',
    });
  });
});
