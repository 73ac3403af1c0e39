import { createHash } from 'node:crypto';
import { AutomatosError } from '../../core/index.js';

export interface HostKeyOptions {
  /** The pinned `SHA256:…` fingerprint of the host key. */
  fingerprint?: string;
  /** Accept an unknown key once and report it through `onTrust` (the operator's `--trust-host-key`). */
  trustOnFirstUse?: boolean;
  /** Records a key trusted on first use; a throw refuses the connection. */
  onTrust?(fingerprint: string): void | Promise<void>;
}

/** OpenSSH's fingerprint of a raw host key blob: `SHA256:` + unpadded base64 of its SHA-256. */
export function hostKeyFingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** Accepts `SHA256:abc`, `abc` and `abc=`; returns the canonical `SHA256:abc`. */
export function normalizeFingerprint(value: string): string {
  const body = value
    .trim()
    .replace(/^SHA256:/i, '')
    .replace(/=+$/, '');
  return `SHA256:${body}`;
}

/**
 * The host-key decision for one target. After a trust-on-first-use the key is pinned for the life of
 * this object, so a reconnect to a different key is refused like any changed key.
 */
export class HostKeyPolicy {
  private pinned: string | undefined;

  constructor(
    private readonly where: string,
    private readonly options: HostKeyOptions,
  ) {
    this.pinned = options.fingerprint === undefined ? undefined : normalizeFingerprint(options.fingerprint);
  }

  /** Returns undefined when the key is accepted, or the refusal to report. */
  async check(blob: Buffer): Promise<AutomatosError | undefined> {
    const presented = hostKeyFingerprint(blob);
    if (this.pinned !== undefined) {
      return presented === this.pinned ? undefined : changed(this.where, this.pinned, presented);
    }
    if (this.options.trustOnFirstUse !== true) return unknown(this.where, presented);
    try {
      await this.options.onTrust?.(presented);
    } catch (error) {
      return new AutomatosError(
        'AUT_SSH_HOST_KEY_UNKNOWN',
        `Could not record the host key of ${this.where}`,
        {
          details: { fingerprint: presented },
          cause: error,
        },
      );
    }
    this.pinned = presented;
    return undefined;
  }
}

function unknown(where: string, presented: string): AutomatosError {
  return new AutomatosError(
    'AUT_SSH_HOST_KEY_UNKNOWN',
    `The host key of ${where} is not trusted yet: ${presented}. Check it out of band ` +
      `(ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the host), then pin it with ` +
      `--fingerprint ${presented}, or pass --trust-host-key to trust it on first use.`,
    { details: { fingerprint: presented } },
  );
}

function changed(where: string, pinned: string, presented: string): AutomatosError {
  return new AutomatosError(
    'AUT_SSH_HOST_KEY_CHANGED',
    `The host key of ${where} changed: expected ${pinned}, got ${presented}. Someone may be ` +
      `intercepting the connection, or the host was reinstalled. Refusing to connect; if the change is ` +
      `legitimate, update the target's pinned fingerprint.`,
    { details: { expected: pinned, presented } },
  );
}
