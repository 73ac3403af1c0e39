import { describe, expect, it } from 'vitest';
import { unitFile, appLayout } from '../../src/plan/index.js';
import { moduleOf, targetOf } from './helpers.js';
import { APP } from './expected.js';

const RELEASE = '20261125T010203Z-abcdef1';
const layout = appLayout('/opt/automatos/apps', 'shop', RELEASE);
const lines = (text: string): string[] => text.split('\n');

describe('the systemd unit gives the app the sandbox’s boundary from systemd itself', () => {
  const unit = lines(
    unitFile(
      moduleOf({ writable_paths: ['/srv/shop-data'] }),
      layout,
      targetOf({ hasSystemd: true, protectedPaths: ['/var/lib/automatos'], writableRoots: ['/srv'] }),
    ),
  );

  it('keeps the filesystem read-only but the release, shared/ and writable_paths', () => {
    expect(unit).toContain('ProtectSystem=strict');
    expect(unit).toContain(`ReadWritePaths=-${APP}/releases/${RELEASE} -${APP}/shared -/srv/shop-data`);
    expect(unit).toContain(`BindPaths=-${APP}/releases/${RELEASE} -${APP}/shared -/srv/shop-data`);
    // The env file and the logs, which systemd and the supervisor open, stay read-only to the app.
    expect(unit).toContain(`ReadOnlyPaths=-${APP}/shared/.env -${APP}/shared/logs`);
    expect(unit).toContain(`WorkingDirectory=${APP}/releases/${RELEASE}`);
  });

  it('hides the other apps, the homes, /run, the protected paths and the data dir', () => {
    expect(unit).toContain('TemporaryFileSystem=/opt/automatos/apps:ro');
    expect(unit).toContain('TemporaryFileSystem=/run:ro');
    expect(unit).toContain('ProtectHome=tmpfs');
    expect(unit).toContain('PrivateTmp=yes');
    expect(unit).toContain('PrivateDevices=yes');
    const hidden = unit.find((line) => line.startsWith('InaccessiblePaths='))?.split(' ') ?? [];
    for (const path of ['/etc/shadow', '/etc/gshadow', '/etc/ssl/private', '/root', '/var/lib/automatos']) {
      expect(hidden.map((p) => p.replace(/^(InaccessiblePaths=)?-/, ''))).toContain(path);
    }
  });

  it('drops every capability and any way to gain one', () => {
    expect(unit).toContain('NoNewPrivileges=yes');
    expect(unit).toContain('CapabilityBoundingSet=');
    expect(unit).toContain('AmbientCapabilities=');
    expect(unit).toContain('RestrictSUIDSGID=yes');
    expect(unit).toContain('ExecStart=/bin/bash --noprofile --norc -c "npm start"');
  });

  it('has none of it on a target whose policy says sandbox: off', () => {
    const off = lines(unitFile(moduleOf(), layout, targetOf({ hasSystemd: true, sandbox: 'off' })));
    expect(
      off.filter((line) => /^(ProtectSystem|CapabilityBoundingSet|NoNewPrivileges)=/.test(line)),
    ).toEqual([]);
  });
});
