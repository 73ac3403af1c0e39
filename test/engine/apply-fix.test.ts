import { describe, expect, it } from 'vitest';
import { applyFix, describeFix } from '../../src/engine/index.js';
import { AiModuleSchema } from '../../src/manifest/index.js';

const base = AiModuleSchema.parse({
  name: 'shop',
  version: '1.0.0',
  description: 'a shop',
  module_type: 'web_app',
  build_command: 'npm ci',
  start_command: 'python3 -m http.server 8000',
  port: 8000,
  secrets: ['API_KEY'],
  system_dependencies: ['curl'],
  environment_variables: { LOG_LEVEL: 'INFO' },
});

describe('applyFix', () => {
  it('sets a command and leaves the given manifest untouched', () => {
    const before = structuredClone(base);
    const fixed = applyFix(base, { kind: 'set_command', field: 'start_command', value: 'node server.js' });
    expect(fixed.start_command).toBe('node server.js');
    expect(fixed.build_command).toBe('npm ci');
    expect(base).toEqual(before);
    expect(
      applyFix(base, { kind: 'set_command', field: 'test_command', value: 'npm test' }).test_command,
    ).toBe('npm test');
  });

  it('adds a system dependency once', () => {
    const fixed = applyFix(base, { kind: 'add_system_dependency', package: 'python3-venv' });
    expect(fixed.system_dependencies).toEqual(['curl', 'python3-venv']);
    expect(applyFix(fixed, { kind: 'add_system_dependency', package: 'curl' }).system_dependencies).toEqual([
      'curl',
      'python3-venv',
    ]);
  });

  it('moves the port, and a start command that names the old port follows it', () => {
    const fixed = applyFix(base, { kind: 'set_port', port: 8001 });
    expect(fixed.port).toBe(8001);
    expect(fixed.start_command).toBe('python3 -m http.server 8001');
    const plain = applyFix({ ...base, start_command: 'node server.js' }, { kind: 'set_port', port: 9000 });
    expect(plain).toMatchObject({ port: 9000, start_command: 'node server.js' });
  });

  it('sets an environment variable, but never PORT or a secret', () => {
    expect(
      applyFix(base, { kind: 'set_env', name: 'NODE_ENV', value: 'production' }).environment_variables,
    ).toEqual({ LOG_LEVEL: 'INFO', NODE_ENV: 'production' });
    expect(() => applyFix(base, { kind: 'set_env', name: 'PORT', value: '1' })).toThrow(
      expect.objectContaining({ code: 'AUT_INVALID_INPUT', message: expect.stringContaining('port') }),
    );
    expect(() => applyFix(base, { kind: 'set_env', name: 'API_KEY', value: 'x' })).toThrow(
      expect.objectContaining({ code: 'AUT_INVALID_INPUT', message: expect.stringContaining('secret') }),
    );
  });

  it('validates the result with the manifest schema', () => {
    // FixSchema allows any non-empty text; the manifest refuses a blank command.
    expect(() => applyFix(base, { kind: 'set_command', field: 'start_command', value: '   ' })).toThrow(
      expect.objectContaining({
        code: 'AUT_INVALID_INPUT',
        message: expect.stringContaining('start_command: must not be empty'),
      }),
    );
  });

  it('describes a fix in a few words', () => {
    expect(describeFix({ kind: 'set_port', port: 8001 })).toBe('port: 8001');
    expect(describeFix({ kind: 'add_system_dependency', package: 'libpq5' })).toBe(
      'system_dependencies += libpq5',
    );
  });
});
