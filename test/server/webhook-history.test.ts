// The commit graph webhooks judge pushes by, on a real git repository over file://: ancestry,
// "still on the branch", and commits force-pushed away that stay known once seen.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RepositoryHistory } from '../../src/engine/gitops/history.js';

let base: string;
let origin: string;
const commits: Record<string, string> = {};

async function commit(name: string): Promise<string> {
  await writeFile(join(origin, 'file.txt'), name);
  const g = simpleGit(origin);
  await g.add('.').commit(name);
  commits[name] = (await g.revparse(['HEAD'])).trim();
  return commits[name];
}

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'automatos-history-'));
  origin = join(base, 'origin');
  await simpleGit().init([origin, '--initial-branch=main']);
  await simpleGit(origin).addConfig('user.email', 't@example.com').addConfig('user.name', 'T');
  for (const name of ['a', 'b', 'c']) await commit(name);
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('RepositoryHistory', () => {
  it('tells an older commit from a newer one, and what is on the branch', async () => {
    const h = new RepositoryHistory(join(base, 'h1.git'), `file://${origin}`);
    const { a = '', b = '', c = '' } = commits;
    await h.update('main', [b, c]);
    expect(await h.isAncestor(a, c)).toBe(true);
    expect(await h.isAncestor(b, c)).toBe(true);
    expect(await h.isAncestor(c, b)).toBe(false);
    expect(await h.onBranch(c, 'main')).toBe(true);
    expect(await h.has('f'.repeat(40))).toBe(false);
    expect(await h.isAncestor('f'.repeat(40), c)).toBe(false);
  });

  it('keeps a commit it saw after the branch was force-pushed past it', async () => {
    const h = new RepositoryHistory(join(base, 'h2.git'), `file://${origin}`);
    const d = await commit('d');
    await h.update('main', [d]);
    // main is rewound to c and moves on to e: d is gone upstream.
    const g = simpleGit(origin);
    await g.raw(['reset', '--hard', commits['c'] ?? '']);
    await g.raw(['gc', '--prune=now', '--quiet']);
    const e = await commit('e');
    await h.update('main', [e, d]);
    expect(await h.has(d)).toBe(true);
    expect(await h.onBranch(d, 'main')).toBe(false);
    expect(await h.onBranch(e, 'main')).toBe(true);
    expect(await h.isAncestor(commits['b'] ?? '', d)).toBe(true);
    expect(await h.isAncestor(e, d)).toBe(false);
  });

  it('fails with AUT_SOURCE_FETCH when the branch cannot be fetched', async () => {
    const h = new RepositoryHistory(join(base, 'h3.git'), `file://${join(base, 'nowhere')}`);
    await expect(h.update('main', [])).rejects.toMatchObject({ code: 'AUT_SOURCE_FETCH' });
  });
});
