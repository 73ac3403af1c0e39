import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { AutomatosError } from '../core/index.js';
import type { ApiKeyRecord, Store } from '../store/index.js';
import type { KeyMaterial } from './crypto.js';
import { ACTIONS, ROLES, type Action, type Principal, type Role } from './rbac.js';
import { Sensitive } from './sensitive.js';

/**
 * `atm_<16 hex id>_<32 random bytes, base64url>`. The id is the public, loggable half (it finds the
 * row); the whole key is what the digest covers.
 */
const KEY_FORMAT = /^atm_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const DIGEST_INFO = 'automatos api-key digest v1';

export interface NewApiKeyInput {
  name?: string;
  role: Role;
  /** null or undefined: every target. */
  targets?: readonly string[] | null;
  grants?: readonly Action[];
  expiresAt?: Date | null;
}

export interface CreatedApiKey {
  /** Shown once; never stored. */
  key: Sensitive<string>;
  record: ApiKeyRecord;
}

export type AuthResult =
  | { ok: true; principal: Principal; record: ApiKeyRecord }
  | { ok: false; reason: 'malformed' | 'unknown' | 'mismatch' | 'revoked' | 'expired'; keyId: string | null };

/** The id of a well-formed key, or null. Never logs or returns the secret half. */
export function apiKeyId(presented: string): string | null {
  return KEY_FORMAT.exec(presented)?.[1] ?? null;
}

export const isApiKeyFormat = (text: string): boolean => KEY_FORMAT.test(text);

function checkInput(input: NewApiKeyInput): void {
  if (!(ROLES as readonly string[]).includes(input.role)) {
    throw new AutomatosError('AUT_INVALID_INPUT', `role must be one of ${ROLES.join(', ')}`);
  }
  for (const grant of input.grants ?? []) {
    if (!(ACTIONS as readonly string[]).includes(grant)) {
      throw new AutomatosError('AUT_INVALID_INPUT', `grant "${grant}" is not one of ${ACTIONS.join(', ')}`);
    }
  }
  if (input.expiresAt != null && Number.isNaN(input.expiresAt.getTime())) {
    throw new AutomatosError('AUT_INVALID_INPUT', 'expiresAt is not a valid date');
  }
}

/**
 * API keys: created with 32 random bytes, stored as an HMAC-SHA256 digest under a key derived from
 * the master key (a stolen database alone cannot be brute-forced offline without it), compared in
 * constant time.
 */
export class ApiKeys {
  private readonly hmacKey: Buffer;

  constructor(
    private readonly store: Pick<Store, 'apiKeys'>,
    masterKey: KeyMaterial,
  ) {
    const bytes = masterKey instanceof Uint8Array ? masterKey : masterKey.reveal();
    this.hmacKey = Buffer.from(hkdfSync('sha256', bytes, Buffer.alloc(0), DIGEST_INFO, 32));
  }

  async create(input: NewApiKeyInput): Promise<CreatedApiKey> {
    checkInput(input);
    const id = randomBytes(8).toString('hex');
    const key = `atm_${id}_${randomBytes(32).toString('base64url')}`;
    const record = await this.store.apiKeys.create({
      id,
      name: input.name ?? `${input.role} key`,
      role: input.role,
      targets: input.targets == null ? null : [...input.targets],
      grants: [...(input.grants ?? [])],
      digest: this.digest(key),
      expiresAt: input.expiresAt == null ? null : input.expiresAt.toISOString(),
    });
    return { key: new Sensitive(key), record };
  }

  /** Stores an operator-chosen key (`AUTOMATOS_ADMIN_KEY`) as an admin key; idempotent. */
  async importAdmin(presented: Sensitive<string>, name = 'bootstrap admin'): Promise<ApiKeyRecord> {
    const key = presented.reveal();
    const id = apiKeyId(key);
    if (id === null) {
      throw new AutomatosError(
        'AUT_INVALID_INPUT',
        'AUTOMATOS_ADMIN_KEY must look like atm_<16 hex>_<43 base64url characters>; ' +
          'create one with `automatos keys create --role admin` on another data dir, or unset it to get one generated',
      );
    }
    const existing = await this.store.apiKeys.find(id);
    if (existing !== undefined) {
      if (!this.matches(existing.digest, key)) {
        throw new AutomatosError('AUT_CONFLICT', `an API key with id ${id} exists with another secret`);
      }
      return existing;
    }
    return this.store.apiKeys.create({
      id,
      name,
      role: 'admin',
      targets: null,
      grants: [],
      digest: this.digest(key),
    });
  }

  async authenticate(presented: string, now: Date = new Date()): Promise<AuthResult> {
    const id = apiKeyId(presented);
    if (id === null) return { ok: false, reason: 'malformed', keyId: null };
    const record = await this.store.apiKeys.find(id);
    // Digest anyway on an unknown id: the answer takes the same time whether the id exists or not.
    const digest = record?.digest ?? '0'.repeat(64);
    const matches = this.matches(digest, presented);
    if (record === undefined) return { ok: false, reason: 'unknown', keyId: id };
    if (!matches) return { ok: false, reason: 'mismatch', keyId: id };
    if (record.revokedAt !== null) return { ok: false, reason: 'revoked', keyId: id };
    if (record.expiresAt !== null && record.expiresAt <= now.toISOString()) {
      return { ok: false, reason: 'expired', keyId: id };
    }
    return {
      ok: true,
      record,
      principal: {
        id: `key:${record.id}`,
        role: record.role,
        targets: record.targets,
        grants: record.grants.filter((g): g is Action => (ACTIONS as readonly string[]).includes(g)),
      },
    };
  }

  list(): Promise<ApiKeyRecord[]> {
    return this.store.apiKeys.list();
  }

  revoke(id: string): Promise<ApiKeyRecord> {
    return this.store.apiKeys.revoke(id);
  }

  touch(id: string): Promise<void> {
    return this.store.apiKeys.touch(id);
  }

  hasUsableAdmin(): Promise<boolean> {
    return this.store.apiKeys.countUsable('admin').then((n) => n > 0);
  }

  private digest(key: string): string {
    return createHmac('sha256', this.hmacKey).update(key, 'utf8').digest('hex');
  }

  private matches(storedHex: string, presented: string): boolean {
    const stored = Buffer.from(storedHex, 'hex');
    const actual = Buffer.from(this.digest(presented), 'hex');
    return stored.length === actual.length && timingSafeEqual(stored, actual);
  }
}

/** `30d`, `12h`, `90m`, or an ISO-8601 date/time in the future. */
export function parseExpiry(text: string, now: Date = new Date()): Date {
  const relative = /^(\d{1,5})([dhm])$/.exec(text);
  if (relative !== null) {
    const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[relative[2] as 'd' | 'h' | 'm'];
    return new Date(now.getTime() + Number(relative[1]) * unit);
  }
  const at = /^\d{4}-\d\d-\d\d/.test(text) ? new Date(text) : new Date(NaN);
  if (Number.isNaN(at.getTime())) {
    throw new AutomatosError(
      'AUT_USAGE',
      `expiry "${text}" must be a duration such as 30d, 12h or 90m, or an ISO date such as 2027-01-31`,
    );
  }
  if (at.getTime() <= now.getTime()) {
    throw new AutomatosError('AUT_USAGE', `expiry ${at.toISOString()} is in the past`);
  }
  return at;
}
