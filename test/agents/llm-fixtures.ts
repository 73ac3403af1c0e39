// A small tier-2 repository with secrets planted where they must not travel from, the planner
// input built from it by the real detection and summary code, and answers a model might give.
import { summarizeRepository } from '../../src/agents/summary/index.js';
import type { DiagnosisInput, PlannerInput } from '../../src/agents/index.js';
import { detectRepository, memoryView } from '../../src/detect/index.js';
import { AiModuleSchema } from '../../src/manifest/index.js';

/** Secrets the repository and the draft hold; none may reach a model's server. */
export const SECRETS = {
  envFile: 'envfile-FAKE-SECRET-91b2c7',
  envToken: 'tok-FAKE-SECRET-4c9f1e',
  dbPassword: 'pw-FAKE-SECRET-77aa0d',
};

export const PROMPT =
  'Deploy a Python Flask web server that serves cryptocurrency data with basic authentication and logging.';

const repo = memoryView({
  'app.py': [
    'import os',
    'from flask import Flask',
    'app = Flask(__name__)',
    '',
    "@app.get('/health')",
    'def health():',
    "    return 'ok'",
    '',
    "if __name__ == '__main__':",
    "    app.run(host='0.0.0.0', port=int(os.environ.get('PORT', 5000)))",
    '',
  ].join('\n'),
  'requirements.txt': 'flask==3.0.3\n',
  '.env': `API_TOKEN=${SECRETS.envFile}\n`,
});

export const draft = {
  name: 'crypto-api',
  version: '1.0.0',
  description: 'Flask app',
  module_type: 'web_app',
  build_command: 'pip install -r requirements.txt',
  start_command: 'python app.py',
  port: 5000,
  environment_variables: {
    API_TOKEN: SECRETS.envToken,
    DATABASE_URL: `postgres://app:${SECRETS.dbPassword}@db.internal/app`,
    LOG_LEVEL: 'info',
  },
} as const;

export const plannerInput: PlannerInput = {
  prompt: PROMPT,
  summary: summarizeRepository(repo, detectRepository(repo), 'crypto-api'),
  draft: { ...draft, environment_variables: { ...draft.environment_variables } },
};

/** A good answer. The model saw API_TOKEN only as [REDACTED] and echoes it so. */
export function validPlan(overrides: { name?: string; build_command?: string } = {}) {
  return {
    module: {
      name: overrides.name ?? 'crypto-api',
      version: '1.0.0',
      description: 'Flask API serving cryptocurrency data',
      module_type: 'api',
      build_command: overrides.build_command ?? 'pip install -r requirements.txt',
      start_command: 'python app.py',
      port: 5000,
      environment_variables: { API_TOKEN: '[REDACTED]', LOG_LEVEL: 'info' },
      security: { enable_auth: true, auth_type: 'basic' },
      monitoring: { logging_level: 'INFO' },
    },
    requirements: [
      { text: 'Python Flask web server', status: 'met', how: 'start_command: python app.py' },
      {
        text: 'serves cryptocurrency data',
        status: 'unmet',
        why: 'app.py only answers /health; the code does not serve cryptocurrency data yet',
      },
      { text: 'basic authentication', status: 'met', how: 'security.enable_auth: true, auth_type: basic' },
      { text: 'logging', status: 'met', how: 'monitoring.logging_level: INFO' },
    ],
    notes: ['Port 5000 from app.py'],
  };
}

export const diagnosisInput: DiagnosisInput = {
  module: AiModuleSchema.parse(draft),
  step: 'build',
  command: 'pip install -r requirements.txt',
  exitCode: 1,
  logTail: [
    'Collecting psycopg2==2.9.9',
    '  error: subprocess-exited-with-error',
    '  Error: pg_config executable not found.',
    `connecting with DATABASE_URL=postgres://app:${SECRETS.dbPassword}@db.internal/app`,
  ].join('\n'),
  attempt: 1,
};

export const validDiagnosis = {
  fix: { kind: 'add_system_dependency', package: 'libpq-dev' },
  reason: 'pip cannot build psycopg2: pg_config is missing; libpq-dev provides it',
};
