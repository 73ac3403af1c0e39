import { describe, expect, it } from 'vitest';
import { PlannerOutputSchema, createRulesPlanner, summarizeRepository } from '../../src/agents/index.js';
import type { PlannerOutput, Requirement } from '../../src/agents/index.js';
import { hasContent } from '../../src/agents/rules/intent/index.js';
import { isAutomatosError } from '../../src/core/index.js';
import { candidateToManifest, detectRepository, memoryView } from '../../src/detect/index.js';
import { AiModuleSchema } from '../../src/manifest/index.js';

const FLASK = {
  'requirements.txt': 'flask==3.0.3\nrequests==2.32.3\n',
  'app.py':
    'from flask import Flask\napp = Flask(__name__)\n\n@app.get("/")\ndef index():\n    return "hi"\n\n' +
    'if __name__ == "__main__":\n    app.run(host="0.0.0.0", port=5000)\n',
};
const FLASK_GUNICORN = {
  'requirements.txt': 'flask==3.0.3\nflask-httpauth==4.8.0\ngunicorn==22.0.0\n',
  'wsgi.py': 'from flask import Flask\napp = Flask(__name__)\n',
};
const EXPRESS = {
  'package.json': JSON.stringify({
    name: 'shop',
    version: '1.0.0',
    scripts: { start: 'node server.js', test: 'node --test' },
    dependencies: { express: '^4.19.2' },
  }),
  'server.js': "const app = require('express')();\napp.listen(process.env.PORT || 3000);\n",
};

async function plan(files: Record<string, string>, prompt: string): Promise<PlannerOutput> {
  const view = memoryView(files);
  const detection = detectRepository(view);
  const summary = summarizeRepository(view, detection, 'demo');
  const draft = detection.chosen ? candidateToManifest(detection.chosen, { dirName: 'demo', view }) : null;
  const result = await createRulesPlanner().plan({ prompt, summary, draft });
  expect(result.exchanges).toEqual([]);
  return result.output;
}

const byText = (output: PlannerOutput, text: string): Requirement | undefined =>
  output.requirements.find((r) => r.text === text);

