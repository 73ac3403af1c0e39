import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  createAgents,
  LLM_ENV,
  loadAgentConfig,
  type AgentsCheck,
  type AgentsDescription,
  type SettingSource,
} from '../../agents/index.js';
import { isAutomatosError, VERSION } from '../../core/index.js';
import { LOCAL_SANDBOX_ENV, localTargetFacts, localTargetView } from '../../engine/index.js';
import type { SandboxMode } from '../../sandbox/index.js';
import { loadMasterKey, MASTER_KEY_ENV, MASTER_KEY_FILE } from '../../security/index.js';
import { DATABASE_FILE, maskDatabaseUrl } from '../../store/index.js';
import type { CommandContext } from '../context.js';
import { printJson } from '../io.js';

export interface DoctorOptions {
  json?: boolean;
  /** Send one tiny request to the configured model. */
  check?: boolean;
}

type Llm = (AgentsDescription & { check: AgentsCheck | null }) | { error: { code: string; message: string } };

interface Report {
  version: string;
  node: string;
  dataDir: { path: string; exists: boolean };
  database: { kind: 'sqlite'; path: string; exists: boolean } | { kind: 'postgres'; url: string };
  masterKey: { source: 'env' | 'file' | 'none'; path: string | null; problem: string | null };
  /** How `local` confines user commands; `targets check local` tries a real sandbox. */
  localSandbox: { mode: SandboxMode | 'invalid'; bwrap: boolean; bash: boolean; problem: string | null };
  llm: Llm;
  problems: string[];
}

/**
 * What this installation would use, from facts that cost nothing to gather: no database is opened,
 * no master key created, and the model is only called with --check. Exit 1 when anything is wrong.
 */
export async function doctorCommand(ctx: CommandContext, opts: DoctorOptions): Promise<number> {
  const report = await gather(ctx, opts.check === true);
  if (opts.json === true) printJson(ctx.io, report);
  else ctx.io.out(format(report));
  return report.problems.length === 0 ? 0 : 1;
}

async function gather(ctx: CommandContext, check: boolean): Promise<Report> {
  const problems: string[] = [];
  const sqlite = join(ctx.dataDir, DATABASE_FILE);
  const masterKey = inspectMasterKey(ctx);
  if (masterKey.problem !== null) problems.push(masterKey.problem);
  const localSandbox = inspectLocalSandbox(ctx);
  if (localSandbox.problem !== null) problems.push(localSandbox.problem);
  const llm = await inspectLlm(ctx, check);
  if ('error' in llm) problems.push(llm.error.message);
  else if (llm.check !== null && !llm.check.ok) problems.push(llm.check.message);
  return {
    version: VERSION,
    node: process.version,
    dataDir: { path: ctx.dataDir, exists: existsSync(ctx.dataDir) },
    database:
      ctx.databaseUrl === undefined
        ? { kind: 'sqlite', path: sqlite, exists: existsSync(sqlite) }
        : { kind: 'postgres', url: maskDatabaseUrl(ctx.databaseUrl) },
    masterKey,
    localSandbox,
    llm,
    problems,
  };
}

function inspectLocalSandbox(ctx: CommandContext): Report['localSandbox'] {
  const facts = localTargetFacts();
  const missing = facts.missingSandboxPackages ?? [];
  const bwrap = !missing.includes('bubblewrap');
  const bash = !missing.includes('bash');
  let mode: SandboxMode;
  try {
    mode = localTargetView(ctx.io.env).sandbox;
  } catch (error) {
    if (!isAutomatosError(error)) throw error;
    return { mode: 'invalid', bwrap, bash, problem: error.message };
  }
  const problem =
    mode === 'bwrap' && !bwrap
      ? `bubblewrap is not installed: commands on local cannot be sandboxed (apt-get install bubblewrap), or set ${LOCAL_SANDBOX_ENV}=off to run them unconfined`
      : null;
  return { mode, bwrap, bash, problem };
}

