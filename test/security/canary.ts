import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import type { Orchestrator } from '../../src/engine/index.js';
import { base64Core } from '../../src/security/secret-forms.js';

/**
 * A secret an attacker with an exec key wants out, and the shapes it might leave in: a canary
 * whose base64 holds `+`, `/` and padding, so that the std, url-safe and percent-encoded forms differ.
 */
export const CANARY = 'Cnry~7f3Q+x/9Zk=Lm2p?W>~?';
export const APP = 'shop';
export const SECRET_NAME = 'API_TOKEN';

const bytes = Buffer.from(CANARY);
const b64 = bytes.toString('base64');

/** Every form of the canary that must not appear anywhere, by name. */
export const FORMS: Record<string, string> = {
  plain: CANARY,
  base64: b64,
  'base64 unpadded': b64.replace(/=+$/, ''),
  base64url: bytes.toString('base64url'),
  hex: bytes.toString('hex'),
  HEX: bytes.toString('hex').toUpperCase(),
  'url-encoded': encodeURIComponent(CANARY),
  'base64 core at offset 1': base64Core(bytes, 1).core,
  'base64 core at offset 2': base64Core(bytes, 2).core,
};

/** The names of the forms found in a text. */
export function leaks(text: string): string[] {
  return Object.entries(FORMS)
    .filter(([, form]) => text.includes(form) || text.includes(form.replace(/\+/g, '-').replace(/\//g, '_')))
    .map(([name]) => name);
}

/**
 * Prints the canary in every form without the command holding it: the value is put together from
 * two halves in the shell, then printed plain, base64 (std, url-safe, inside a longer blob at two
 * more alignments), hex (both cases) and percent-encoded.
 */
export const ECHO_FORMS = [
  `a='${CANARY.slice(0, 13)}'; b='${CANARY.slice(13)}'; v="$a$b"`,
  `echo "plain=$v"`,
  `printf '%s' "$v" | base64 -w0; echo`,
  `printf '%s' "$v" | base64 -w0 | tr '+/' '-_' | tr -d '='; echo`,
  `printf 'x%s!!' "$v" | base64 -w0; echo`,
  `printf 'xy%s!' "$v" | base64 -w0; echo`,
  `printf '%s' "$v" | od -An -tx1 -v | tr -d ' \\n'; echo`,
  `printf '%s' "$v" | od -An -tx1 -v | tr -d ' \\n' | tr a-f A-F; echo`,
  `printf '%s' "$v" | sed -e 's|+|%2B|g' -e 's|/|%2F|g' -e 's|=|%3D|g' -e 's|?|%3F|g' -e 's|>|%3E|g'; echo`,
].join('\n');

/** A command that holds the canary itself, as typed and in two encoded forms. */
export const LITERAL = `echo '${CANARY}' ${FORMS['base64'] ?? ''} ${FORMS['url-encoded'] ?? ''}`;

/** The canary's app has a release on `local`: its secrets are what exec output there is redacted of. */
export async function releaseOnLocal(orch: Orchestrator): Promise<void> {
  await orch.store.apps.releases.upsert({ app: APP, target: 'local', releaseId: 'r1', status: 'active' });
}

/** Every row of the audit table, read from the database file itself (not through the app). */
export function auditRows(dataDir: string): string {
  const db = new SQLite(join(dataDir, 'automatos.db'), { readonly: true });
  try {
    return JSON.stringify(db.prepare('SELECT * FROM audit_events').all());
  } finally {
    db.close();
  }
}

/** Files under a directory (the data dir: database, WAL, logs) holding any form of the canary. */
export function filesWithCanary(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const text = readFileSync(path).toString('latin1');
    for (const name of leaks(text)) found.push(`${path}: ${name}`);
  }
  return found;
}
