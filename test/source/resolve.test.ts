import { mkdtemp, rm, writeFile, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSource } from '../../src/source/index.js';

// A real git repository on disk, served through file:// like a remote.
let base: string;
let repo: string;
let firstCommit: string;
let secondCommit: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'automatos-source-'));
  repo = join(base, 'origin');
  // The test runner's environment sets EDITOR, which simple-git refuses to pass along.
  delete process.env['EDITOR'];
  const g = simpleGit();
  await g.init([repo, '--initial-branch=main']);
  const r = simpleGit(repo).addConfig('user.email', 't@example.com').addConfig('user.name', 'T');
  await writeFile(join(repo, 'app.txt'), 'one\n');
  await r.add('.').commit('first');
  firstCommit = (await r.revparse(['HEAD'])).trim();
  await r.addTag('v1');
  await writeFile(join(repo, 'app.txt'), 'two\n');
  await r.add('.').commit('second');
  secondCommit = (await r.revparse(['HEAD'])).trim();
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('resolveSource', () => {
  it('uses a local directory in place and reads its commit', async () => {
    const source = await resolveSource(repo, { dataDir: join(base, 'data') });
    expect(source).toMatchObject({ kind: 'local', dir: repo, commit: secondCommit, ref: null });
  });

  it('clones the default branch shallowly into the data dir workspace', async () => {
    const dataDir = join(base, 'data');
    const source = await resolveSource(`file://${repo}`, { dataDir });
    expect(source.kind).toBe('git');
    expect(source.dir.startsWith(join(dataDir, 'workspaces', 'origin-'))).toBe(true);
    expect(source.commit).toBe(secondCommit);
    expect(await readFile(join(source.dir, 'app.txt'), 'utf8')).toBe('two\n');
    await source.cleanup();
    expect(await readdir(join(dataDir, 'workspaces'))).not.toContain(source.dir.split('/').pop());
  });

  it('clones a tag', async () => {
    const source = await resolveSource(`file://${repo}`, { dataDir: join(base, 'data'), ref: 'v1' });
    expect(source.commit).toBe(firstCommit);
    await source.cleanup();
  });

  it('checks out a commit SHA', async () => {
    const source = await resolveSource(`file://${repo}`, { dataDir: join(base, 'data'), ref: firstCommit });
    expect(source.commit).toBe(firstCommit);
    expect(await readFile(join(source.dir, 'app.txt'), 'utf8')).toBe('one\n');
    await source.cleanup();
  });

  it('reports a missing branch as a fetch error and leaves no workspace behind', async () => {
    const dataDir = join(base, 'data-missing');
    await expect(resolveSource(`file://${repo}`, { dataDir, ref: 'nope' })).rejects.toMatchObject({
      code: 'AUT_SOURCE_FETCH',
    });
    expect(await readdir(join(dataDir, 'workspaces'))).toEqual([]);
  });

  it('refuses --ref on a local directory', async () => {
    await expect(resolveSource(repo, { dataDir: base, ref: 'main' })).rejects.toMatchObject({
      code: 'AUT_USAGE',
    });
  });
});
