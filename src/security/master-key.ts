import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { AutomatosError } from '../core/index.js';
import { KEY_BYTES } from './crypto.js';
import { Sensitive } from './sensitive.js';

export const MASTER_KEY_ENV = 'AUTOMATOS_MASTER_KEY';
export const MASTER_KEY_FILE = 'master.key';

export interface MasterKey {
  key: Sensitive<Buffer>;
  source: 'env' | 'file';
  /** The key file, when source is 'file'. */
  path: string | null;
  /** True when this call generated the key file: tell the operator to back it up. */
  created: boolean;
}

export interface LoadMasterKeyOptions {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
}

/** 64 hex digits, or base64 (standard or url-safe, padded or not) of exactly 32 bytes. */
export function parseMasterKey(text: string, origin: string): Buffer {
  const value = text.trim();
  const asHex = /^(?:[0-9a-fA-F]{2})+$/.test(value) ? Buffer.from(value, 'hex') : undefined;
  const asBase64 = /^[A-Za-z0-9+/_-]+={0,2}$/.test(value) ? Buffer.from(value, 'base64') : undefined;
  const found = [asHex, asBase64].find((bytes) => bytes?.length === KEY_BYTES);
  if (found !== undefined) return found;
  const got = asHex ?? asBase64;
  throw new AutomatosError(
    'AUT_MASTER_KEY_INVALID',
    `${origin} must be ${KEY_BYTES} bytes as 64 hex digits or base64 ` +
      `(got ${got === undefined ? 'neither hex nor base64' : `${got.length} bytes`}). ` +
      `Generate one with: openssl rand -base64 ${KEY_BYTES}`,
    { details: { origin, bytes: got?.length ?? null } },
  );
}

function readKeyFile(path: string): Buffer {
  const stat = statSync(path);
  if (!stat.isFile()) {
    throw new AutomatosError('AUT_MASTER_KEY_INVALID', `The master key file ${path} is not a regular file.`, {
      details: { path },
    });
  }
  if ((stat.mode & 0o077) !== 0) {
    const mode = (stat.mode & 0o777).toString(8).padStart(3, '0');
    throw new AutomatosError(
      'AUT_MASTER_KEY_INSECURE',
      `The master key file ${path} is readable by other users (mode ${mode}); refusing to use it. ` +
        `Fix it with: chmod 600 ${path}`,
      { details: { path, mode } },
    );
  }
  return parseMasterKey(readFileSync(path, 'utf8'), `The master key file ${path}`);
}

/**
 * Writes the key to a private temp file, then hard-links it into place: the key file appears
 * complete or not at all, and a concurrent first run loses the link race instead of overwriting.
 */
function createKeyFile(path: string): boolean {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, `${randomBytes(KEY_BYTES).toString('base64')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temp);
  }
}

/**
 * The master key: `AUTOMATOS_MASTER_KEY` when set (an empty value counts as unset), otherwise
 * `<dataDir>/master.key`, generated on first use with mode 0600.
 */
export function loadMasterKey(options: LoadMasterKeyOptions): MasterKey {
  const fromEnv = (options.env ?? process.env)[MASTER_KEY_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    return {
      key: new Sensitive(parseMasterKey(fromEnv, MASTER_KEY_ENV)),
      source: 'env',
      path: null,
      created: false,
    };
  }
  const path = join(options.dataDir, MASTER_KEY_FILE);
  try {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    const created = !existsSync(path) && createKeyFile(path);
    return { key: new Sensitive(readKeyFile(path)), source: 'file', path, created };
  } catch (error) {
    if (error instanceof AutomatosError) throw error;
    throw new AutomatosError(
      'AUT_IO',
      `Cannot read or create the master key file ${path}: ${(error as Error).message}`,
      {
        details: { path },
        cause: error,
      },
    );
  }
}
