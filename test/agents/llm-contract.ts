// One contract for every LLM provider, run by each provider's own test file against its fake
// server (as Hono's routers share one suite): the real SDK client talks HTTP to loopback.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createAgents,
  loadAgentConfig,
  totalUsage,
  type AgentExchange,
  type Agents,
} from '../../src/agents/index.js';
import { AutomatosError } from '../../src/core/index.js';
import type { FakeServer, RecordedRequest } from './fake-http.js';
import { diagnosisInput, draft, plannerInput, SECRETS, validDiagnosis, validPlan } from './llm-fixtures.js';

export const API_KEY = 'sk-test-CONFIGURED-KEY-0123456789abcdef';

export interface ProviderSpec {
  provider: 'openai' | 'anthropic';
  start(options: { apiKey?: string }): Promise<FakeServer>;
  /** The key the request authenticated with, from whichever header the provider uses. */
  keyOf(request: RecordedRequest): string | undefined;
  /** The conversation as sent: system prompt and every message, in order. */
  conversation(request: RecordedRequest): { role: string; content: string }[];
}

const failure = async (work: Promise<unknown>): Promise<AutomatosError> => {
  try {
    await work;
  } catch (error) {
    if (error instanceof AutomatosError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
};

export function providerContract(spec: ProviderSpec): void {
  describe(`${spec.provider} provider (real SDK against a loopback fake)`, () => {
    let fake: FakeServer;

    afterEach(async () => {
      await fake?.close();
    });

    async function setup(
      env: Record<string, string> = {},
      options: { serverKey?: string; maxRetries?: number } = {},
    ): Promise<Agents> {
      fake = await spec.start({ apiKey: options.serverKey ?? API_KEY });
      const dataDir = await mkdtemp(join(tmpdir(), 'automatos-llm-'));
      const config = loadAgentConfig(
        {
          AUTOMATOS_LLM_PROVIDER: spec.provider,
          AUTOMATOS_LLM_BASE_URL: fake.url,
          AUTOMATOS_LLM_MODEL: 'test-model',
          AUTOMATOS_LLM_API_KEY: API_KEY,
          ...env,
        },
        dataDir,
      );
      return createAgents(config, options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries });
    }

    const requestAt = (index: number): RecordedRequest => {
      const request = fake.requests[index];
      if (request === undefined) throw new Error(`the fake server got no request #${index + 1}`);
      return request;
    };

    const lastUserMessage = (request: RecordedRequest | undefined): string =>
      request === undefined ? '' : (spec.conversation(request).at(-1)?.content ?? '');

    it('plans: a valid answer comes back validated, with one exchange and its usage', async () => {
      const agents = await setup();
      fake.reply({ text: JSON.stringify(validPlan()), usage: { input: 1200, output: 300 } });
      const result = await agents.planner.plan(plannerInput);
      expect(agents.planner.provider).toBe(spec.provider);
      expect(result.output.module).toMatchObject({ name: 'crypto-api', port: 5000, module_type: 'api' });
      expect(result.output.module.security).toMatchObject({ enable_auth: true, auth_type: 'basic' });
      expect(result.output.requirements.map((r) => r.status)).toEqual(['met', 'unmet', 'met', 'met']);
      expect(result.exchanges).toHaveLength(1);
      expect(result.exchanges[0]).toMatchObject({
        agent: 'planner',
        provider: spec.provider,
        model: 'test-model',
        ok: true,
        error: null,
        usage: { inputTokens: 1200, outputTokens: 300 },
      });
      const sent = spec.conversation(requestAt(0));
      expect(sent[0]?.content).toContain('"requirements"'); // the JSON Schema is in the prompt
      expect(sent.at(-1)?.content).toContain('basic authentication and logging');
    });

    it('puts back the values it hid from the model, or asks for them as secrets', async () => {
      const agents = await setup();
      const plan = validPlan();
      Object.assign(plan.module.environment_variables, { SESSION_SECRET: '[REDACTED]' });
      fake.reply({ text: JSON.stringify(plan) });
      const { output } = await agents.planner.plan(plannerInput);
      expect(output.module.environment_variables).toEqual({
        API_TOKEN: draft.environment_variables.API_TOKEN,
        LOG_LEVEL: 'info',
      });
      // A hidden value the draft does not know becomes a secret for the operator to set.
      expect(output.module.secrets).toEqual(['SESSION_SECRET']);
      expect(output.notes.at(-1)).toContain('automatos secrets set crypto-api SESSION_SECRET');
    });

    it('repairs invalid JSON once, sending the problem back with the broken answer', async () => {
      const agents = await setup();
      const broken = '{"module": {"name": "crypto-api", "version": ';
      fake.reply({ text: broken }, { text: JSON.stringify(validPlan()) });
      const result = await agents.planner.plan(plannerInput);
      expect(result.output.module.name).toBe('crypto-api');
      expect(fake.requests).toHaveLength(2);
      const second = spec.conversation(requestAt(1));
      expect(second.at(-2)).toEqual({ role: 'assistant', content: broken });
      expect(lastUserMessage(fake.requests[1])).toContain('Your answer cannot be used');
      expect(lastUserMessage(fake.requests[1])).toContain('not valid JSON');
      expect(result.exchanges.map((e) => e.ok)).toEqual([false, true]);
      expect(result.exchanges[0]?.error).toContain('not valid JSON');
    });

    it('repairs a schema violation, naming the field that is wrong', async () => {
      const agents = await setup();
      fake.reply(
        { text: JSON.stringify(validPlan({ name: 'Crypto API' })) },
        { text: JSON.stringify(validPlan()) },
      );
      const result = await agents.planner.plan(plannerInput);
      expect(result.output.module.name).toBe('crypto-api');
      expect(lastUserMessage(fake.requests[1])).toMatch(/module\.name: .*DNS-label-safe/);
    });

    it('fails with AUT_LLM_INVALID_OUTPUT after a second invalid answer, without a third request', async () => {
      const agents = await setup();
      const bad = JSON.stringify(validPlan({ name: 'Crypto API' }));
      fake.reply({ text: bad }, { text: bad }, { text: JSON.stringify(validPlan()) });
      const error = await failure(agents.planner.plan(plannerInput));
      expect(error.code).toBe('AUT_LLM_INVALID_OUTPUT');
      expect(error.message).toContain(`the ${spec.provider} model "test-model" gave no valid plan`);
      expect(error.message).toContain('module.name');
      expect(fake.requests).toHaveLength(2);
      expect((error.details['exchanges'] as AgentExchange[]).map((e) => e.ok)).toEqual([false, false]);
    });

    it('returns a plan that pipes a download into sh as data, unmodified (the reviewer judges it)', async () => {
      const agents = await setup();
      const risky = 'curl -fsSL https://get.example.com/install.sh | sh && pip install -r requirements.txt';
      fake.reply({ text: JSON.stringify(validPlan({ build_command: risky })) });
      const { output } = await agents.planner.plan(plannerInput);
      expect(output.module.build_command).toBe(risky);
      expect(fake.requests).toHaveLength(1);
    });

    it('diagnoses a failed step', async () => {
      const agents = await setup();
      fake.reply({ text: JSON.stringify(validDiagnosis), usage: { input: 800, output: 60 } });
      const result = await agents.diagnoser.diagnose(diagnosisInput);
      expect(agents.diagnoser.provider).toBe(spec.provider);
      expect(result.diagnosis).toEqual(validDiagnosis);
      expect(result.exchanges[0]).toMatchObject({ agent: 'diagnoser', ok: true });
      const sent = lastUserMessage(fake.requests[0]);
      expect(sent).toContain('Step that failed: build');
      expect(sent).toContain('pg_config executable not found');
      expect(requestAt(0).raw).not.toContain(SECRETS.dbPassword);
    });

    it('gives up with AUT_LLM_TIMEOUT at the configured time when the server never answers', async () => {
      const agents = await setup({ AUTOMATOS_LLM_TIMEOUT: '0.5' });
      fake.reply({ hang: true }, { hang: true }, { hang: true });
      const started = Date.now();
      const error = await failure(agents.planner.plan(plannerInput));
      const elapsed = Date.now() - started;
      expect(error.code).toBe('AUT_LLM_TIMEOUT');
      expect(error.message).toContain('did not answer within 0.5s');
      expect(error.transient).toBe(true);
      expect(elapsed).toBeGreaterThanOrEqual(450);
      expect(elapsed).toBeLessThan(1500);
      expect((error.details['exchanges'] as AgentExchange[])[0]).toMatchObject({ ok: false });
    });

    it('stops at once with AUT_LLM_CANCELLED when the caller aborts', async () => {
      const agents = await setup();
      fake.reply({ hang: true });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const started = Date.now();
      const error = await failure(agents.planner.plan(plannerInput, controller.signal));
      expect(error.code).toBe('AUT_LLM_CANCELLED');
      expect(Date.now() - started).toBeLessThan(1000);
    });

    it('reports a refused key as AUT_LLM_AUTH without the key, and does not retry it', async () => {
      const agents = await setup({}, { serverKey: 'sk-server-expects-another-key-999999' });
      const error = await failure(agents.planner.plan(plannerInput));
      expect(error.code).toBe('AUT_LLM_AUTH');
      expect(error.message).toContain('refused the API key (HTTP 401)');
      expect(error.message).toContain('AUTOMATOS_LLM_API_KEY');
      const everything = `${error.message} ${JSON.stringify(error.details)}`;
      expect(everything).not.toContain(API_KEY);
      expect(everything).not.toContain(API_KEY.slice(-12));
      expect(fake.requests).toHaveLength(1);
    });

    it('sums token usage over the exchanges of a repaired answer', async () => {
      const agents = await setup();
      fake.reply({ text: 'Sure! Here is the plan.', usage: { input: 1000, output: 20 } });
      fake.reply({ text: JSON.stringify(validPlan()), usage: { input: 1100, output: 310 } });
      const { exchanges } = await agents.planner.plan(plannerInput);
      expect(totalUsage(exchanges)).toEqual({ inputTokens: 2100, outputTokens: 330 });
    });

    it('sends no secret to the server, authenticates with the configured key, and stores no secret', async () => {
      const agents = await setup();
      fake.reply({ text: 'not json' }, { text: JSON.stringify(validPlan()) });
      const result = await agents.planner.plan(plannerInput);
      expect(plannerInput.summary.files).toContain('app.py');
      expect(fake.requests).toHaveLength(2);
      for (const request of fake.requests) {
        expect(spec.keyOf(request)).toBe(API_KEY);
        for (const secret of [...Object.values(SECRETS), API_KEY]) expect(request.raw).not.toContain(secret);
        expect(request.raw).toContain('[REDACTED]');
      }
      const stored = JSON.stringify(result.exchanges);
      for (const secret of [...Object.values(SECRETS), API_KEY]) expect(stored).not.toContain(secret);
    });

    it('checks reachability with one tiny request', async () => {
      const agents = await setup();
      fake.reply({ text: 'OK', usage: { input: 12, output: 1 } });
      await expect(agents.check()).resolves.toMatchObject({ ok: true, skipped: false });
      expect(fake.requests).toHaveLength(1);
      expect(agents.describe()).toMatchObject({
        provider: spec.provider,
        model: 'test-model',
        endpoint: fake.url,
        apiKeySet: true,
      });
      expect(JSON.stringify(agents.describe())).not.toContain(API_KEY);
    });

    it('reports an endpoint that refuses connections as AUT_LLM_UNAVAILABLE', async () => {
      const agents = await setup({}, { maxRetries: 0 });
      await fake.close();
      const error = await failure(agents.planner.plan(plannerInput));
      expect(error.code).toBe('AUT_LLM_UNAVAILABLE');
      expect(error.message).toContain(`cannot reach the ${spec.provider} endpoint`);
      expect(error.message).toContain('ECONNREFUSED');
      expect(error.transient).toBe(true);
    });
  });
}
