import { describe, expect, it } from 'vitest';
import { hasContent, parsePrompt, type Intent } from '../../src/agents/rules/intent/index.js';

/** The parts of an intent a case cares about: kind, its data and negation, never offsets. */
function shape(intent: Intent): Record<string, unknown> {
  return Object.fromEntries(Object.entries(intent).filter(([key]) => key !== 'start' && key !== 'end'));
}

const find = (prompt: string, kind: Intent['kind']) =>
  parsePrompt(prompt)
    .filter((i) => i.kind === kind)
    .map(shape);

describe('prompt intents: ports', () => {
  it.each([
    ['Deploy it on port 5000', 5000, 'on port 5000'],
    ['serve on :8080 please', 8080, 'on :8080'],
    ['listening on 9090', 9090, 'listening on 9090'],
    ['set the port to 3001', 3001, 'the port to 3001'],
    ['use PORT=7000', 7000, 'PORT=7000'],
    ['expose port 99999', 99999, 'expose port 99999'],
  ])('%s -> %d', (prompt, port, text) => {
    expect(find(prompt, 'port')).toEqual([{ kind: 'port', port, text, negated: false }]);
  });

  it.each(['Deploy the app for 5000 users', 'cache 5000 items', 'version 8080 of the API'])(
    'a bare number is not a port: %s',
    (prompt) => {
      expect(find(prompt, 'port')).toEqual([]);
      expect(find(prompt, 'unknown').map((i) => i['text'])).toContainEqual(expect.stringMatching(/\d{4}/));
    },
  );
});

describe('prompt intents: environment variables', () => {
  it.each([
    ['set DEBUG=1', 'DEBUG', '1'],
    ['with environment variable NODE_ENV=production.', 'NODE_ENV', 'production'],
    ['env var feature_flag to on', 'feature_flag', 'on'],
    ['set LOG_FORMAT to json', 'LOG_FORMAT', 'json'],
    ['GREETING="hello world" please', 'GREETING', 'hello world'],
  ])('%s', (prompt, name, value) => {
    expect(find(prompt, 'env')).toEqual([expect.objectContaining({ kind: 'env', name, value })]);
  });

  it('does not read lowercase prose as a variable', () => {
    expect(find('set the mood to calm', 'env')).toEqual([]);
  });
});

describe('prompt intents: tests and negation', () => {
  it.each([
    ['run the tests', false],
    ['with tests', false],
    ['tests must pass', false],
    ['test before deploying', false],
    ['without tests', true],
    ['no tests', true],
    ["don't run the tests", true],
    ['skip the tests', true],
  ])('%s (negated: %s)', (prompt, negated) => {
    expect(find(prompt, 'tests')).toEqual([{ kind: 'tests', text: prompt, negated }]);
  });

  it('negates only the wish right after the negation', () => {
    const intents = parsePrompt('Deploy without tests but with a health check at /ready');
    expect(intents.find((i) => i.kind === 'tests')?.negated).toBe(true);
    expect(intents.find((i) => i.kind === 'health')).toMatchObject({ endpoint: '/ready', negated: false });
  });
});

describe('prompt intents: workers, health, logging', () => {
  it.each([
    ['4 workers', 4],
    ['two gunicorn workers', 2],
    ['workers: 8', 8],
    ['with 3 worker processes', 3],
  ])('%s', (prompt, count) => {
    expect(find(prompt, 'workers')).toEqual([expect.objectContaining({ count })]);
  });

  it.each([
    ['health check at /healthz', '/healthz'],
    ['healthcheck on /status', '/status'],
    ['use /ping for the health check', '/ping'],
    ['with a health check', null],
  ])('%s', (prompt, endpoint) => {
    expect(find(prompt, 'health')).toEqual([expect.objectContaining({ endpoint })]);
  });

  it.each([
    ['with logging', 'INFO', false],
    ['debug logging', 'DEBUG', false],
    ['verbose output', 'DEBUG', false],
    ['in debug mode', 'DEBUG', true],
    ['log level warning', 'WARNING', false],
    ['logs at error level', 'ERROR', false],
  ])('%s -> %s', (prompt, level, debugMode) => {
    expect(find(prompt, 'logging')).toEqual([expect.objectContaining({ level, debugMode })]);
  });
});

