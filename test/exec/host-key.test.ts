import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hostKeyFingerprint, normalizeFingerprint } from '../../src/exec/index.js';
import { HostKeyPolicy } from '../../src/exec/ssh/host-key.js';
import { keygen } from '../harness/sshd.js';

const dir = mkdtempSync(join(tmpdir(), 'automatos-hostkey-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function keyPair(name: string): { blob: Buffer; sshKeygen: string } {
  keygen(join(dir, name));
  const line = readFileSync(join(dir, `${name}.pub`), 'utf8');
  const printed = String(
    spawnSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(dir, `${name}.pub`)]).stdout,
  );
  return { blob: Buffer.from(line.split(' ')[1] ?? '', 'base64'), sshKeygen: printed.split(' ')[1] ?? '' };
}

describe('host keys', () => {
  const one = keyPair('one');
  const two = keyPair('two');

  it('fingerprints exactly as ssh-keygen -l does', () => {
    expect(hostKeyFingerprint(one.blob)).toBe(one.sshKeygen);
    expect(one.sshKeygen).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('normalizes pasted fingerprints', () => {
    const body = one.sshKeygen.slice('SHA256:'.length);
    expect(normalizeFingerprint(body)).toBe(one.sshKeygen);
    expect(normalizeFingerprint(` sha256:${body}= `)).toBe(one.sshKeygen);
  });

  it('accepts the pinned key and refuses any other', async () => {
    const policy = new HostKeyPolicy('web', { fingerprint: one.sshKeygen });
    expect(await policy.check(one.blob)).toBeUndefined();
    expect(await policy.check(two.blob)).toMatchObject({ code: 'AUT_SSH_HOST_KEY_CHANGED' });
  });

  it('refuses an unknown key unless trust on first use was asked for', async () => {
    expect(await new HostKeyPolicy('web', {}).check(one.blob)).toMatchObject({
      code: 'AUT_SSH_HOST_KEY_UNKNOWN',
    });
  });

  it('pins the key trusted on first use, so a later different key is refused', async () => {
    const recorded: string[] = [];
    const policy = new HostKeyPolicy('web', {
      trustOnFirstUse: true,
      onTrust: (fp) => void recorded.push(fp),
    });
    expect(await policy.check(one.blob)).toBeUndefined();
    expect(await policy.check(one.blob)).toBeUndefined();
    const changed = await policy.check(two.blob);
    expect(changed?.code).toBe('AUT_SSH_HOST_KEY_CHANGED');
    expect(changed?.message).toContain(one.sshKeygen);
    expect(changed?.message).toContain(two.sshKeygen);
    expect(recorded).toEqual([one.sshKeygen]);
  });

  it('refuses the key when recording the trust fails', async () => {
    const policy = new HostKeyPolicy('web', {
      trustOnFirstUse: true,
      onTrust: () => Promise.reject(new Error('disk full')),
    });
    expect(await policy.check(one.blob)).toMatchObject({ code: 'AUT_SSH_HOST_KEY_UNKNOWN' });
    expect(await policy.check(two.blob)).toMatchObject({ code: 'AUT_SSH_HOST_KEY_UNKNOWN' });
  });
});
