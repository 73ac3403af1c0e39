import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mountOps } from '../../src/sandbox/mounts.js';
import { launchWith, normalizePath, sandboxLauncher } from '../../src/sandbox/index.js';
import { canSandbox, fixtureDir, runConfined, specOf } from './helpers.js';
import { spawnSync } from 'node:child_process';

describe('mount order', () => {
  it('mounts a deeper path later, and at equal depth binds, re-binds read-only, then masks', () => {
    const ops = mountOps(
      specOf({
        writable: ['/opt/apps/a/releases/1', '/opt/apps/a/shared'],
        readonly: ['/opt/apps/a/shared/.env'],
        masked: ['/opt/apps/*/shared', '/var/lib/automatos'],
        keep: ['/opt/apps/a/shared'],
      }),
    );
    const at = (kind: string, path: string): number =>
      ops.findIndex((op) => op.kind === kind && op.path === path);
    expect(at('mask', '/root')).toBeLessThan(at('mask', '/var/lib/automatos'));
    expect(at('rw', '/opt/apps/a/shared')).toBeLessThan(at('mask', '/opt/apps/*/shared'));
    expect(at('mask', '/opt/apps/*/shared')).toBeLessThan(at('ro', '/opt/apps/a/shared/.env'));
    expect(ops.find((op) => op.path === '/opt/apps/*/shared')?.keep).toEqual(['/opt/apps/a/shared']);
    // Each protected path once, whatever the spec repeats.
    expect(ops.filter((op) => op.path === '/root')).toHaveLength(1);
  });

  it('normalizes doubled and trailing slashes', () => {
    expect(normalizePath('/srv//data/')).toBe('/srv/data');
    expect(normalizePath('/')).toBe('/');
  });
});

describe('launcher text', () => {
  // The launcher must quote every path so that sh sees one word, whatever it holds.
  const odd = ['/srv/with space', "/srv/quo'te", '/srv/dollar$HOME', '/srv/new\nline', '/srv/`tick`'];

  it('hands the command over as "$1", never re-parsed by sh', () => {
    const text = launchWith(sandboxLauncher(specOf(), 'bash'), "echo '$(id)' ; touch x");
    expect(text.split('\n')[0]).toBe(`set -- 'echo '\\''$(id)'\\'' ; touch x'`);
  });

  it.each(odd)('quotes the path %j as one word', (path) => {
    const text = sandboxLauncher(specOf({ writable: [path] }), 'bash');
    // sh -n parses it; the path appears quoted, never bare.
    expect(spawnSync('/bin/sh', ['-n', '-c', text]).status).toBe(0);
    expect(text).toContain(`/srv/${quote(path.slice('/srv/'.length))}`);
  });

  it.runIf(canSandbox)('binds odd paths for real: spaces, quotes, $, newlines', () => {
    const fx = fixtureDir();
    try {
      const dirs = odd.map((path) => join(fx.path, path.slice('/srv/'.length)));
      for (const dir of dirs) mkdirSync(dir);
      const ran = runConfined(
        specOf({ writable: dirs }),
        'for d in "$@"; do :; done; ' + dirs.map((d, i) => `echo ${i} > ${quote(d)}/out`).join('; '),
      );
      expect(ran.stderr).toBe('');
      expect(ran.status).toBe(0);
      dirs.forEach((dir, i) => expect(readFileSync(join(dir, 'out'), 'utf8')).toBe(`${i}\n`));
    } finally {
      fx.remove();
    }
  });
});

const quote = (word: string): string => `'${word.replaceAll("'", "'\\''")}'`;

describe.runIf(canSandbox)('a real bubblewrap sandbox', () => {
  let fx: ReturnType<typeof fixtureDir>;
  beforeEach(() => {
    fx = fixtureDir();
  });
  afterEach(() => fx.remove());

  it('refuses writes outside the writable paths (EROFS) and allows them inside', () => {
    const writable = join(fx.path, 'release');
    mkdirSync(writable);
    const ran = runConfined(
      specOf({ writable: [writable] }),
      `touch ${fx.path}/outside; echo "rc=$?"; touch ${writable}/inside && echo wrote`,
    );
    expect(ran.stderr).toMatch(/Read-only file system/);
    expect(ran.stdout).toContain('wrote');
    expect(existsSync(join(fx.path, 'outside'))).toBe(false);
    expect(existsSync(join(writable, 'inside'))).toBe(true);
  });

  it('masks protected files and dirs: empty, unreadable canaries', () => {
    const secretDir = join(fx.path, 'data');
    mkdirSync(secretDir);
    writeFileSync(join(secretDir, 'master.key'), 'CANARY-KEY');
    writeFileSync(join(fx.path, 'app.env'), 'CANARY-ENV');
    const ran = runConfined(
      specOf({ masked: [secretDir, join(fx.path, 'app.env')] }),
      `cat ${secretDir}/master.key; ls -A ${secretDir}; cat ${fx.path}/app.env; cat /etc/shadow 2>/dev/null | wc -c; ls -A /root`,
    );
    expect(ran.stdout).not.toContain('CANARY');
    expect(ran.stdout.trim()).toBe('0');
  });

  it('runs in its own PID namespace, with no capability and no new privileges', () => {
    const ran = runConfined(
      specOf(),
      'echo "pid=$$"; ls /proc | grep -c "^[0-9]"; grep -E "^(CapEff|CapPrm|CapBnd|NoNewPrivs):" /proc/self/status',
    );
    expect(ran.status).toBe(0);
    expect(Number(ran.stdout.split('\n')[1])).toBeLessThan(6);
    expect(ran.stdout).toMatch(/CapEff:\s+0{16}/);
    expect(ran.stdout).toMatch(/CapPrm:\s+0{16}/);
    // The bounding set stays as bwrap found it: no new privileges keeps exec from raising caps.
    expect(ran.stdout).toMatch(/NoNewPrivs:\s+1/);
    // pid 1 is the sandbox's own init (bwrap), not the host's.
    const init = runConfined(specOf(), 'tr "\\0" " " < /proc/1/cmdline');
    expect(init.stdout).toMatch(/^bwrap /);
  });

  it('gives a private /tmp', () => {
    const name = `fx-sbx-tmp-${process.pid}`;
    const ran = runConfined(specOf(), `echo hi > /tmp/${name} && cat /tmp/${name}; ls -A /tmp; echo "$HOME"`);
    // Nothing of the host's /tmp: this command's file and the home made for it.
    expect(ran.stdout).toBe(`hi\n${name}\nhome\n/tmp/home\n`);
    expect(existsSync(`/tmp/${name}`)).toBe(false);
  });
});
