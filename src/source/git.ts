import { simpleGit, type SimpleGit } from 'simple-git';
import { AutomatosError } from '../core/index.js';
import { isCommitSha, redactUrl } from './url.js';

// Only what git needs to reach a remote: the operator's EDITOR, GIT_DIR, GIT_CONFIG_* and the like
// have no business in a clone of untrusted code.
const PASSED_ENV = [
  'PATH',
  'HOME',
  'LANG',
  'LC_ALL',
  'TMPDIR',
  'SSH_AUTH_SOCK',
  'GIT_SSL_CAINFO',
  'SSL_CERT_FILE',
];
const PROXY_ENV = /^(https?|no|all)_proxy$/i;

/** The environment every git run of Automatos gets (clones, and the GitOps history mirror). */
export function gitEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && (PASSED_ENV.includes(key) || PROXY_ENV.test(key))) env[key] = value;
  }
  return { ...env, GIT_TERMINAL_PROMPT: '0', GIT_ALLOW_PROTOCOL: 'https:ssh:file' };
}

/**
 * git runs with argv (simple-git spawns without a shell), never prompts, and may only speak the
 * transports we accept: remote helpers stay disabled even if a config file asks for them.
 */
function git(baseDir: string, timeoutMs: number): SimpleGit {
  return simpleGit({ baseDir, timeout: { block: timeoutMs } }).env(gitEnv());
}

function fetchFailed(url: string, ref: string | null, cause: unknown): AutomatosError {
  const raw = cause instanceof Error ? cause.message : String(cause);
  const reason = raw.split('\n').find((line) => /fatal|error/i.test(line)) ?? raw.split('\n')[0] ?? '';
  return new AutomatosError(
    'AUT_SOURCE_FETCH',
    `could not fetch ${redactUrl(url)}${ref === null ? '' : ` at ${ref}`}: ${redactUrl(reason.trim())}`,
    { details: { url: redactUrl(url), ref }, transient: true, cause },
  );
}

/** Shallow clone of `ref` (default branch when null) into `dir`; returns the checked-out commit SHA. */
export async function cloneAt(
  url: string,
  ref: string | null,
  dir: string,
  timeoutMs = 300_000,
): Promise<string> {
  const g = git(dir, timeoutMs);
  try {
    if (ref !== null && isCommitSha(ref)) {
      await g.init().addRemote('origin', url);
      await g.fetch(['--depth', '1', '--no-tags', 'origin', ref]).catch(async () => {
        // Servers that refuse fetching an unadvertised commit: fetch everything, then check it out.
        await g.fetch(['--no-tags', 'origin']);
      });
      await g.checkout(['--detach', ref]);
    } else {
      const branch = ref === null ? [] : ['--branch', ref];
      await g.clone(url, dir, ['--depth', '1', '--single-branch', '--no-tags', ...branch]);
    }
    return (await g.revparse(['HEAD'])).trim();
  } catch (error) {
    throw fetchFailed(url, ref, error);
  }
}

/** The commit of a local checkout, or null when the directory is not a git work tree. */
export async function headCommit(dir: string): Promise<string | null> {
  try {
    const g = git(dir, 10_000);
    if (!(await g.checkIsRepo())) return null;
    return (await g.revparse(['HEAD'])).trim();
  } catch {
    return null;
  }
}
