import { access, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { AutomatosError } from '../../core/index.js';
// As for clones: argv only, no prompt, only the transports Automatos accepts, none of the
// operator's git environment (gitEnv).
import { gitEnv, redactUrl } from '../../source/index.js';

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** Where a registration's history is kept: a bare repository under the data dir. */
export const historyDir = (dataDir: string, registration: string): string =>
  join(dataDir, 'gitops', `${registration}.git`);

/** Forgets a registration's history (when it is removed). */
export async function forgetHistory(dataDir: string, registration: string): Promise<void> {
  await rm(historyDir(dataDir, registration), { recursive: true, force: true });
}

/**
 * The commit graph of a registered repository, to tell whether a pushed commit is newer than what
 * is deployed. A bare repository under the data dir, fetched blobless (commits and trees, no file
 * contents) and kept between deliveries, so each fetch brings only what is new. Every commit it
 * was asked about is pinned under `refs/automatos/seen/`: a commit later force-pushed off the
 * branch is still known to be the descendant it was.
 */
export class RepositoryHistory {
  private opened: SimpleGit | undefined;

  constructor(
    private readonly dir: string,
    private readonly url: string,
    private readonly timeoutMs = 120_000,
  ) {}

  /**
   * Fetches `branch` and, where the branch does not hold them, each of `commits`. Throws
   * AUT_SOURCE_FETCH when the branch cannot be fetched; a commit the remote no longer has is left
   * unknown (`has` says so).
   */
  async update(branch: string, commits: readonly string[]): Promise<void> {
    const git = await this.open();
    const fetch = (refspec: string) =>
      git.raw(['fetch', '--quiet', '--no-tags', '--filter=blob:none', this.url, refspec]);
    try {
      await fetch(`+refs/heads/${branch}:refs/heads/${branch}`);
    } catch (error) {
      const reason =
        error instanceof Error ? (error.message.split('\n').find((l) => /fatal|error/i.test(l)) ?? '') : '';
      throw new AutomatosError(
        'AUT_SOURCE_FETCH',
        `could not fetch branch ${branch} of ${redactUrl(this.url)} to check the pushed commit: ${redactUrl(reason.trim())}`,
        { details: { url: redactUrl(this.url), branch }, transient: true, cause: error },
      );
    }
    for (const commit of commits) {
      if (!SHA.test(commit) || (await this.has(commit))) continue;
      // Servers that refuse an unadvertised commit simply leave it unknown.
      await fetch(commit).catch(() => undefined);
    }
    for (const commit of commits) {
      if (SHA.test(commit) && (await this.has(commit))) {
        await git.raw(['update-ref', `refs/automatos/seen/${commit}`, commit]);
      }
    }
  }

  async has(commit: string): Promise<boolean> {
    if (!SHA.test(commit)) return false;
    const out = await (
      await this.open()
    )
      .raw(['rev-parse', '--verify', '--quiet', `${commit}^{commit}`])
      .catch(() => '');
    return out.trim() === commit;
  }

  /** Whether `older` is `newer` or one of its ancestors; false when either is unknown. */
  async isAncestor(older: string, newer: string): Promise<boolean> {
    if (!(await this.has(older))) return false;
    const newerRef = SHA.test(newer) ? newer : `refs/heads/${newer}`;
    // merge-base prints nothing (exit 1) for unrelated histories: not an ancestor.
    const base = await (await this.open()).raw(['merge-base', older, newerRef]).catch(() => '');
    return base.trim() === older;
  }

  /** Whether the fetched `branch` (its head as fetched) contains `commit`. */
  onBranch(commit: string, branch: string): Promise<boolean> {
    return this.isAncestor(commit, branch);
  }

  private async open(): Promise<SimpleGit> {
    if (this.opened !== undefined) return this.opened;
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const git = simpleGit({ baseDir: this.dir, timeout: { block: this.timeoutMs } }).env(gitEnv());
    const exists = await access(join(this.dir, 'HEAD')).then(
      () => true,
      () => false,
    );
    if (!exists) await git.raw(['init', '--quiet', '--bare']);
    this.opened = git;
    return git;
  }
}
