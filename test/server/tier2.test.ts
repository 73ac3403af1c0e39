// Tier 2 through the API against a real sshd target: POST /api/v1/plan and POST /workflow with a
// task_prompt (the rules planner), the review parking a plan with an unmet wish before anything
// is uploaded, who may approve or reject it (never the agent role), and an approved plan deployed
// and answering. MCP's plan and deploy tools take the same prompt.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { stopAppsUnder } from '../e2e/job-app.js';
import { freePort, startSshd, type Sshd } from '../harness/sshd.js';
import { startApi, type Api } from './harness.js';

let sshd: Sshd;
let api: Api;
let base: string;
let root: string;

interface Detail {
  id: string;
  status: string;
  error: string | null;
  task_prompt: string | null;
  requirements: Array<{ text: string; status: string; how?: string; why?: string }> | null;
  planner: { provider: string; model: string | null } | null;
  review: { verdict: string; findings: Array<{ kind: string; text?: string }> } | null;
  approval: { decision: string; by: string; reason: string | null } | null;
  results: Array<{ target: string; status: string; endpoint: string | null }>;
}

/** A Python app of the standard library only: nothing to download, answers on $PORT. */
async function pythonApp(name: string): Promise<string> {
  const dir = join(base, name);
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'server.py'),
    [
      'import json, os',
      'from http.server import BaseHTTPRequestHandler, HTTPServer',
      'PORT = int(os.environ["PORT"])',
      'class Handler(BaseHTTPRequestHandler):',
      '    def do_GET(self):',
      `        body = json.dumps({"app": ${JSON.stringify(name)}}).encode()`,
      '        self.send_response(200)',
      '        self.end_headers()',
      '        self.wfile.write(body)',
      'if __name__ == "__main__":',
      '    HTTPServer(("0.0.0.0", PORT), Handler).serve_forever()',
      '',
    ].join('\n'),
  );
  return dir;
}

async function detail(id: string, key = api.keys.viewer): Promise<Detail> {
  const res = await api.call('GET', `/workflows/${id}`, { key });
  expect(res.status).toBe(200);
  return (await res.json()) as Detail;
}

