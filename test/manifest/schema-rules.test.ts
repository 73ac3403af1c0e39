/** Every schema rule through the parser: types, ranges, enums, patterns and the default set. */
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/manifest/index.js';
import type { ManifestIssue } from '../../src/manifest/index.js';

const MINIMAL = `name: demo
version: "1.0.0"
description: Demo
module_type: api
build_command: make
start_command: ./run
`;

function parse(extra: string): { value: unknown; errors: ManifestIssue[] } {
  return parseManifest(MINIMAL + extra, 'ai-module.yaml');
}

/** The single error an added line produces, as `path: code`. */
function errorOf(extra: string): string {
  const { errors } = parse(extra);
  return errors.map((e) => `${e.path}: ${e.code}`).join(' | ');
}

describe('defaults', () => {
  it('fills every default of a minimal manifest, exactly', () => {
    const { value, errors } = parse('');
    expect(errors).toEqual([]);
    expect(value).toEqual({
      name: 'demo',
      version: '1.0.0',
      description: 'Demo',
      module_type: 'api',
      build_command: 'make',
      start_command: './run',
      test_command: null,
      dependencies: [],
      dev_dependencies: [],
      system_dependencies: [],
      secrets: [],
      environment_variables: {},
      deployment_target: 'local',
      port: 8000,
      resources: { cpu: '100m', memory: '128Mi', storage: '1Gi', gpu: false },
      health_check: {
        enabled: true,
        endpoint: '/health',
        interval: 30,
        timeout: 10,
        retries: 3,
        type: 'http',
        expected_status: 200,
        start_period: 0,
      },
      security: {
        enable_auth: false,
        auth_type: 'jwt',
        rate_limiting: true,
        input_validation: true,
        cors_enabled: true,
        allowed_origins: [],
      },
      monitoring: {
        metrics_enabled: true,
        logging_level: 'INFO',
        tracing_enabled: false,
        alerts_enabled: false,
      },
      auto_scaling: false,
      backup_enabled: false,
      rollback_enabled: true,
      custom_config: {},
      runtime: 'auto',
      hooks: { pre_build: [], post_build: [], pre_release: [], post_release: [] },
      keep_releases: 5,
      writable_paths: [],
    });
  });

  it('keeps env values as text', () => {
    const { value } = parse('environment_variables:\n  WORKERS: 4\n  DEBUG: false\n  NAME: x\n');
    expect((value as { environment_variables: unknown }).environment_variables).toEqual({
      WORKERS: '4',
      DEBUG: 'false',
      NAME: 'x',
    });
  });
});

describe('required fields', () => {
  it.each(['name', 'version', 'description', 'module_type', 'build_command', 'start_command'])(
    '%s is required',
    (field) => {
      const text = MINIMAL.split('\n')
        .filter((line) => !line.startsWith(`${field}:`))
        .join('\n');
      const { errors } = parseManifest(text, 'f');
      expect(errors.map((e) => [e.path, e.code])).toEqual([[field, 'missing_required']]);
    },
  );
});

