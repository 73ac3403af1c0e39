import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type Api } from './harness.js';

interface ErrorJson {
  error: { code: string; message: string; details: Record<string, unknown> };
}

let api: Api;
let scratch: string;
let marker: string;

beforeAll(async () => {
  // Some 250 requests: past the default 30 executions a minute per key. Unconfined, so the clean
  // control can leave its marker in the scratch dir (a confined exec writes nothing outside its
  // private /tmp): what is tested here is that nothing with a control byte runs at all.
  api = await startApi({
    rateLimits: { execute: { points: 1000, duration: 60 } },
    env: { AUTOMATOS_LOCAL_SANDBOX: 'off' },
  });
  scratch = mkdtempSync(join(tmpdir(), 'automatos-ctl-'));
  marker = join(scratch, 'ran');
});

afterAll(async () => {
  await api?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** Control bytes anywhere in the command, each in front of a command that would leave a marker. */
const COMMANDS: [string, string][] = [
  ['NUL', '\u0000'],
  ['SOH', '\u0001'],
  ['BEL', '\u0007'],
  ['backspace', '\u0008'],
  ['vertical tab', '\u000b'],
  ['form feed', '\u000c'],
  ['carriage return', '\r'],
  ['escape sequence', '\u001b[2K\u001b[1A'],
  ['unit separator', '\u001f'],
  ['DEL', '\u007f'],
  ['C1 CSI', '\u009b31m'],
];

describe('POST /execute with control bytes', () => {
  it('control: the marker probe works when the command is clean (tab and newline are fine)', async () => {
    const ok = join(scratch, 'clean');
    const res = await api.call('POST', '/execute', {
      body: { target: 'local', command: `true\ttrue\ntouch ${ok}` },
    });
    expect(res.status).toBe(200);
    expect(existsSync(ok)).toBe(true);
  });

  it.each(COMMANDS)('a %s in the command: 400, recorded as a denial, nothing run', async (name, bytes) => {
    for (const command of [
      `touch ${marker}${bytes}`,
      `${bytes}touch ${marker}`,
      `echo ${bytes}; touch ${marker}`,
    ]) {
      const res = await api.call('POST', '/execute', { body: { target: 'local', command } });
      expect(res.status, name).toBe(400);
      const body = (await res.json()) as ErrorJson;
      expect(body.error.code).toBe('AUT_INVALID_INPUT');
      expect(body.error.message).toMatch(/control byte \\x[0-9a-f]{2}/);
      expect(body.error.details).toMatchObject({ field: 'command' });
      expect(existsSync(marker)).toBe(false);
    }
    const [last] = await api.orch.audit.list({ limit: 1 });
    expect(last).toMatchObject({ action: 'exec', decision: 'deny', rule: 'invalid_input', target: 'local' });
    // Recorded with the byte made visible, never the raw control byte.
    expect(last?.command).toContain(`touch ${marker}`);
    expect(last?.command).toMatch(/\\x[0-9a-f]{2}/);
    // eslint-disable-next-line no-control-regex
    expect(last?.command).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  it.each([
    ['NUL', `${'/tmp'}\u0000`],
    ['newline', '/tmp\n/etc'],
    ['tab', '/tmp\t'],
    ['escape', '/tmp/\u001b[0m'],
  ])('a %s in working_directory: 400, nothing run', async (_name, cwd) => {
    const res = await api.call('POST', '/execute', {
      body: { target: 'local', command: `touch ${marker}`, working_directory: cwd },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorJson;
    expect(body.error).toMatchObject({ code: 'AUT_INVALID_INPUT', details: { field: 'working_directory' } });
    expect(existsSync(marker)).toBe(false);
  });

  it.each([
    ['a NUL in a value', { GREETING: 'hi\u0000there' }],
    ['a newline in a value', { GREETING: 'hi\nthere' }],
    ['an escape in a value', { GREETING: '\u001b]0;title\u0007' }],
    ['a control byte in a name', { 'A\u0001B': 'x' }],
  ])('%s of environment_variables: 400, nothing run, the value never echoed', async (_name, env) => {
    const res = await api.call('POST', '/execute', {
      body: { target: 'local', command: `touch ${marker}`, environment_variables: env },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorJson;
    expect(body.error.code).toBe('AUT_INVALID_INPUT');
    expect(JSON.stringify(body)).not.toContain('there');
    expect(existsSync(marker)).toBe(false);
  });

  it('never answers 500, whatever bytes come in', async () => {
    for (let code = 0; code < 0xa0; code += 1) {
      if (code >= 0x20 && code < 0x7f) continue;
      const ch = String.fromCharCode(code);
      const res = await api.call('POST', '/execute', {
        body: { target: 'local', command: `touch ${marker}${ch}`, working_directory: `/${ch}` },
      });
      expect(res.status, `U+${code.toString(16)}`).toBe(400);
      await res.arrayBuffer();
    }
    expect(existsSync(marker)).toBe(false);
  });
});
