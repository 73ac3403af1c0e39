/** The parser's contract beyond single rules: positions, robustness, formatting, warnings. */
import { describe, expect, it } from 'vitest';
import { formatIssue, parseManifest } from '../../src/manifest/index.js';
import { didYouMean, editDistance } from '../../src/manifest/did-you-mean.js';

const MINIMAL = `name: demo
version: "1.0.0"
description: Demo
module_type: api
build_command: make
start_command: ./run
`;

describe('formatIssue', () => {
  it('prints FILE:LINE:COL: severity: PATH: message', () => {
    const issue = { code: 'out_of_range', path: 'port', line: 7, column: 7, message: 'm' } as const;
    expect(formatIssue('a.yaml', issue)).toBe('a.yaml:7:7: error: port: m');
    expect(formatIssue('a.yaml', issue, 'warning')).toBe('a.yaml:7:7: warning: port: m');
  });

  it('prints (root) for issues about the whole document', () => {
    const issue = { code: 'yaml_syntax', path: '', line: 1, column: 1, message: 'm' } as const;
    expect(formatIssue('a.yaml', issue)).toBe('a.yaml:1:1: error: (root): m');
  });
});

describe('never throws', () => {
  const garbage = [
    '',
    '   \n\n',
    '\u0000\u0001\u0002binary',
    '\uFEFF' + MINIMAL,
    '[1, 2',
    '{',
    '}}}}',
    ':',
    '- - - -',
    '!!binary aGVsbG8=',
    '!custom x',
    'a: &a [*a]',
    'a: &a\n  b: *a\n',
    `${MINIMAL}port: 1e400\n`,
    `${MINIMAL}port: -.inf\n`,
    `${MINIMAL}port: .nan\n`,
    `${MINIMAL}port: 0x1F\n`,
    `${MINIMAL}? [complex, key]\n: value\n`,
    `${MINIMAL}1: numeric key\n`,
    `${MINIMAL}null: x\n`,
    'name:\tdemo\n',
    '\t\t\t',
    '%YAML 1.1\n---\nname: x\n',
    'x'.repeat(100_000),
    '['.repeat(5000),
  ];
  it.each(garbage.map((text) => [JSON.stringify(text).slice(0, 40), text]))('%s', (_label, text) => {
    const result = parseManifest(text, 'f');
    expect(result.errors.length + result.warnings.length >= 0).toBe(true);
    for (const issue of [...result.errors, ...result.warnings]) {
      expect(issue.line).toBeGreaterThanOrEqual(1);
      expect(issue.column).toBeGreaterThanOrEqual(1);
      expect(issue.message).not.toMatch(/\n|at .*\.js:\d+/);
    }
  });

  it('defuses alias bombs', () => {
    const laughs = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 8; i++) {
      const prev = String.fromCharCode(96 + i);
      laughs.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${prev}`).join(',')}]`,
      );
    }
    const { errors } = parseManifest(laughs.join('\n'), 'f');
    expect(errors.map((e) => e.code)).toEqual(['too_many_aliases']);
  });

  it('accepts a BOM', () => {
    expect(parseManifest('\uFEFF' + MINIMAL, 'f').errors).toEqual([]);
  });
});

describe('positions and ordering', () => {
  it('reports every problem, ordered by line', () => {
    const { errors } = parseManifest('port: x\nname: A\nhealth_check:\n  retries: -1\nfoo: 1\n', 'f');
    expect(errors.map((e) => `${e.line}:${e.column} ${e.path}`)).toEqual([
      '1:1 build_command',
      '1:1 description',
      '1:1 module_type',
      '1:1 start_command',
      '1:1 version',
      '1:7 port',
      '2:7 name',
      '4:12 health_check.retries',
      '5:1 foo',
    ]);
  });

  it('points a missing nested field at its section', () => {
    const { errors } = parseManifest(`${MINIMAL}health_check:\n  type: command\n`, 'f');
    expect(errors[0]).toMatchObject({ path: 'health_check.command', line: 8, column: 3 });
  });

  it('reports duplicates and keeps validating', () => {
    const { errors } = parseManifest(`${MINIMAL}port: 1\nport: 2\nkeep_releases: 0\n`, 'f');
    expect(errors.map((e) => e.code)).toEqual(['duplicate_key', 'out_of_range']);
  });
});

describe('warnings', () => {
  const warn = (extra: string) =>
    parseManifest(MINIMAL + extra, 'f').warnings.map((w) => `${w.line}:${w.column} ${w.path}: ${w.code}`);

  it('timeout greater than interval', () => {
    expect(warn('health_check:\n  interval: 5\n  timeout: 6\n')).toEqual([
      '9:12 health_check.timeout: timeout_exceeds_interval',
    ]);
    expect(warn('health_check:\n  interval: 5\n  timeout: 5\n')).toEqual([]);
    expect(warn('health_check:\n  enabled: false\n  interval: 5\n  timeout: 6\n')).toEqual([]);
  });

  it('secret also set as a plain variable', () => {
    expect(warn('secrets: [TOKEN]\nenvironment_variables:\n  TOKEN: abc\n')).toEqual([
      '9:3 environment_variables.TOKEN: secret_in_environment',
    ]);
  });

  it('duplicate list entries, unsupported target, unused health command', () => {
    expect(warn('dependencies: [a, a]\n')).toEqual(['7:19 dependencies[1]: duplicate_entry']);
    expect(warn('deployment_target: lambda\n')).toEqual(['7:20 deployment_target: unsupported_target']);
    expect(warn('health_check:\n  command: ./ping\n')).toEqual([
      '8:12 health_check.command: unused_health_command',
    ]);
  });

  it('a valid manifest with warnings still has a value', () => {
    const result = parseManifest(`${MINIMAL}deployment_target: vercel\n`, 'f');
    expect(result.value).not.toBeNull();
    expect(result.errors).toEqual([]);
  });
});

describe('did you mean', () => {
  it('measures transpositions as one edit', () => {
    expect(editDistance('prot', 'port')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests close names and ignores case and dashes', () => {
    const fields = ['port', 'health_check', 'name', 'secrets'];
    expect(didYouMean('helth_check', fields)).toBe('health_check');
    expect(didYouMean('Health-Check', fields)).toBe('health_check');
    expect(didYouMean('prot', fields)).toBe('port');
    expect(didYouMean('secret', fields)).toBe('secrets');
    expect(didYouMean('colour', fields)).toBeNull();
    expect(didYouMean('x', fields)).toBeNull();
  });
});
