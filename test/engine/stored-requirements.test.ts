// The requirements a tier-2 workflow keeps are what its review and approval rest on: a credential in
// the prompt is redacted and every requirement still fits the schema, and a record that cannot be
// read fails closed (the plan waits for an operator) instead of reading as "nothing was asked".
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';

let base: string;
let dataDir: string;
let app: string;
const env = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !name.startsWith('AUTOMATOS_LLM_')),
);
const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args], { env });

interface WorkflowJson {
  id: string;
  status: string;
  taskPrompt: string;
  requirements: Array<{ text: string; status: string; why?: string }> | null;
  review: { verdict: string; findings: Array<{ kind: string; text?: string }> } | null;
}

const show = async (id: string): Promise<WorkflowJson> => {
  const r = await cli('workflows', 'show', id, '--json');
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as WorkflowJson;
};

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'automatos-stored-req-'));
  dataDir = join(base, 'data');
  app = join(base, 'app');
  await mkdir(app);
  await writeFile(join(app, 'server.py'), 'print("never started: the plan waits for approval")\n');
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('the requirements a tier-2 workflow records', () => {
  const secret = 'abc123';
  // One clause the rules planner cannot map (unmet), whose redacted text is past the schema's 500.
  const clause = `keep ${'z'.repeat(480)} token=${secret}`;
  let id: string;

  it('are redacted, cut to the schema, and park the plan for approval', async () => {
    const r = await cli(
      'deploy',
      app,
      '--target',
      'local',
      '--prompt',
      `Deploy the Python server and ${clause}`,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('is waiting for approval; nothing has run on any target');
    id = /\(workflow (wf_\w+)\)/.exec(r.stdout)?.[1] ?? '';
    const w = await show(id);
    expect(w.status).toBe('awaiting_approval');
    expect(w.taskPrompt).not.toContain(secret);
    const long = w.requirements?.find((q) => q.text.startsWith('keep zzz'));
    expect(long).toMatchObject({ status: 'unmet' });
    expect(long?.text).toHaveLength(500);
    expect(long?.text.endsWith('…')).toBe(true);
    expect(JSON.stringify(w)).not.toContain(secret);
    expect(w.review?.findings).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'unmet_requirement', text: long?.text })]),
    );
  });

  it('that cannot be read stand as one unmet requirement: approving does not run the plan', async () => {
    const db = new Database(join(dataDir, 'automatos.db'));
    db.prepare('UPDATE workflows SET requirements = ? WHERE id = ?').run('[{"text":""}]', id);
    db.close();
    // Shown as unreadable, not a crash.
    const shown = await cli('workflows', 'show', id);
    expect(shown.code, shown.stderr).toBe(0);
    const approved = await cli('workflows', 'approve', id);
    expect(approved.stdout + approved.stderr).toContain('the requirements recorded for this workflow');
    const w = await show(id);
    expect(w.status).toBe('awaiting_approval');
    expect(w.review?.findings).toEqual([
      expect.objectContaining({
        kind: 'unmet_requirement',
        text: 'the requirements recorded for this workflow',
      }),
    ]);
  });
});
