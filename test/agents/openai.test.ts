import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgents, loadAgentConfig } from '../../src/agents/index.js';
import { header, type FakeServer, type RecordedRequest } from './fake-http.js';
import { startFakeOpenAi, type ChatCompletionRequest } from './fake-openai.js';
import { API_KEY, providerContract } from './llm-contract.js';
import { plannerInput, validPlan } from './llm-fixtures.js';

const bodyOf = (request: RecordedRequest | undefined) => request?.body as ChatCompletionRequest;

providerContract({
  provider: 'openai',
  start: (options) => startFakeOpenAi(options),
  keyOf: (request) => header(request, 'authorization')?.replace(/^Bearer /, ''),
  conversation: (request) => bodyOf(request).messages,
});

describe('openai provider: what only OpenAI-compatible endpoints do', () => {
  let fake: FakeServer;
  afterEach(async () => {
    await fake?.close();
  });

  const agentsFor = async (env: Record<string, string>) =>
    createAgents(
      loadAgentConfig(
        {
          AUTOMATOS_LLM_PROVIDER: 'openai',
          AUTOMATOS_LLM_BASE_URL: fake.url,
          AUTOMATOS_LLM_MODEL: 'llama3.1',
          ...env,
        },
        await mkdtemp(join(tmpdir(), 'automatos-openai-')),
      ),
    );

  it('asks for response_format json_schema (not strict) and still puts the schema in the prompt', async () => {
    fake = await startFakeOpenAi({ apiKey: API_KEY });
    const agents = await agentsFor({ AUTOMATOS_LLM_API_KEY: API_KEY });
    fake.reply({ text: JSON.stringify(validPlan()) });
    await agents.planner.plan(plannerInput);
    const body = bodyOf(fake.requests[0]);
    expect(body.model).toBe('llama3.1');
    expect(body.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: { name: 'deployment_plan', strict: false },
    });
    expect(body.messages[0]).toMatchObject({ role: 'system' });
    expect(body.messages[0]?.content).toContain('JSON Schema:');
  });

  it('falls back to the prompt alone when the server rejects response_format, and remembers it', async () => {
    fake = await startFakeOpenAi({ rejectResponseFormat: true });
    const agents = await agentsFor({});
    fake.reply({ text: JSON.stringify(validPlan()) }, { text: JSON.stringify(validPlan()) });
    await agents.planner.plan(plannerInput);
    await agents.planner.plan(plannerInput);
    expect(fake.requests.map((r) => bodyOf(r).response_format?.type ?? 'none')).toEqual([
      'json_schema',
      'none',
      'none',
    ]);
  });

  it('sends no Authorization header when no key is configured for a local server', async () => {
    fake = await startFakeOpenAi();
    const agents = await agentsFor({});
    fake.reply({ text: 'OK' });
    await expect(agents.check()).resolves.toMatchObject({ ok: true });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.headers.authorization).toBeUndefined();
    expect(agents.describe().apiKeySet).toBe(false);
  });

  it('retries a 503 within the timeout and records one exchange', async () => {
    fake = await startFakeOpenAi();
    const agents = await agentsFor({});
    fake.reply(
      { status: 503, message: 'model is loading', headers: { 'retry-after-ms': '20' } },
      { text: JSON.stringify(validPlan()) },
    );
    const result = await agents.planner.plan(plannerInput);
    expect(fake.requests).toHaveLength(2);
    expect(result.exchanges).toHaveLength(1);
  });

  it('names a missing model on a 404', async () => {
    fake = await startFakeOpenAi();
    const agents = await agentsFor({});
    fake.reply({ status: 404, message: 'model "llama3.1" not found, try pulling it first' });
    const check = await agents.check();
    expect(check).toMatchObject({ ok: false, code: 'AUT_LLM_UNAVAILABLE' });
    expect(check.ok ? '' : check.message).toContain('no model "llama3.1"');
    expect(check.ok ? '' : check.message).toContain('try pulling it first');
  });
});
