/**
 * Regressions of escapes found by attacking the launcher: each runs the real launcher in real
 * bubblewrap and checks the effect (a canary untouched, a socket unreachable, a write refused).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appSandbox } from '../../src/plan/sandbox.js';
import { appLayout } from '../../src/plan/layout.js';
import { moduleOf, targetOf } from '../plan/helpers.js';
import { canSandbox, fixtureDir, runConfined, specOf } from './helpers.js';

describe.runIf(canSandbox)('sandbox escapes, closed', () => {
  let fx: ReturnType<typeof fixtureDir>;
  beforeEach(() => {
    fx = fixtureDir();
  });
  afterEach(() => fx.remove());

  it('a link planted inside a writable path does not become a read-write bind of its target', () => {
    const outer = join(fx.path, 'data');
    const guarded = join(fx.path, 'guarded');
    mkdirSync(outer);
    mkdirSync(guarded);
    // A first confined command may write `data`: it plants data/inner -> ../guarded.
    const plant = runConfined(specOf({ writable: [outer] }), `ln -s ../guarded ${outer}/inner`);
    expect(plant.status).toBe(0);
    // The next launch binds data/inner (a nested writable path, or shared/.env inside shared/).
    const ran = runConfined(specOf({ writable: [outer, join(outer, 'inner')] }), `touch ${guarded}/PWNED`);
    expect(existsSync(join(guarded, 'PWNED'))).toBe(false);
    expect(ran.status).toBe(126);
    expect(ran.stderr).toMatch(/symbolic link/);
  });

  it('the same through a link in a middle component, read-only binds included', () => {
    const outer = join(fx.path, 'data');
    const guarded = join(fx.path, 'guarded');
    mkdirSync(outer);
    mkdirSync(join(guarded, 'keys'), { recursive: true });
    writeFileSync(join(guarded, 'keys', 'master.key'), 'CANARY');
    symlinkSync('../guarded', join(outer, 'mid'));
    const ran = runConfined(
      specOf({ writable: [outer], readonly: [join(outer, 'mid', 'keys')], masked: [guarded] }),
      `cat ${outer}/mid/keys/master.key`,
    );
    expect(ran.stdout).not.toContain('CANARY');
  });

  it('/proc/sys is read-only: no sysctl (kernel.core_pattern runs a helper as root)', () => {
    // Writes the value already there: harmless even where the sandbox would let it through.
    const sysctl = '/proc/sys/kernel/printk_ratelimit_burst';
    const value = readFileSync(sysctl, 'utf8').trim();
    const ran = runConfined(specOf(), `echo ${value} > ${sysctl} && echo WROTE`);
    expect(ran.stdout).not.toContain('WROTE');
    expect(ran.stderr).toMatch(/Read-only file system/);
  });

  describe('daemon sockets in /run', () => {
    let dir: string;
    let server: ChildProcess | undefined;
    beforeEach(() => {
      dir = mkdtempSync('/run/fx-sbx-');
    });
    afterEach(() => {
      server?.kill();
      rmSync(dir, { recursive: true, force: true });
    });

    it('cannot be reached from inside (a Docker or D-Bus socket would act as the deploy user)', async () => {
      const socket = join(dir, 'daemon.sock');
      const script = `require('net').createServer((c) => c.end('HOST-DAEMON\\n')).listen(${JSON.stringify(socket)}, () => console.log('up'))`;
      server = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve) => server?.stdout?.once('data', () => resolve()));
      const client = `require('net').connect(${JSON.stringify(socket)}).on('data', (d) => process.stdout.write(d)).on('error', (e) => console.log('blocked', e.code))`;
      const ran = runConfined(specOf(), `${JSON.stringify(process.execPath)} -e ${quote(client)}`);
      expect(ran.stdout).not.toContain('HOST-DAEMON');
      expect(ran.stdout).toContain('blocked');
    });
  });

  it('~ is the account home from the passwd database, not a HOME the caller set', () => {
    const fakeHome = join(fx.path, 'home');
    mkdirSync(join(fakeHome, '.fx-mask'), { recursive: true });
    writeFileSync(join(fakeHome, '.fx-mask', 'canary'), 'VISIBLE');
    // Masking ~/.fx-mask must mask it in root's real home, whatever HOME says: with the caller's
    // HOME trusted, the mask moves to the fake home and the real ~/.ssh stays open.
    const ran = runConfined(specOf({ masked: ['~/.fx-mask'] }), `cat ${fakeHome}/.fx-mask/canary`, {
      env: { HOME: fakeHome },
    });
    expect(ran.stdout).toBe('VISIBLE');
  });
});

describe('writable_paths nested in one another', () => {
  it('is refused by the plan', () => {
    const module = moduleOf({ writable_paths: ['/srv/shop-data', '/srv/shop-data/cache'] });
    const layout = appLayout('/opt/automatos/apps', 'shop', '20260101-000000');
    expect(() => appSandbox(module, layout, targetOf({ writableRoots: ['/srv'] }))).toThrow(
      /lies inside \/srv\/shop-data/,
    );
  });

  it('side by side is fine', () => {
    const module = moduleOf({ writable_paths: ['/srv/shop-data', '/srv/shop-data2'] });
    const layout = appLayout('/opt/automatos/apps', 'shop', '20260101-000000');
    expect(appSandbox(module, layout, targetOf({ writableRoots: ['/srv'] })).writable).toContain(
      '/srv/shop-data2',
    );
  });
});

const quote = (word: string): string => `'${word.replaceAll("'", "'\\''")}'`;
