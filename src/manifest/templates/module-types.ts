/**
 * A starting draft per module type. Commands are placeholders for the common stack of that kind of
 * module; `automatos init` replaces them with what stack detection found, keeping the rest.
 */
import type { AiModuleInput, ModuleType } from '../schema.js';

type Draft = AiModuleInput;

const DRAFTS: Readonly<Record<ModuleType, Draft>> = {
  web_app: {
    name: 'my-web-app',
    version: '0.1.0',
    description: 'A web application',
    module_type: 'web_app',
    build_command: 'npm ci && npm run build',
    start_command: 'npm start',
    test_command: 'npm test',
    port: 3000,
    environment_variables: { NODE_ENV: 'production', PORT: '3000' },
    // A web app serves pages; "/" answering is the meaningful signal.
    health_check: { endpoint: '/' },
  },
  api: {
    name: 'my-api',
    version: '0.1.0',
    description: 'An HTTP API',
    module_type: 'api',
    build_command: 'pip install -r requirements.txt',
    start_command: 'uvicorn main:app --host 0.0.0.0 --port 8000',
    test_command: 'pytest',
    port: 8000,
    health_check: { endpoint: '/health' },
    security: { enable_auth: true, auth_type: 'api_key', rate_limiting: true },
  },
  microservice: {
    name: 'my-service',
    version: '0.1.0',
    description: 'A microservice',
    module_type: 'microservice',
    build_command: 'go build -o bin/service .',
    start_command: './bin/service',
    test_command: 'go test ./...',
    port: 8080,
    resources: { cpu: '250m', memory: '256Mi' },
    health_check: { endpoint: '/healthz', interval: 15, timeout: 5 },
    monitoring: { tracing_enabled: true },
  },
  data_pipeline: {
    name: 'my-pipeline',
    version: '0.1.0',
    description: 'A data pipeline',
    module_type: 'data_pipeline',
    build_command: 'pip install -r requirements.txt',
    start_command: 'python pipeline.py',
    // A pipeline serves no HTTP; the process staying up is what the supervisor checks.
    health_check: { enabled: false },
    resources: { cpu: '500m', memory: '512Mi', storage: '10Gi' },
    backup_enabled: true,
  },
  ml_model: {
    name: 'my-model',
    version: '0.1.0',
    description: 'A machine-learning model served over HTTP',
    module_type: 'ml_model',
    build_command: 'pip install -r requirements.txt',
    start_command: 'uvicorn serve:app --host 0.0.0.0 --port 8000',
    port: 8000,
    resources: { cpu: '1', memory: '2Gi', storage: '5Gi', gpu: false },
    // Loading weights takes a while: give it a start period and slower probes.
    health_check: { endpoint: '/health', interval: 30, timeout: 20, start_period: 120 },
  },
  automation: {
    name: 'my-automation',
    version: '0.1.0',
    description: 'A scheduled or event-driven automation',
    module_type: 'automation',
    build_command: 'pip install -r requirements.txt',
    start_command: 'python run.py',
    // No port is needed; `port` keeps its default and is simply unused.
    health_check: { enabled: false },
  },
  infrastructure: {
    name: 'my-infra',
    version: '0.1.0',
    description: 'An infrastructure component (proxy, queue, cache)',
    module_type: 'infrastructure',
    build_command: 'true',
    start_command: './start.sh',
    port: 8080,
    // Infrastructure often speaks TCP rather than HTTP.
    health_check: { type: 'tcp' },
    backup_enabled: true,
  },
};

const SECTIONS = ['resources', 'health_check', 'security', 'monitoring', 'hooks'] as const;

/** Shallow merge with one level more for the sections, so `{health_check: {timeout: 5}}` keeps the rest. */
export function mergeDraft(base: Draft, overrides: Partial<Draft>): Draft {
  const merged: Draft = { ...base, ...overrides };
  for (const section of SECTIONS) {
    if (base[section] !== undefined || overrides[section] !== undefined) {
      Object.assign(merged, { [section]: { ...base[section], ...overrides[section] } });
    }
  }
  return merged;
}

/** A sensible draft for `type`, with `overrides` (detected commands, port…) applied over it. */
export function templateFor(type: ModuleType, overrides: Partial<Draft> = {}): Draft {
  return mergeDraft(structuredClone(DRAFTS[type]), overrides);
}
