import { describe, expect, it } from 'vitest';
import {
  appLayout,
  buildPlan,
  listReleasesCommand,
  parseReleaseList,
  pruneCommands,
  releasesToPrune,
  renderCommand,
  rollbackCommands,
  SUPERVISOR_SCRIPT,
} from '../../src/plan/index.js';
import type { PlannedCommand } from '../../src/plan/index.js';
import { createPolicyEngine } from '../../src/policy/index.js';
import { APP, processStartFor, PROCESS_STOP, WRITE_SUPERVISOR } from './expected.js';
import { moduleOf, targetOf } from './helpers.js';

const NEW = '20261125T010203Z-abcdef1';
const OLD = '20261124T090000Z-1234567';
const layout = appLayout('/opt/automatos/apps', 'shop', NEW);
const texts = (commands: PlannedCommand[]): string[] => commands.map((c) => renderCommand(c.command));

describe('rollbackCommands', () => {
  it('checks the release, switches current back atomically and restarts the process runtime', () => {
    const commands = rollbackCommands(moduleOf(), layout, targetOf(), OLD);
    expect(texts(commands)).toEqual([
      `test -d ${APP}/releases/${OLD}`,
      `ln -sfn ${APP}/releases/${OLD} ${APP}/current.next && mv -T ${APP}/current.next ${APP}/current`,
      PROCESS_STOP,
      WRITE_SUPERVISOR,
      processStartFor(OLD),
    ]);
    expect(commands[3]?.stdin).toEqual({ kind: 'text', content: SUPERVISOR_SCRIPT });
  });

  it('restarts through systemd on a systemd host, as a release of that release does', () => {
    const target = targetOf({ hasSystemd: true });
    const commands = rollbackCommands(moduleOf(), layout, target, OLD);
    // The unit names the release it runs (its working directory and sandbox), so compare with a
    // release of the old one.
    const release = buildPlan({ module: moduleOf(), sourceDir: '/w', releaseId: OLD, target }).steps[4];
    expect(texts(commands).slice(1, 2)).toEqual([
      `ln -sfn ${APP}/releases/${OLD} ${APP}/current.next && mv -T ${APP}/current.next ${APP}/current`,
    ]);
    expect(commands.slice(2)).toEqual(release?.commands.slice(1));
    expect(texts(commands).at(-1)).toBe('systemctl restart automatos-shop.service');
  });

  it("runs the previous release's image with docker", () => {
    const commands = rollbackCommands(moduleOf({ deployment_target: 'docker' }), layout, targetOf(), OLD);
    expect(texts(commands).slice(2)).toEqual([
      'docker rm -f automatos-shop || true',
      `docker run -d --name automatos-shop --restart unless-stopped --env-file ${APP}/shared/.env -p 127.0.0.1:8000:8000 automatos/shop:${OLD}`,
    ]);
  });

  it.each(['', '..', '.', 'a/b', '../../etc', '*', `${OLD} x`, '-rf'])('refuses release id %j', (id) => {
    expect(() => rollbackCommands(moduleOf(), layout, targetOf(), id)).toThrow('is not a release id');
  });
});

describe('listing and pruning releases', () => {
  it('lists release ids, one per line, oldest first', () => {
    expect(renderCommand(listReleasesCommand(layout).command)).toBe(`ls -1 ${APP}/releases`);
    expect(parseReleaseList(`${NEW}\n${OLD}\n\n.hidden-no\n`)).toEqual([OLD, NEW]);
  });

  it('removes exactly the named release directories, never a glob', () => {
    expect(texts(pruneCommands(layout, [OLD, '20261120T000000Z']))).toEqual([
      `rm -rf -- ${APP}/releases/${OLD} ${APP}/releases/20261120T000000Z`,
    ]);
    expect(pruneCommands(layout, [])).toEqual([]);
    expect(() => pruneCommands(layout, ['*'])).toThrow('is not a release id');
    expect(() => pruneCommands(layout, ['..'])).toThrow('is not a release id');
  });

  it('keeps the newest N and every protected release', () => {
    const ids = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7'];
    expect(releasesToPrune(ids, 5)).toEqual(['r1', 'r2']);
    expect(releasesToPrune(ids, 3, ['r1', null])).toEqual(['r2', 'r3', 'r4']);
    expect(releasesToPrune(ids, 0)).toEqual(ids.slice(0, 6)); // at least one is always kept
    expect(releasesToPrune(['r1'], 5)).toEqual([]);
  });

  it('is allowed by the standard policy, as root and as a user', async () => {
    const engine = createPolicyEngine();
    for (const [root, home] of [
      ['/opt/automatos/apps', '/root'],
      ['/home/deploy/.automatos/apps', '/home/deploy'],
    ] as const) {
      const l = appLayout(root, 'shop', NEW);
      const target = targetOf({ root, isRoot: root.startsWith('/opt') });
      const commands = [
        ...rollbackCommands(moduleOf(), l, target, OLD),
        listReleasesCommand(l),
        ...pruneCommands(l, [OLD, '20261120T000000Z']),
      ];
      for (const planned of commands) {
        const text = renderCommand(planned.command);
        const decision = await engine.check(text, { cwd: l.appDir, home });
        expect({ text, allowed: decision.allowed, rule: decision.rule }).toMatchObject({ allowed: true });
      }
    }
  });
});

describe('stopCommands', () => {
  it('stops the app with each runtime', async () => {
    const { stopCommands, renderCommand, appLayout } = await import('../../src/plan/index.js');
    const { AiModuleSchema } = await import('../../src/manifest/index.js');
    const mod = AiModuleSchema.parse({
      name: 'shop',
      version: '1.0.0',
      description: 'd',
      module_type: 'api',
      build_command: 'make',
      start_command: './shop',
    });
    const layout = appLayout('/opt/automatos/apps', 'shop', 'R1');
    expect(stopCommands('systemd', mod, layout).map((c) => renderCommand(c.command))).toEqual([
      'systemctl stop automatos-shop.service',
    ]);
    expect(stopCommands('docker', mod, layout).map((c) => renderCommand(c.command))).toEqual([
      'docker rm -f automatos-shop || true',
    ]);
    const [processStop] = stopCommands('process', mod, layout).map((c) => renderCommand(c.command));
    expect(processStop).toMatch(/^if \[ -f \/opt\/automatos\/apps\/shop\/run\/shop\.pid \]; then/);
  });
});
