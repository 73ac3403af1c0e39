import { randomUUID } from 'node:crypto';
import { AutomatosError } from '../core/index.js';
import type { KeyInfo, KeyKind, Store } from '../store/index.js';
import { open, seal, type KeyMaterial } from './crypto.js';
import { Sensitive } from './sensitive.js';

const PEM_PRIVATE_KEY =
  /^-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----\r?\n[\s\S]+\r?\n-----END \1PRIVATE KEY-----\s*$/;

/**
 * Encrypted SSH private keys and secrets. Each record is sealed with the master key and its own
 * id as associated data; the store only ever sees base64 ciphertext, IV and tag.
 */
export class Keystore {
  constructor(
    private readonly store: Pick<Store, 'keys'>,
    private readonly masterKey: KeyMaterial,
  ) {}

  /** Stores a PEM (or OpenSSH) private key; returns its id. */
  async putKey(name: string, pem: string | Sensitive<string>): Promise<string> {
    const text = typeof pem === 'string' ? pem : pem.reveal();
    if (!PEM_PRIVATE_KEY.test(text.trim() + '\n')) {
      throw new AutomatosError(
        'AUT_INVALID_INPUT',
        `Key "${name}" is not a PEM private key (expected -----BEGIN … PRIVATE KEY----- … -----END … PRIVATE KEY-----).`,
        { details: { name } },
      );
    }
    return this.put('ssh_private_key', name, text);
  }

  async getKey(id: string): Promise<Sensitive<string>> {
    return this.get(id, 'ssh_private_key');
  }

  async putSecret(name: string, value: string | Sensitive<string>): Promise<string> {
    return this.put('secret', name, typeof value === 'string' ? value : value.reveal());
  }

  async getSecret(id: string): Promise<Sensitive<string>> {
    return this.get(id, 'secret');
  }

  list(kind?: KeyKind): Promise<KeyInfo[]> {
    return this.store.keys.list(kind);
  }

  remove(id: string): Promise<void> {
    return this.store.keys.remove(id);
  }

  private async put(kind: KeyKind, name: string, plaintext: string): Promise<string> {
    const id = `${kind === 'secret' ? 'sec' : 'key'}_${randomUUID()}`;
    const sealed = seal(this.masterKey, plaintext, id);
    await this.store.keys.insert({
      id,
      kind,
      name,
      ciphertext: sealed.ciphertext.toString('base64'),
      iv: sealed.iv.toString('base64'),
      tag: sealed.tag.toString('base64'),
    });
    return id;
  }

  private async get(id: string, kind: KeyKind): Promise<Sensitive<string>> {
    const record = await this.store.keys.get(id);
    if (record.kind !== kind) {
      throw new AutomatosError('AUT_NOT_FOUND', `Record "${id}" is a ${record.kind}, not a ${kind}.`, {
        details: { id, kind: record.kind },
      });
    }
    const plain = open(
      this.masterKey,
      {
        ciphertext: Buffer.from(record.ciphertext, 'base64'),
        iv: Buffer.from(record.iv, 'base64'),
        tag: Buffer.from(record.tag, 'base64'),
      },
      id,
    );
    const text = plain.toString('utf8');
    plain.fill(0);
    return new Sensitive(text);
  }
}