describe('prompt intents: auth, stack, platform', () => {
  it.each([
    ['basic authentication', 'basic'],
    ['HTTP basic auth', 'basic'],
    ['password protected', 'basic'],
    ['API key auth', 'api_key'],
    ['JWT authentication', 'jwt'],
    ['OAuth2 login', 'oauth2'],
    ['user authentication', null],
  ])('%s -> %s', (prompt, authType) => {
    expect(find(prompt, 'auth')[0]).toMatchObject({ kind: 'auth', authType });
  });

  it('reads one stack phrase with all its hints', () => {
    expect(find('Deploy a Python Flask web server', 'stack')).toEqual([
      {
        kind: 'stack',
        text: 'Python Flask web server',
        negated: false,
        hints: [
          { word: 'Python', language: 'python' },
          { word: 'Flask', language: 'python', framework: 'flask' },
          { word: 'web server', moduleType: 'web_app' },
        ],
      },
    ]);
  });

  it.each([
    ['Ruby on Rails', 'ruby', 'rails'],
    ['a Next.js site', 'node', 'next'],
    ['the Golang service', 'go', undefined],
    ['a static website', 'static', undefined],
  ])('%s', (prompt, language, framework) => {
    const hints = find(prompt, 'stack')[0]?.['hints'];
    expect(hints).toContainEqual(expect.objectContaining({ language, ...(framework ? { framework } : {}) }));
  });

  it('does not take "go" in prose for the Go language', () => {
    expect(find('ready to go live', 'stack')).toEqual([]);
  });

  it.each([
    ['with a PostgreSQL database', 'database'],
    ['HTTPS certificates', 'tls'],
    ['autoscaling to 10 replicas', 'scaling'],
    ['on example.com', 'domain'],
    ['nightly backups', 'backups'],
    ['every hour', 'schedule'],
    ['on Kubernetes', 'cloud_target'],
  ])('%s -> %s', (prompt, wish) => {
    expect(parsePrompt(prompt)).toContainEqual(expect.objectContaining({ kind: 'platform', wish }));
  });

  it('reads a quoted start command as written, before anything inside it', () => {
    expect(parsePrompt('start it with `PORT=9000 node server.js --verbose`')).toEqual([
      expect.objectContaining({
        kind: 'command',
        field: 'start_command',
        command: 'PORT=9000 node server.js --verbose',
      }),
    ]);
  });
});

describe('prompt intents: nothing is dropped', () => {
  const prompts = [
    'Deploy a Python Flask web server that serves cryptocurrency data with basic authentication and logging.',
    'Ship the Express API on port 4000, set NODE_ENV=production, run the tests and send a Slack message when done',
    'Deploy the thing for 5000 users with blockchain magic, a Redis cache and zero-downtime deploys',
    'Please deploy my FastAPI backend behind Cloudflare with 2 workers; also translate the docs into French',
  ];

  it.each(prompts)('every word that carries meaning is in some intent: %s', (prompt) => {
    const intents = parsePrompt(prompt);
    const covered = (index: number) => intents.some((i) => index >= i.start && index < i.end);
    for (const word of prompt.matchAll(/[A-Za-z0-9][\w'.-]*/g)) {
      if (hasContent(word[0])) expect(covered(word.index), `"${word[0]}" is not in any intent`).toBe(true);
    }
  });

  it('reports what it does not understand as its own wish', () => {
    const unknown = parsePrompt('Deploy it and translate the docs into French').filter(
      (i) => i.kind === 'unknown',
    );
    expect(unknown.map((i) => i.text)).toEqual(['translate the docs into French']);
  });

  it('keeps text past the length cap as one more wish', () => {
    const long = `Deploy on port 5000 ${'and make it shiny '.repeat(300)}and also fly`;
    const intents = parsePrompt(long);
    expect(intents.at(-1)).toMatchObject({ kind: 'unknown' });
    expect(intents.at(-1)?.text.endsWith('fly')).toBe(true);
  });

  it('is deterministic', () => {
    expect(parsePrompt(prompts[0] ?? '')).toEqual(parsePrompt(prompts[0] ?? ''));
  });
});
