import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/plan/index.js';
import { moduleOf, targetOf } from './helpers.js';

const plan = (paths: string[], roots: string[] = ['/srv/apps-data', '/var/tmp']) =>
  buildPlan({
    module: moduleOf({ writable_paths: paths }),
    sourceDir: '/w',
    releaseId: 'r1',
    target: targetOf({ writableRoots: roots, protectedPaths: ['/srv/apps-data/automatos'] }),
  });

describe('writable_paths are checked against the target before any is bound', () => {
  it('accepts a path inside a writable root of the target policy, and the plan shows it', () => {
    const build = plan(['/srv/apps-data/shop']).steps.find((s) => s.name === 'build');
    expect(build?.commands.at(-1)?.sandbox?.writable).toContain('/srv/apps-data/shop');
  });

  it.each([
    // What the launcher would bind as /var/spool/cron: cron runs what is written there, as root.
    ['/var//spool/cron', /is not in normal form: write it as \/var\/spool\/cron/],
    ['/srv/apps-data/shop/', /is not in normal form/],
    // The deploy root holds run/: pid files and the supervisor Automatos runs unconfined.
    ['/opt/automatos/apps/shop/run', /would open the deploy root \/opt\/automatos\/apps/],
    ['/opt/automatos', /would open the deploy root/],
    // Outside the operator's roots: a database's config, logs, other programs.
    ['/var/lib/postgresql/15/main', /outside the writable roots of target web1's policy/],
    ['/var/log/shop', /outside the writable roots/],
    ['/srv/apps-data/automatos/keys', /would open \/srv\/apps-data\/automatos/],
  ])('refuses %s', (path, message) => {
    expect(() => plan([path])).toThrow(message);
  });

  it('refuses paths nested in one another (a link swapped in would be bound read-write)', () => {
    expect(() => plan(['/srv/apps-data/a', '/srv/apps-data/a/b'])).toThrow(
      /\/srv\/apps-data\/a\/b lies inside \/srv\/apps-data\/a, also writable/,
    );
  });
});