describe('rules planner', () => {
  it('plans the original example: stack and logging met, app behaviour and auth unmet with reasons', async () => {
    const output = await plan(
      FLASK,
      'Deploy a Python Flask web server that serves cryptocurrency data with basic authentication and logging.',
    );
    expect(output.requirements.map((r) => [r.text, r.status])).toEqual([
      ['Python Flask web server', 'met'],
      ['serves cryptocurrency data', 'unmet'],
      ['basic authentication', 'unmet'],
      ['logging', 'met'],
    ]);
    expect(byText(output, 'basic authentication')).toMatchObject({
      why: expect.stringContaining('flask-httpauth'),
    });
    expect(output.module).toMatchObject({
      start_command: '.venv/bin/python app.py',
      port: 5000,
      module_type: 'web_app',
      security: { enable_auth: false },
      monitoring: { logging_level: 'INFO' },
    });
    expect(() => AiModuleSchema.parse(output.module)).not.toThrow();
    expect(PlannerOutputSchema.parse(output)).toEqual(output);
  });

  it('calls auth met only when the app implements it, and only then records it in the manifest', async () => {
    const output = await plan(FLASK_GUNICORN, 'Deploy with basic auth');
    expect(byText(output, 'basic auth')).toMatchObject({
      status: 'met',
      how: expect.stringContaining('flask-httpauth in requirements.txt'),
    });
    expect(output.module.security).toMatchObject({ enable_auth: true, auth_type: 'basic' });

    const other = await plan(FLASK_GUNICORN, 'Deploy with JWT authentication');
    expect(byText(other, 'JWT authentication')?.status).toBe('unmet');
    expect(other.module.security.enable_auth).toBe(false);
  });

  it('writes port and workers into the start command detection made', async () => {
    const output = await plan(FLASK_GUNICORN, 'Deploy it on port 8080 with 4 workers');
    expect(output.module.start_command).toBe('.venv/bin/gunicorn wsgi:app --bind 0.0.0.0:8080 --workers 4');
    expect(output.module.port).toBe(8080);
    expect(output.requirements.every((r) => r.status === 'met')).toBe(true);
  });

  it('keeps a secret from the prompt out of the manifest and out of the requirements', async () => {
    const output = await plan(EXPRESS, 'Deploy with DB_PASSWORD=hunter2-hunter2 and set GREETING=hi');
    const text = JSON.stringify(output);
    expect(text).not.toContain('hunter2-hunter2');
    expect(output.module.secrets).toEqual(['DB_PASSWORD']);
    expect(output.module.environment_variables).toEqual({ GREETING: 'hi' });
    expect(output.requirements.find((r) => r.text.startsWith('DB_PASSWORD'))).toMatchObject({
      status: 'unmet',
      why: expect.stringContaining('automatos secrets set shop DB_PASSWORD'),
    });
  });

  it('takes a lower-ranked candidate the prompt names, and says so', async () => {
    // Detection ranks the Flask app first here (equal scores, Python first on ties).
    const output = await plan({ ...EXPRESS, ...FLASK }, 'Deploy the Node.js app');
    expect(output.module).toMatchObject({
      start_command: 'npm start',
      build_command: 'npm install',
      port: 3000,
    });
    expect(byText(output, 'Node.js app')?.status).toBe('met');
    expect(output.notes.join('\n')).toMatch(/instead of detection's first choice, python\/flask/);
  });

  it('falls back from a framework no candidate has to the language one has', async () => {
    const script = { 'requirements.txt': 'requests==2.32.3\n', 'main.py': 'print("hi")\n' };
    const output = await plan({ ...EXPRESS, ...script }, 'Deploy the Python Django app, not the Node app');
    expect(output.module.start_command).toBe('.venv/bin/python main.py');
    expect(byText(output, 'Python Django app')).toMatchObject({
      status: 'unmet',
      why: expect.stringContaining('Django'),
    });
    expect(byText(output, 'not the Node app')?.status).toBe('met');
  });

  it('reports a stack the repository does not have as unmet and deploys what was detected', async () => {
    const output = await plan(EXPRESS, 'Deploy my Django project');
    expect(output.module.start_command).toBe('npm start');
    expect(byText(output, 'Django project')).toMatchObject({
      status: 'unmet',
      why: expect.stringContaining('node/express'),
    });
  });

  it.each([
    ['run the tests', 'met', 'npm test'],
    ['without tests', 'met', null],
  ])('tests: %s', async (prompt, status, test) => {
    const output = await plan(EXPRESS, prompt);
    expect(output.requirements).toEqual([expect.objectContaining({ text: prompt, status })]);
    expect(output.module.test_command).toBe(test);
  });

  it('reports tests it cannot find as unmet', async () => {
    const output = await plan(FLASK, 'run the tests');
    expect(output.requirements).toEqual([
      expect.objectContaining({ status: 'unmet', why: expect.stringContaining('no test suite') }),
    ]);
  });

  it('reports workers a Node app cannot have as unmet', async () => {
    const output = await plan(EXPRESS, 'with 4 workers');
    expect(output.requirements[0]).toMatchObject({
      status: 'unmet',
      why: expect.stringContaining('one process'),
    });
    expect(output.module.start_command).toBe('npm start');
  });

  it('turns only the last of two ports into the module port', async () => {
    const output = await plan(EXPRESS, 'on port 4000, then on port 5000');
    expect(output.module.port).toBe(5000);
    expect(output.requirements.map((r) => r.status)).toEqual(['unmet', 'met']);
  });

  it('builds a module from a quoted start command when no stack is detected', async () => {
    const output = await plan({ 'README.md': '# tool\n' }, 'start it with `sh run.sh` on port 7000');
    expect(output.module).toMatchObject({ name: 'demo', start_command: 'sh run.sh', port: 7000 });
  });

  it('refuses with AUT_DETECT_NONE when there is no stack and no start command, keeping the wishes', async () => {
    const error: unknown = await plan({ 'README.md': '# notes\n' }, 'Deploy a Flask app on port 5000').catch(
      (e: unknown) => e,
    );
    expect(isAutomatosError(error) && error.code).toBe('AUT_DETECT_NONE');
    expect(isAutomatosError(error) && error.details['requirements']).toEqual(['Flask app', 'on port 5000']);
  });

  describe('nothing the prompt asks for is dropped', () => {
    const prompts = [
      'Deploy a Python Flask web server that serves cryptocurrency data with basic authentication and logging.',
      'Deploy it on port 5000 with 4 workers, debug logging, a health check at /healthz and a Redis cache',
      'Run the tests, set FOO=bar, add HTTPS, autoscaling to 10 replicas, and a pony',
      'Host the backend for 5000 users behind Cloudflare; also translate the docs into French.',
    ];

    it.each(prompts)('%s', async (prompt) => {
      const output = await plan(FLASK_GUNICORN, prompt);
      const texts = output.requirements.map((r) => r.text.toLowerCase());
      for (const word of prompt.matchAll(/[A-Za-z0-9][\w'-]*(?:\.[\w'-]+)*/g)) {
        if (!hasContent(word[0])) continue;
        expect(
          texts.some((t) => t.includes(word[0].toLowerCase())),
          `"${word[0]}" is in no requirement`,
        ).toBe(true);
      }
      for (const r of output.requirements) {
        expect(r.status === 'met' ? r.how : r.why).not.toBe('');
      }
    });
  });

  it('caps a prompt with more wishes than a plan holds without dropping any', async () => {
    const wishes = Array.from({ length: 60 }, (_, i) => `set VAR_${i}=${i}`).join(', ');
    const output = await plan(EXPRESS, wishes);
    expect(output.requirements).toHaveLength(50);
    expect(output.requirements.at(-1)).toMatchObject({
      status: 'unmet',
      text: expect.stringContaining('set VAR_59=59'),
    });
  });

  it('is deterministic', async () => {
    const prompt = 'Deploy the Express API on port 4000 with debug logging';
    expect(await plan(EXPRESS, prompt)).toEqual(await plan(EXPRESS, prompt));
  });

  it('honours an aborted signal', async () => {
    const view = memoryView(EXPRESS);
    const detection = detectRepository(view);
    const input = { prompt: 'x', summary: summarizeRepository(view, detection, 'x'), draft: null };
    await expect(createRulesPlanner().plan(input, AbortSignal.abort())).rejects.toThrow();
  });
});
