import type { PlannerOutput, RepoSummary } from '../../src/agents/index.js';
import type { AiModule } from '../../src/manifest/index.js';
import type { Expectation, TextCheck } from './cases.js';
import { stackOf } from './stack-of.js';

export interface Check {
  name: string;
  ok: boolean;
  /** What was found, when it was not what the case expects. */
  got?: string;
}

function textCheck(name: string, value: string | null, expected: TextCheck | null): Check {
  if (expected === null) return { name, ok: value === null, got: String(value) };
  if (value === null) return { name, ok: false, got: 'null' };
  const ok =
    'equals' in expected ? value === expected.equals : expected.contains.every((s) => value.includes(s));
  return { name, ok, got: value };
}

function valueAt(module: AiModule, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => {
    return typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
  }, module);
}

function requirementChecks(output: PlannerOutput, expect: Expectation): Check[] {
  const find = (status: 'met' | 'unmet', text: string): Check => {
    const hit = output.requirements.find((r) => r.text.toLowerCase().includes(text.toLowerCase()));
    return { name: `${status} "${text}"`, ok: hit?.status === status, got: hit ? hit.status : 'missing' };
  };
  return [...expect.met.map((t) => find('met', t)), ...expect.unmet.map((t) => find('unmet', t))];
}

/** Every property the case expects, checked against one plan. */
export function checkOutput(output: PlannerOutput, summary: RepoSummary, expect: Expectation): Check[] {
  const { module } = output;
  const checks: Check[] = [];
  const stack = stackOf(module, summary.candidates);
  if (expect.error !== undefined) checks.push({ name: `error ${expect.error}`, ok: false, got: 'a plan' });
  if (expect.language !== undefined)
    checks.push({ name: 'language', ok: stack.language === expect.language, got: String(stack.language) });
  if (expect.framework !== undefined)
    checks.push({
      name: 'framework',
      ok: stack.framework === expect.framework,
      got: String(stack.framework),
    });
  if (expect.start !== undefined) checks.push(textCheck('start_command', module.start_command, expect.start));
  if (expect.port !== undefined)
    checks.push({ name: 'port', ok: module.port === expect.port, got: String(module.port) });
  if (expect.test !== undefined) checks.push(textCheck('test_command', module.test_command, expect.test));
  for (const [name, value] of Object.entries(expect.env ?? {})) {
    const got = module.environment_variables[name];
    checks.push({ name: `env ${name}`, ok: got === value, got: String(got) });
  }
  for (const [path, value] of Object.entries(expect.module ?? {})) {
    const got = JSON.stringify(valueAt(module, path));
    checks.push({ name: path, ok: got === JSON.stringify(value), got: String(got) });
  }
  const text = JSON.stringify(output);
  for (const secret of expect.absent ?? []) {
    checks.push({ name: 'secret absent', ok: !text.includes(secret), got: 'present in the output' });
  }
  return [...checks, ...requirementChecks(output, expect)];
}

/** A planner that refused: right only when the case expects exactly that refusal. */
export function checkError(code: string, message: string, expect: Expectation): Check[] {
  if (expect.error !== undefined)
    return [{ name: `error ${expect.error}`, ok: code === expect.error, got: code }];
  const expected = Object.entries(expect).filter(
    ([, v]) => v !== undefined && (!Array.isArray(v) || v.length > 0),
  );
  return [
    { name: 'a plan', ok: false, got: `${code}: ${message}` },
    ...expected.slice(1).map(([name]) => ({ name, ok: false, got: code })),
  ];
}
