import { describe, expect, it } from 'vitest';
import {
  buildPlan,
  planStepsToJson,
  releaseIdFor,
  STEP_NAMES,
  SUPERVISOR_SCRIPT,
} from '../../src/plan/index.js';
import type { DeploymentPlan } from '../../src/plan/index.js';
import { processStartFor, PROCESS_STOP, WRITE_SUPERVISOR } from './expected.js';
import { moduleOf, targetOf } from './helpers.js';

const RELEASE = '20261125T010203Z-abcdef1';
const APP = '/opt/automatos/apps/shop';
const REL = `${APP}/releases/${RELEASE}`;
const LOAD_ENV = `set -a && . ${APP}/shared/.env && set +a`;

function commandsOf(plan: DeploymentPlan, step: string): string[] {
  return (
    planStepsToJson(plan)
      .find((s) => s.name === step)
      ?.commands.map((c) => c.command) ?? []
  );
}

describe('buildPlan', () => {
  const plan = buildPlan({
    module: moduleOf({
      test_command: 'npm test',
      system_dependencies: ['libvips'],
      secrets: ['STRIPE_KEY'],
      environment_variables: { NODE_ENV: 'production' },
      port: 3000,
    }),
    sourceDir: '/work/shop',
    releaseId: RELEASE,
    target: targetOf(),
  });

  it('orders the steps upload, prepare, build, test, release, verify', () => {
    expect(plan.steps.map((s) => s.name)).toEqual([...STEP_NAMES]);
  });

  it('uploads into a fresh release directory over a tar stream', () => {
    expect(commandsOf(plan, 'upload')).toEqual([
      `mkdir -p ${REL} ${APP}/shared/logs ${APP}/run ${APP}/shared/home`,
      `chmod 0700 ${APP}`,
      `mkdir -p -- ${REL} && tar -x -p -o -f - -C ${REL}`,
    ]);
    expect(plan.steps[0]?.commands[2]?.stdin).toEqual({
      kind: 'tar',
      from: '/work/shop',
      exclude: ['.git', 'node_modules', '.venv', 'venv', '__pycache__', '.env', '.env.local', '.automatos'],
    });
  });

  it('installs missing system packages and writes the env file without secret values', () => {
    expect(commandsOf(plan, 'prepare')).toEqual([
      `([ "$(dpkg-query -W -f='\${Status}\\n' libvips 2>/dev/null | grep -c '^install ok installed$')" -eq 1 ]) || { apt-get update -q && apt-get install -y -q --no-install-recommends libvips; }`,
      `umask 077 && cat > ${APP}/run/.env.next && chmod 0600 ${APP}/run/.env.next && mv -f ${APP}/run/.env.next ${APP}/shared/.env`,
    ]);
    expect(plan.steps[1]?.commands[1]?.stdin).toEqual({
      kind: 'env_file',
      variables: ['NODE_ENV', 'PORT'],
      secrets: ['STRIPE_KEY'],
    });
  });

  it('builds and tests in the release directory with the env file loaded', () => {
    expect(commandsOf(plan, 'build')).toEqual([`${LOAD_ENV} && (npm ci && npm run build)`]);
    expect(commandsOf(plan, 'test')).toEqual([`${LOAD_ENV} && npm test`]);
    expect(plan.steps[2]?.commands[0]?.cwd).toBe(REL);
  });

  it('switches current atomically and restarts with the process runtime', () => {
    const [link, stop, write, start] = commandsOf(plan, 'release');
    expect(plan.runtime).toBe('process');
    expect(link).toBe(`ln -sfn ${REL} ${APP}/current.next && mv -T ${APP}/current.next ${APP}/current`);
    expect(stop).toBe(PROCESS_STOP);
    expect(write).toBe(WRITE_SUPERVISOR);
    expect(plan.steps[4]?.commands[2]?.stdin).toEqual({ kind: 'text', content: SUPERVISOR_SCRIPT });
    expect(start).toBe(processStartFor(RELEASE));
  });

  it('verifies over HTTP through the SSH connection', () => {
    expect(plan.steps[5]?.probe).toEqual({
      type: 'http',
      host: '127.0.0.1',
      port: 3000,
      path: '/health',
      expectStatus: 200,
      command: null,
      intervalSec: 30,
      timeoutSec: 10,
      retries: 3,
      startPeriodSec: 0,
      via: 'ssh-forward',
    });
    expect(plan.onFailure).toContain('switch current back to the previous release');
  });

  it('says why a step is empty instead of leaving it silently so', () => {
    const quiet = buildPlan({
      module: moduleOf({ health_check: { enabled: false } }),
      sourceDir: '/w',
      releaseId: RELEASE,
      target: targetOf(),
    });
    expect(quiet.steps[3]).toMatchObject({
      name: 'test',
      commands: [],
      skipped: 'the manifest has no test_command',
    });
    expect(quiet.steps[5]).toMatchObject({ name: 'verify', skipped: 'health_check.enabled is false' });
  });

  it('uses sudo -n for packages when not root, and dnf or apk where the host has them', () => {
    const mod = moduleOf({ system_dependencies: ['git', 'curl'] });
    const prepare = (facts: Parameters<typeof targetOf>[0]) =>
      commandsOf(
        buildPlan({ module: mod, sourceDir: '/w', releaseId: RELEASE, target: targetOf(facts) }),
        'prepare',
      )[0];
    expect(prepare({ isRoot: false, user: 'deploy' })).toBe(
      `([ "$(dpkg-query -W -f='\${Status}\\n' git curl 2>/dev/null | grep -c '^install ok installed$')" -eq 2 ]) || { sudo -n apt-get update -q && sudo -n apt-get install -y -q --no-install-recommends git curl; }`,
    );
    expect(prepare({ packageManager: 'dnf' })).toBe('rpm -q git curl || dnf install -y -q git curl');
    expect(prepare({ packageManager: 'apk' })).toBe('apk info -e git curl || apk add --no-cache git curl');
    expect(() => prepare({ packageManager: null })).toThrow('has no supported package manager');
  });

  it('runs hooks around build and release with their field as origin', () => {
    const hooked = buildPlan({
      module: moduleOf({ hooks: { pre_build: ['echo pre'], post_release: ['./notify.sh'] } }),
      sourceDir: '/w',
      releaseId: RELEASE,
      target: targetOf(),
    });
    expect(commandsOf(hooked, 'build')[0]).toBe(`${LOAD_ENV} && echo pre`);
    const release = hooked.steps[4]?.commands ?? [];
    expect(release.at(-1)).toMatchObject({ purpose: 'hook hooks.post_release[0]', cwd: `${APP}/current` });
  });

  it('refuses deployment targets that are not supported yet', () => {
    expect(() =>
      buildPlan({
        module: moduleOf({ deployment_target: 'kubernetes' }),
        sourceDir: '/w',
        releaseId: RELEASE,
        target: targetOf(),
      }),
    ).toThrow('deployment_target kubernetes is not supported yet; supported: local, docker');
  });
});