async function until(id: string, done: (w: Detail) => boolean, ms = 90_000): Promise<Detail> {
  const end = Date.now() + ms;
  for (;;) {
    const w = await detail(id);
    if (done(w)) return w;
    if (Date.now() > end) throw new Error(`workflow ${id} is still ${w.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function answers(port: number): Promise<unknown> {
  for (let i = 0; ; i++) {
    try {
      return await (await fetch(`http://127.0.0.1:${port}/`)).json();
    } catch (error) {
      if (i >= 50) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function submit(repo: string, prompt: string, key = api.keys.operator): Promise<Response> {
  return api.call('POST', '/workflow', {
    key,
    body: { repository_url: repo, target: 'web', task_prompt: prompt },
  });
}

beforeAll(async () => {
  sshd = await startSshd();
  base = await mkdtemp(join(tmpdir(), 'automatos-api-tier2-'));
  root = join(base, 'apps');
  api = await startApi({
    allowLocalSources: true,
    dataDir: join(base, 'data'),
    // The machine's own LLM settings must not turn the rules planner into a network call.
    env: { AUTOMATOS_LLM_PROVIDER: '', AUTOMATOS_LLM_BASE_URL: '', AUTOMATOS_LLM_MODEL: '' },
  });
  const res = await api.call('POST', '/api/v1/targets', {
    body: {
      name: 'web',
      host: '127.0.0.1',
      port: sshd.port,
      user: sshd.user,
      private_key: sshd.privateKey,
      fingerprint: sshd.hostKeyFingerprint,
      root,
    },
  });
  expect(res.status, await res.clone().text()).toBe(201);
}, 60_000);

afterAll(async () => {
  await stopAppsUnder(root);
  await api?.close();
  await sshd?.stop();
  await rm(base, { recursive: true, force: true });
});

describe('tier 2 through the API, rules planner, real SSH target', () => {
  it('plans from a prompt: the requirements, every command judged, and the review verdict', async () => {
    const repo = await pythonApp('plan-me');
    const res = await api.call('POST', '/api/v1/plan', {
      key: api.keys.agent,
      body: {
        repository_url: repo,
        target: 'web',
        task_prompt: 'Deploy the Python server on port 8123 with a PostgreSQL database',
      },
    });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    const plan = JSON.parse(text) as {
      module: { port: number };
      requirements: Array<{ text: string; status: string }>;
      steps: Array<{ commands: Array<{ policy?: { decision: string } }> }>;
      review: { verdict: string; findings: Array<{ kind: string }> };
    };
    expect(plan.module.port).toBe(8123);
    expect(plan.requirements).toContainEqual(
      expect.objectContaining({ status: 'met', text: expect.stringMatching(/port 8123/) }),
    );
    expect(plan.requirements.some((r) => r.status === 'unmet' && /database|postgres/i.test(r.text))).toBe(
      true,
    );
    const commands = plan.steps.flatMap((s) => s.commands);
    expect(commands.length).toBeGreaterThan(3);
    for (const c of commands) expect(c.policy?.decision).toBe('allow');
    expect(plan.review.verdict).toBe('approval_required');
    expect(plan.review.findings.map((f) => f.kind)).toContain('unmet_requirement');
  }, 60_000);

  it('refuses a prompt for a repository with a manifest, and an empty prompt, queuing nothing', async () => {
    const before = (await (await api.call('GET', '/workflows')).json()) as { items: unknown[] };
    const withManifest = await submit(join(process.cwd(), 'examples', 'node-http'), 'Deploy it');
    expect(withManifest.status).toBe(400);
    expect(((await withManifest.json()) as { error: { code: string } }).error.code).toBe('AUT_USAGE');
    const empty = await submit(await pythonApp('empty-prompt'), '   ');
    expect(empty.status).toBe(400);
    const after = (await (await api.call('GET', '/workflows')).json()) as { items: unknown[] };
    expect(after.items.length).toBe(before.items.length);
  }, 60_000);

  it('parks a plan with an unmet wish; agents and viewers may not decide; an operator rejects it', async () => {
    const repo = await pythonApp('rejected-app');
    const res = await submit(
      repo,
      'Deploy the Python server on port 8124 with a Redis cache',
      api.keys.agent,
    );
    expect(res.status, await res.clone().text()).toBe(202);
    const { workflow_id: id } = (await res.json()) as { workflow_id: string };
    const parked = await until(id, (w) => w.status !== 'queued' && w.status !== 'running');
    expect(parked.status).toBe('awaiting_approval');
    expect(parked.task_prompt).toContain('Redis cache');
    expect(parked.planner).toEqual({ provider: 'rules', model: null });
    expect(parked.review?.verdict).toBe('approval_required');
    expect(parked.review?.findings.some((f) => f.kind === 'unmet_requirement')).toBe(true);

    // An AI assistant deploys, but a person decides on what the review flagged.
    for (const key of [api.keys.agent, api.keys.viewer]) {
      const denied = await api.call('POST', `/workflows/${id}/approve`, { key, body: {} });
      expect(denied.status).toBe(403);
    }
    const rejected = await api.call('POST', `/workflows/${id}/reject`, {
      key: api.keys.operator,
      body: { reason: 'no cache here' },
    });
    expect(rejected.status, await rejected.clone().text()).toBe(200);
    expect(((await rejected.json()) as { status: string }).status).toBe('cancelled');
    const after = await detail(id);
    expect(after.approval).toMatchObject({ decision: 'rejected', reason: 'no cache here' });
    const again = await api.call('POST', `/workflows/${id}/approve`, { body: {} });
    expect(again.status).toBe(409);

    // Nothing reached the host: no upload, no build.
    const audit = (await (await api.call('GET', '/api/v1/audit?limit=1000')).json()) as {
      items: Array<{ action: string; workflowId: string | null }>;
    };
    const own = audit.items.filter((e) => e.workflowId === id).map((e) => e.action);
    expect(own).toEqual(['workflow.review', 'workflow.reject']);
  }, 120_000);

  it('an approved plan runs, and the app answers on the port the prompt asked for', async () => {
    const port = await freePort();
    const repo = await pythonApp('approved-app');
    const res = await submit(repo, `Deploy the Python server on port ${port} with a MongoDB database`);
    expect(res.status).toBe(202);
    const { workflow_id: id } = (await res.json()) as { workflow_id: string };
    await until(id, (w) => w.status === 'awaiting_approval');
    const approved = await api.call('POST', `/workflows/${id}/approve`, { key: api.keys.operator, body: {} });
    expect(approved.status, await approved.clone().text()).toBe(202);
    const done = await until(id, (w) => !['queued', 'running', 'awaiting_approval'].includes(w.status));
    expect(done.status, done.error ?? '').toBe('succeeded');
    expect(done.approval).toMatchObject({ decision: 'approved' });
    expect(done.results[0]?.endpoint).toBe(`http://127.0.0.1:${port}/`);
    // No health check was asked for, so verify did not wait for the app: give it a moment to bind.
    expect(await answers(port)).toEqual({ app: 'approved-app' });
  }, 180_000);

  it('the CLI as a client: plan and deploy --prompt on the server, then reject the parked plan', async () => {
    const repo = await pythonApp('remote-prompt');
    const env = { ...process.env, AUTOMATOS_URL: api.url, AUTOMATOS_API_KEY: api.keys.operator };
    const prompt = 'Deploy the Python server on port 8125 with a MySQL database';
    const plan = await runCli(['plan', repo, '--target', 'web', '--prompt', prompt], { env });
    expect(plan.stderr).toBe('');
    expect(plan.stdout).toMatch(/UNMET\s+a MySQL database/);
    expect(plan.stdout).toContain('review: approval_required');

    const deploy = await runCli(['deploy', repo, '--target', 'web', '--prompt', prompt], { env });
    expect(deploy.code).toBe(1);
    const id = /(wf_\S+|\S+) is waiting for approval/.exec(deploy.stdout)?.[1] ?? '';
    expect(deploy.stdout).toContain(`automatos workflows approve ${id}`);
    expect((await detail(id)).status).toBe('awaiting_approval');

    const reject = await runCli(['workflows', 'reject', id, '--reason', 'not here'], { env });
    expect(reject.code, reject.stderr).toBe(0);
    expect(await detail(id)).toMatchObject({
      status: 'cancelled',
      approval: { decision: 'rejected', reason: 'not here' },
    });
    const agent = await runCli(['workflows', 'approve', id], {
      env: { ...env, AUTOMATOS_API_KEY: api.keys.agent },
    });
    expect(agent.code).not.toBe(0);
    expect(agent.stderr).toContain('AUT_FORBIDDEN');
  }, 120_000);
});
