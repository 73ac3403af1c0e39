import {
  createHmac,
  createPrivateKey,
  createPublicKey,
  hkdfSync,
  sign,
  timingSafeEqual,
  verify,
  type KeyObject,
} from 'node:crypto';
import { inspect } from 'node:util';
import { AutomatosError } from '../core/index.js';
import { REDACTED, type KeyMaterial } from '../security/index.js';

/** HKDF info labels: each use of the master key gets its own key, unrelated to the others. */
export const CHAIN_KEY_INFO = 'automatos audit chain v2';
export const SIGNING_KEY_INFO = 'automatos audit checkpoint signing v1';

// PKCS#8 DER of an Ed25519 private key is this fixed prefix followed by the 32-byte seed (RFC 8410).
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

const derive = (master: Uint8Array, info: string): Buffer =>
  Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, 32));

/**
 * The audit log's keys, derived from the master key and never stored: the HMAC key of the chain
 * and the Ed25519 key that signs checkpoints. Prints as [REDACTED]; only the public key comes out.
 */
export class AuditKeys {
  readonly #chainKey: Buffer;
  readonly #signingKey: KeyObject;
  readonly #publicKey: KeyObject;
  /** Ed25519 public key, base64 of its 32 raw bytes: give it to whoever checks checkpoints elsewhere. */
  readonly publicKey: string;

  constructor(master: KeyMaterial) {
    const bytes = master instanceof Uint8Array ? master : master.reveal();
    if (bytes.length !== 32) {
      throw new AutomatosError('AUT_MASTER_KEY_INVALID', `The master key is 32 bytes, got ${bytes.length}.`);
    }
    this.#chainKey = derive(bytes, CHAIN_KEY_INFO);
    const seed = derive(bytes, SIGNING_KEY_INFO);
    this.#signingKey = createPrivateKey({
      key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
      format: 'der',
      type: 'pkcs8',
    });
    seed.fill(0);
    this.#publicKey = createPublicKey(this.#signingKey);
    const jwk = this.#publicKey.export({ format: 'jwk' });
    this.publicKey = Buffer.from(jwk.x ?? '', 'base64url').toString('base64');
  }

  /** HMAC-SHA256 (hex) under the chain key. */
  mac(text: string): string {
    return createHmac('sha256', this.#chainKey).update(text, 'utf8').digest('hex');
  }

  /** Constant-time check of a hex MAC. */
  macMatches(text: string, mac: string): boolean {
    const expected = Buffer.from(this.mac(text), 'hex');
    const given = Buffer.from(mac, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** Ed25519 signature (base64). */
  sign(text: string): string {
    return sign(null, Buffer.from(text, 'utf8'), this.#signingKey).toString('base64');
  }

  verifySignature(text: string, signature: string): boolean {
    const bytes = Buffer.from(signature, 'base64');
    if (bytes.length !== 64) return false;
    return verify(null, Buffer.from(text, 'utf8'), this.#publicKey, bytes);
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

/** The audit keys of a master key (HKDF-SHA256, one info label per key). */
export const deriveAuditKeys = (master: KeyMaterial): AuditKeys => new AuditKeys(master);
