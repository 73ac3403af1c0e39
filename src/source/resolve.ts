import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { AutomatosError } from '../core/index.js';
import { cloneAt, headCommit } from './git.js';
import { classifyGitUrl, redactUrl, validateRef } from './url.js';

export interface ResolvedSource {
  kind: 'local' | 'git';
  /** What the user gave, credentials redacted. */
  spec: string;
  dir: string;
  ref: string | null;
  commit: string | null;
  /** Removes a clone made for this call; a no-op for local directories. */
  cleanup(): Promise<void>;
}

export interface ResolveOptions {
  ref?: string;
  dataDir: string;
  /** Relative local paths are taken from here (default: the process's cwd). */
  cwd?: string;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * A source is a directory that exists, or a git URL cloned into a fresh workspace under the data dir
 * (on the orchestrator, never on a target).
 */
export async function resolveSource(spec: string, options: ResolveOptions): Promise<ResolvedSource> {
  const ref = options.ref === undefined ? null : validateRef(options.ref);
  const local = resolve(options.cwd ?? process.cwd(), spec);
  if (await isDirectory(local)) {
    if (ref !== null) {
      throw new AutomatosError(
        'AUT_USAGE',
        `--ref ${ref} applies to git URLs; ${spec} is a local directory and is used as it is on disk`,
      );
    }
    const dir = local;
    return { kind: 'local', spec, dir, ref: null, commit: await headCommit(dir), cleanup: async () => {} };
  }
  classifyGitUrl(spec);
  const workspaces = join(options.dataDir, 'workspaces');
  await mkdir(workspaces, { recursive: true, mode: 0o700 });
  const label = basename(spec.replace(/\.git\/?$/, '')).replace(/[^A-Za-z0-9._-]/g, '') || 'repo';
  const dir = await mkdtemp(join(workspaces, `${label}-`));
  const cleanup = (): Promise<void> => rm(dir, { recursive: true, force: true });
  try {
    const commit = await cloneAt(spec, ref, dir);
    return { kind: 'git', spec: redactUrl(spec), dir, ref, commit, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
