import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  AuditLog,
  CHAIN_KEY_INFO,
  deriveAuditKeys,
  headMac,
  keyedHash,
  ZERO_HASH,
} from '../../src/audit/index.js';
import { Sensitive } from '../../src/security/index.js';
import { useTempStores } from '../store/temp-store.js';

describe('audit keys', () => {
  const temp = useTempStores();
  const master = randomBytes(32);

  it('derive the chain key with HKDF-SHA256 under its own label, from a Buffer or a Sensitive', () => {
    const chainKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), CHAIN_KEY_INFO, 32));
    const expected = createHmac('sha256', chainKey).update('x').digest('hex');
    expect(deriveAuditKeys(master).mac('x')).toBe(expected);
    expect(deriveAuditKeys(new Sensitive(master)).mac('x')).toBe(expected);
    // Not the master key itself, and not the API-key digest key (another label).
    expect(expected).not.toBe(createHmac('sha256', master).update('x').digest('hex'));
    expect(deriveAuditKeys(randomBytes(32)).mac('x')).not.toBe(expected);
  });

  it('sign and verify checkpoints with a deterministic Ed25519 key; never print a key', () => {
    const keys = deriveAuditKeys(master);
    expect(deriveAuditKeys(master).publicKey).toBe(keys.publicKey);
    expect(Buffer.from(keys.publicKey, 'base64')).toHaveLength(32);
    const sig = keys.sign('hello');
    expect(keys.verifySignature('hello', sig)).toBe(true);
    expect(keys.verifySignature('hellO', sig)).toBe(false);
    expect(deriveAuditKeys(randomBytes(32)).verifySignature('hello', sig)).toBe(false);
    for (const shown of [String(keys), JSON.stringify({ keys }), inspect(keys)]) {
      expect(shown).toContain('[REDACTED]');
      expect(shown).not.toContain(master.toString('hex'));
    }
    expect(() => deriveAuditKeys(randomBytes(16))).toThrow(
      expect.objectContaining({ code: 'AUT_MASTER_KEY_INVALID' }),
    );
  });

  it('a keyed log: every record an HMAC over its canonical JSON, the head sealed, no key in the database', async () => {
    const store = await temp.open();
    const keys = deriveAuditKeys(master);
    const log = new AuditLog(store, { keys });
    const first = await log.append({ principal: 'p', source: 'cli', action: 'exec', command: 'true' });
    const second = await log.append({ principal: 'p', source: 'cli', action: 'exec', command: 'false' });
    expect(first).toMatchObject({ seq: 1, prevHash: ZERO_HASH, alg: 'hmac-sha256' });
    const { hash, ...rest } = first;
    expect(keyedHash(keys, rest)).toBe(hash);
    expect(second.prevHash).toBe(first.hash);
    const head = await store.audit.head();
    expect(head).toEqual({
      seq: 2,
      hash: second.hash,
      keyedFrom: 1,
      mac: headMac(keys, { seq: 2, hash: second.hash, keyedFrom: 1 }),
    });
    const raw = JSON.stringify([
      await store.db.selectFrom('audit_events').selectAll().execute(),
      await store.db.selectFrom('audit_head').selectAll().execute(),
    ]);
    for (const secret of [master.toString('hex'), master.toString('base64')])
      expect(raw).not.toContain(secret);
    expect(await log.verify()).toMatchObject({ ok: true, count: 2, keyedFrom: 1 });
  });

  it('a log without keys refuses to append to a keyed chain, and cannot verify it', async () => {
    const store = await temp.open();
    await new AuditLog(store, { keys: deriveAuditKeys(master) }).append({
      principal: 'p',
      source: 'cli',
      action: 'a',
    });
    const keyless = new AuditLog(store);
    await expect(keyless.append({ principal: 'p', source: 'cli', action: 'b' })).rejects.toMatchObject({
      code: 'AUT_STORE',
      message: expect.stringContaining('no audit key'),
    });
    expect(await keyless.verify()).toMatchObject({
      ok: false,
      firstBroken: { seq: 1, reason: 'key_unavailable' },
    });
  });

  it('a different master key: appends stop (the head does not verify) and verify says why', async () => {
    const store = await temp.open();
    await new AuditLog(store, { keys: deriveAuditKeys(master) }).append({
      principal: 'p',
      source: 'cli',
      action: 'a',
    });
    const other = new AuditLog(store, { keys: deriveAuditKeys(randomBytes(32)) });
    await expect(other.append({ principal: 'p', source: 'cli', action: 'b' })).rejects.toMatchObject({
      code: 'AUT_STORE',
      message: expect.stringContaining('if the master key changed'),
    });
    expect((await other.verify()).firstBroken?.message).toContain('the master key is not the one');
  });
});