// [added YAML, expected "path: code" or '' for valid]
const RULES: [string, string][] = [
  ['port: 1', ''],
  ['port: 65535', ''],
  ['port: 0', 'port: out_of_range'],
  ['port: 65536', 'port: out_of_range'],
  ['port: 80.5', 'port: invalid_type'],
  ['port: "8000"', 'port: invalid_type'],
  ['health_check:\n  interval: 86400', ''],
  ['health_check:\n  interval: 86401', 'health_check.interval: out_of_range'],
  ['health_check:\n  timeout: 0', 'health_check.timeout: out_of_range'],
  ['health_check:\n  timeout: 3601', 'health_check.timeout: out_of_range'],
  ['health_check:\n  retries: 0', ''],
  ['health_check:\n  retries: 101', 'health_check.retries: out_of_range'],
  ['health_check:\n  expected_status: 99', 'health_check.expected_status: out_of_range'],
  ['health_check:\n  expected_status: 600', 'health_check.expected_status: out_of_range'],
  ['health_check:\n  start_period: -1', 'health_check.start_period: out_of_range'],
  ['health_check:\n  type: grpc', 'health_check.type: invalid_value'],
  ['health_check:\n  type: tcp', ''],
  ['health_check:\n  type: command', 'health_check.command: missing_health_command'],
  ['health_check:\n  type: command\n  command: ./ping', ''],
  ['health_check:\n  enabled: "false"', 'health_check.enabled: invalid_type'],
  ['health_check:\n  endpoint: health', 'health_check.endpoint: invalid_format'],
  ['health_check:\n  endpoint: "/a b"', 'health_check.endpoint: invalid_format'],
  ['keep_releases: 0', 'keep_releases: out_of_range'],
  ['keep_releases: 101', 'keep_releases: out_of_range'],
  ['resources:\n  cpu: 250m', ''],
  ['resources:\n  cpu: "0.5"', ''],
  ['resources:\n  cpu: 0.5', 'resources.cpu: invalid_type'],
  ['resources:\n  cpu: 1 core', 'resources.cpu: invalid_format'],
  ['resources:\n  memory: 1.5Gi', ''],
  ['resources:\n  memory: 1GB', 'resources.memory: invalid_format'],
  ['resources:\n  storage: lots', 'resources.storage: invalid_format'],
  ['resources:\n  gpu: 1', 'resources.gpu: invalid_type'],
  ['security:\n  auth_type: oauth2', ''],
  ['security:\n  auth_type: saml', 'security.auth_type: invalid_value'],
  ['security:\n  allowed_origins: "*"', 'security.allowed_origins: invalid_type'],
  ['security:\n  allowed_origins: [""]', 'security.allowed_origins[0]: invalid_value'],
  ['monitoring:\n  logging_level: DEBUG', ''],
  ['monitoring:\n  logging_level: TRACE', 'monitoring.logging_level: invalid_value'],
  ['deployment_target: docker', ''],
  ['deployment_target: ec2', 'deployment_target: invalid_value'],
  ['runtime: systemd', ''],
  ['runtime: pm2', 'runtime: invalid_value'],
  ['hooks:\n  pre_build: ["make deps"]', ''],
  ['hooks:\n  pre_deploy: []', 'hooks.pre_deploy: unknown_key'],
  ['test_command: null', ''],
  ['test_command: ""', 'test_command: invalid_value'],
  ['secrets: [API_KEY, _X1]', ''],
  ['secrets: [1KEY]', 'secrets[0]: invalid_format'],
  ['environment_variables:\n  bad-name: x', 'environment_variables.bad-name: invalid_key'],
  ['environment_variables:\n  X: null', 'environment_variables.X: invalid_type'],
  ['dependencies: [""]', 'dependencies[0]: invalid_value'],
  ['custom_config:\n  anything: [1, {a: b}]', ''],
  ['custom_config: [1]', 'custom_config: invalid_type'],
  ['auto_scaling: yes', 'auto_scaling: invalid_type'],
  ['backup_enabled: true', ''],
  ['rollback_enabled: 0', 'rollback_enabled: invalid_type'],
  ['x-anything: {whatever: [1]}', ''],
];

describe('field rules', () => {
  it.each(RULES)('%j -> %s', (extra, expected) => {
    expect(errorOf(`${extra}\n`)).toBe(expected);
  });

  it.each([
    ['name: a', ''],
    ['name: a-b-9', ''],
    [`name: ${'a'.repeat(63)}`, ''],
    [`name: ${'a'.repeat(64)}`, 'name: out_of_range'],
    ['name: -ab', 'name: invalid_format'],
    ['name: ab-', 'name: invalid_format'],
    ['name: Ab', 'name: invalid_format'],
    ['name: a_b', 'name: invalid_format'],
    ['version: 1.2.3-rc.1+sha.5', ''],
    ['version: "01.2.3"', 'version: invalid_format'],
    ['version: v1.2.3', 'version: invalid_format'],
    ['module_type: ml_model', ''],
    ['module_type: ML_MODEL', 'module_type: invalid_value'],
  ])('%j -> %s', (line, expected) => {
    const field = line.split(':')[0] ?? '';
    const text = MINIMAL.split('\n')
      .filter((l) => !l.startsWith(`${field}:`))
      .join('\n');
    const { errors } = parseManifest(`${text}${line}\n`, 'f');
    expect(errors.map((e) => `${e.path}: ${e.code}`).join(' | ')).toBe(expected);
  });
});