function inspectMasterKey(ctx: CommandContext): Report['masterKey'] {
  const fromEnv = ctx.io.env[MASTER_KEY_ENV];
  const path = join(ctx.dataDir, MASTER_KEY_FILE);
  const source = fromEnv !== undefined && fromEnv.trim() !== '' ? 'env' : existsSync(path) ? 'file' : 'none';
  // Only an existing key is loaded: loading a missing one would create it.
  if (source === 'none') return { source, path: null, problem: null };
  try {
    loadMasterKey({ dataDir: ctx.dataDir, env: ctx.io.env });
    return { source, path: source === 'file' ? path : null, problem: null };
  } catch (error) {
    const problem = isAutomatosError(error) ? error.message : String(error);
    return { source, path: source === 'file' ? path : null, problem };
  }
}

async function inspectLlm(ctx: CommandContext, check: boolean): Promise<Llm> {
  try {
    const agents = createAgents(loadAgentConfig(ctx.io.env, ctx.dataDir));
    return { ...agents.describe(), check: check ? await agents.check() : null };
  } catch (error) {
    if (!isAutomatosError(error)) throw error;
    return { error: { code: error.code, message: error.message } };
  }
}

function format(report: Report): string {
  const lines = [`automatos ${report.version} on Node ${report.node}`];
  const row = (label: string, value: string) => lines.push(`${label.padEnd(13)}${value}`);
  row('data dir', `${report.dataDir.path}${report.dataDir.exists ? '' : ' (not created yet)'}`);
  const db = report.database;
  row(
    'database',
    db.kind === 'postgres'
      ? `PostgreSQL ${db.url}`
      : `SQLite ${db.path}${db.exists ? '' : ' (not created yet)'}`,
  );
  const key = report.masterKey;
  row(
    'master key',
    key.problem !== null
      ? `PROBLEM: ${key.problem}`
      : key.source === 'env'
        ? `from ${MASTER_KEY_ENV}`
        : key.source === 'file'
          ? `${key.path ?? ''}`
          : 'none yet (created on first use)',
  );
  const sandbox = report.localSandbox;
  row(
    'sandbox',
    sandbox.mode === 'off'
      ? `OFF on local (${LOCAL_SANDBOX_ENV}=off): user commands run unconfined`
      : sandbox.problem !== null
        ? `PROBLEM: ${sandbox.problem}`
        : `bubblewrap on local, ${sandbox.bash ? 'bash' : 'POSIX sh'} (\`automatos targets check local\` tries it)`,
  );
  lines.push('', 'tier-2 planner and diagnoser');
  const llm = report.llm;
  if ('error' in llm) {
    lines.push(`  PROBLEM: ${llm.error.message.split('\n').join('\n  ')}`);
    return `${lines.join('\n')}\n`;
  }
  const from = (field: keyof typeof LLM_ENV) => sourceLabel(llm.sources[field], field, llm.configFile);
  const item = (label: string, value: string) => lines.push(`  ${label.padEnd(11)}${value}`);
  if (llm.provider === 'rules') {
    item('provider', `rules ${from('provider')}: offline and deterministic`);
    lines.push(`  set ${LLM_ENV.provider}=openai or anthropic (and a model) to plan with an LLM`);
  } else {
    item('provider', `${llm.provider} ${from('provider')}`);
    item('model', `${llm.model ?? ''} ${from('model')}`);
    item('endpoint', `${llm.endpoint ?? ''} ${from('base_url')}`);
    item('api key', llm.apiKeySet ? `set ${from('api_key')}` : 'not set');
    item('timeout', `${llm.timeoutSeconds}s ${from('timeout')}`);
  }
  if (llm.check !== null) item('check', checkLine(llm.check));
  if (llm.configFile !== null) item('config', llm.configFile);
  return `${lines.join('\n')}\n`;
}

function sourceLabel(source: SettingSource, field: keyof typeof LLM_ENV, file: string | null): string {
  if (source === 'env') return `(${LLM_ENV[field]})`;
  if (source === 'file') return `(llm.${field} in ${file ?? 'config.yaml'})`;
  return '(default)';
}

function checkLine(check: AgentsCheck): string {
  if (!check.ok) return `FAILED: ${check.message}`;
  return check.skipped ? 'nothing to reach' : `answered in ${check.latencyMs} ms`;
}
