import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgents, loadAgentConfig } from '../../src/agents/index.js';
import { startFakeAnthropic, type MessagesRequest } from './fake-anthropic.js';
import { header, type FakeServer, type RecordedRequest } from './fake-http.js';
import { API_KEY, providerContract } from './llm-contract.js';
import { plannerInput, validPlan } from './llm-fixtures.js';

const bodyOf = (request: RecordedRequest | undefined) => request?.body as MessagesRequest;

providerContract({
  provider: 'anthropic',
  start: (options) => startFakeAnthropic(options),
  keyOf: (request) =>
    header(request, 'x-api-key') ?? header(request, 'authorization')?.replace(/^Bearer /, ''),
  conversation: (request) => {
    const body = bodyOf(request);
    return [{ role: 'system', content: body.system ?? '' }, ...body.messages];
  },
});

describe('anthropic provider: the Messages API as Claude expects it', () => {
  let fake: FakeServer;
  afterEach(async () => {
    await fake?.close();
  });

  it('sends anthropic-version, max_tokens and a top-level system prompt, and no output_config', async () => {
    fake = await startFakeAnthropic({ apiKey: API_KEY });
    const agents = createAgents(
      loadAgentConfig(
        {
          AUTOMATOS_LLM_PROVIDER: 'anthropic',
          AUTOMATOS_LLM_BASE_URL: fake.url,
          AUTOMATOS_LLM_MODEL: 'claude-test',
          AUTOMATOS_LLM_API_KEY: API_KEY,
        },
        await mkdtemp(join(tmpdir(), 'automatos-anthropic-')),
      ),
    );
    fake.reply({ text: `Here it is:\n\`\`\`json\n${JSON.stringify(validPlan())}\n\`\`\`` });
    const { output } = await agents.planner.plan(plannerInput);
    expect(output.module.name).toBe('crypto-api');
    const [request] = fake.requests;
    if (request === undefined) throw new Error('the fake server got no request');
    expect(header(request, 'anthropic-version')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const body = bodyOf(request) as MessagesRequest & { output_config?: unknown };
    expect(body).toMatchObject({ model: 'claude-test', max_tokens: 4096 });
    expect(body.system).toContain('JSON Schema:');
    expect(body.messages.map((m) => m.role)).toEqual(['user']);
    expect(body.output_config).toBeUndefined();
  });
});
