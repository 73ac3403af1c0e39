import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Orchestrator } from '../../src/engine/index.js';
import {
  APP,
  auditRows,
  CANARY,
  ECHO_FORMS,
  filesWithCanary,
  FORMS,
  leaks,
  LITERAL,
  releaseOnLocal,
  SECRET_NAME,
} from '../security/canary.js';
import { runCli } from './run-cli.js';

let root: string;
let dataDir: string;
const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args]);

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'automatos-cli-exec-'));
  dataDir = join(root, 'data');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('automatos exec and the secrets of the target’s apps', () => {
  it('control: with no secret registered, the probe prints the canary in every form', async () => {
    const out = await cli('exec', '--target', 'local', '--', ECHO_FORMS);
    expect(out.code).toBe(0);
    expect(leaks(out.stdout).sort()).toEqual(Object.keys(FORMS).sort());
  });

  it('redacts every form of an app secret from streamed output, --json output and the audit', async () => {
    const set = await cli('secrets', 'set', APP, SECRET_NAME, '--value', CANARY);
    expect(set.code).toBe(0);
    const orch = await Orchestrator.open({ dataDir, env: process.env });
    try {
      await releaseOnLocal(orch);
    } finally {
      await orch.close();
    }

    const streamed = await cli('exec', '--target', 'local', '--', ECHO_FORMS);
    expect(streamed.code).toBe(0);
    expect(streamed.stdout).toContain('plain=[REDACTED]');
    expect(leaks(streamed.stdout + streamed.stderr)).toEqual([]);

    const json = await cli('exec', '--target', 'local', '--json', '--', ECHO_FORMS);
    expect(json.code).toBe(0);
    expect(leaks(json.stdout + json.stderr)).toEqual([]);

    // Typed into the command: redacted in the output and before the command is stored.
    const typed = await cli('exec', '--target', 'local', '--json', '--', LITERAL);
    expect(typed.code).toBe(0);
    const shown = JSON.parse(typed.stdout) as { command: string; stdout: string };
    expect(shown.command).toContain('[REDACTED]');
    expect(shown.stdout).toContain('[REDACTED]');
    expect(leaks(typed.stdout + typed.stderr)).toEqual([]);

    expect(auditRows(dataDir)).toContain('[REDACTED]');
    expect(leaks(auditRows(dataDir))).toEqual([]);
    expect(filesWithCanary(dataDir)).toEqual([]);
  });

  it('refuses a control byte in the command with one line and a non-zero exit, running nothing', async () => {
    const marker = join(root, 'cli-marker');
    const out = await cli('exec', '--target', 'local', '--', `touch ${marker}\u0000; true`);
    expect(out.code).not.toBe(0);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.stderr).toContain('\\x00');
    expect(out.stdout).toBe('');
    expect(existsSync(marker)).toBe(false);
  });
});
