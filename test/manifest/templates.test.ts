import { describe, expect, it } from 'vitest';
import {
  MODULE_TYPES,
  formatResult,
  parseManifest,
  renderManifest,
  templateFor,
} from '../../src/manifest/index.js';

describe('templates', () => {
  it.each(MODULE_TYPES)('%s renders to a manifest with no error and no warning', (type) => {
    const text = renderManifest(templateFor(type));
    const result = parseManifest(text, 'ai-module.yaml');
    expect(formatResult('ai-module.yaml', result)).toEqual([]);
    expect(result.value?.module_type).toBe(type);
  });

  it('comments every field', () => {
    const text = renderManifest(templateFor('api'));
    expect(text).toMatch(/^# ai-module\.yaml/);
    expect(text).toContain('# TCP port the app listens on (1-65535).\nport: 8000');
    expect(text).toContain('  # Seconds between probes while monitoring (1-86400).\n  interval: 30');
  });

  it('type-specific defaults', () => {
    expect(templateFor('ml_model').resources?.memory).toBe('2Gi');
    expect(templateFor('data_pipeline').health_check?.enabled).toBe(false);
    expect(templateFor('automation').port).toBeUndefined();
  });

  it('applies overrides without dropping section defaults', () => {
    const draft = templateFor('microservice', { port: 9000, health_check: { retries: 5 } });
    expect(draft.port).toBe(9000);
    expect(draft.health_check).toMatchObject({ endpoint: '/healthz', retries: 5 });
  });

  const tricky = [
    'He said "hi"',
    "it's",
    'a # not a comment',
    'key: value',
    'line one\nline two',
    '- starts like a list',
    '*not-an-alias',
    '@at',
    'yes',
    'null',
    '1.0',
    '  padded  ',
    'trailing colon:',
    'tab\there',
    'emoji ✓ ü',
  ];
  it.each(tricky)('round-trips %j exactly', (value) => {
    const draft = templateFor('web_app', {
      description: value,
      build_command: `echo ${value}`,
      environment_variables: { GREETING: value },
      custom_config: { note: value },
    });
    const result = parseManifest(renderManifest(draft), 'f');
    expect(formatResult('f', result)).toEqual([]);
    expect(result.value?.environment_variables['GREETING']).toBe(value);
    expect(result.value?.custom_config['note']).toBe(value);
    expect(result.value?.build_command).toBe(`echo ${value}`.trim());
  });

  it('renders a command health check with its command, and an optional header', () => {
    const text = renderManifest(
      templateFor('infrastructure', { health_check: { type: 'command', command: 'pg_isready -q' } }),
      { header: ['Detected: PostgreSQL'], schemaUrl: 'https://example.com/s.json' },
    );
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=https://example.com/s.json');
    expect(text).toContain('# Detected: PostgreSQL');
    expect(parseManifest(text, 'f').value?.health_check.command).toBe('pg_isready -q');
  });
});
