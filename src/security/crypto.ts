import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AutomatosError } from '../core/index.js';
import type { Sensitive } from './sensitive.js';

export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface Sealed {
  ciphertext: Buffer;
  iv: Buffer;
  tag: Buffer;
}

export type KeyMaterial = Uint8Array | Sensitive<Buffer>;

function keyBytes(key: KeyMaterial): Uint8Array {
  const bytes = key instanceof Uint8Array ? key : key.reveal();
  if (bytes.length !== KEY_BYTES) {
    throw new AutomatosError(
      'AUT_MASTER_KEY_INVALID',
      `An AES-256 key is ${KEY_BYTES} bytes, got ${bytes.length}.`,
    );
  }
  return bytes;
}

/**
 * AES-256-GCM with a fresh random 12-byte IV. `aad` (the record id) is authenticated, not stored:
 * a ciphertext copied into another record does not open there.
 */
export function seal(key: KeyMaterial, plaintext: Uint8Array | string, aad: string): Sealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyBytes(key), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
  const ciphertext = Buffer.concat([cipher.update(data), cipher.final()]);
  return { ciphertext, iv, tag: cipher.getAuthTag() };
}

/** Decrypts and authenticates; any tampering, a wrong key or a wrong `aad` is `AUT_DECRYPT_FAILED`. */
export function open(key: KeyMaterial, sealed: Sealed, aad: string): Buffer {
  const bytes = keyBytes(key);
  if (sealed.iv.length !== IV_BYTES || sealed.tag.length !== TAG_BYTES) {
    throw decryptFailed(aad);
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', bytes, sealed.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(sealed.tag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
  } catch (error) {
    throw decryptFailed(aad, error);
  }
}

const decryptFailed = (aad: string, cause?: unknown): AutomatosError =>
  new AutomatosError(
    'AUT_DECRYPT_FAILED',
    `Cannot decrypt record "${aad}": the master key is not the one it was sealed with, or the record was tampered with.`,
    { details: { record: aad }, cause },
  );