describe('runtimes', () => {
  it('picks systemd automatically on a systemd host as root, with a unit file as data', () => {
    const plan = buildPlan({
      module: moduleOf(),
      sourceDir: '/w',
      releaseId: RELEASE,
      target: targetOf({ hasSystemd: true }),
    });
    expect(plan.runtime).toBe('systemd');
    expect(commandsOf(plan, 'release').slice(1)).toEqual([
      'umask 077 && cat > /etc/systemd/system/automatos-shop.service.next && chmod 0644 /etc/systemd/system/automatos-shop.service.next && mv -f /etc/systemd/system/automatos-shop.service.next /etc/systemd/system/automatos-shop.service',
      'systemctl daemon-reload',
      'systemctl enable automatos-shop.service',
      'systemctl restart automatos-shop.service',
    ]);
    const unit = plan.steps[4]?.commands[1]?.stdin;
    expect(unit?.kind === 'text' ? unit.content : '').toContain(
      'ExecStart=/bin/bash --noprofile --norc -c "npm start"',
    );
  });

  it('escapes $ and % in systemd ExecStart', () => {
    const plan = buildPlan({
      module: moduleOf({ start_command: 'serve --port "$PORT" --fmt %s' }),
      sourceDir: '/w',
      releaseId: RELEASE,
      target: targetOf({ hasSystemd: true }),
    });
    const unit = plan.steps[4]?.commands[1]?.stdin;
    expect(unit?.kind === 'text' ? unit.content : '').toContain(
      'ExecStart=/bin/bash --noprofile --norc -c "serve --port \\"$$PORT\\" --fmt %%s"',
    );
  });

  it('refuses runtime: systemd where the host has none, or without root', () => {
    const mod = moduleOf({ runtime: 'systemd' });
    expect(() => buildPlan({ module: mod, sourceDir: '/w', releaseId: RELEASE, target: targetOf() })).toThrow(
      'does not run systemd',
    );
    expect(() =>
      buildPlan({
        module: mod,
        sourceDir: '/w',
        releaseId: RELEASE,
        target: targetOf({ hasSystemd: true, isRoot: false }),
      }),
    ).toThrow('needs to write /etc/systemd/system');
  });

  it('builds, tests and runs a container for deployment_target docker, published on loopback', () => {
    const plan = buildPlan({
      module: moduleOf({ deployment_target: 'docker', port: 8080, test_command: 'npm test' }),
      sourceDir: '/w',
      releaseId: RELEASE,
      target: targetOf(),
    });
    const image = `automatos/shop:${RELEASE}`;
    expect(plan.runtime).toBe('docker');
    expect(commandsOf(plan, 'build')).toEqual([`docker build -t ${image} .`]);
    expect(commandsOf(plan, 'test')).toEqual([
      `docker run --rm --env-file ${APP}/shared/.env ${image} sh -c 'npm test'`,
    ]);
    expect(commandsOf(plan, 'release').slice(1)).toEqual([
      'docker rm -f automatos-shop || true',
      `docker run -d --name automatos-shop --restart unless-stopped --env-file ${APP}/shared/.env -p 127.0.0.1:8080:8080 ${image}`,
    ]);
  });
});

describe('releaseIdFor', () => {
  it('sorts by time and names the commit', () => {
    const at = new Date('2026-11-25T01:02:03.456Z');
    expect(releaseIdFor(at, 'abcdef1234567890')).toBe('20261125T010203.456Z-abcdef1');
    expect(releaseIdFor(at, null)).toBe('20261125T010203.456Z');
  });
});
