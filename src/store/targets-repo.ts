import type { Kysely, Selectable } from 'kysely';
import { AutomatosError } from '../core/index.js';
import type { Database, TargetsTable } from './schema.js';
import { isForeignKeyViolation, isUniqueViolation, nowIso } from './sql-errors.js';

export type TargetAuth = { kind: 'key'; keyId: string } | { kind: 'agent' };

export interface Target {
  name: string;
  host: string;
  port: number;
  user: string;
  auth: TargetAuth;
  /** Pinned `SHA256:…` host-key fingerprint; null until trusted. */
  hostKeyFingerprint: string | null;
  policyProfile: string;
  /** null: the runtime default root. */
  root: string | null;
  labels: Record<string, string>;
  /** How user commands are confined there: `off` only by the operator's explicit choice. */
  sandbox: 'bwrap' | 'off';
  createdAt: string;
  updatedAt: string;
}

export interface NewTarget {
  name: string;
  host: string;
  port?: number;
  user: string;
  auth: TargetAuth;
  hostKeyFingerprint?: string | null;
  policyProfile?: string;
  root?: string | null;
  labels?: Record<string, string>;
  sandbox?: 'bwrap' | 'off';
}

export type TargetPatch = Partial<Omit<NewTarget, 'name'>>;

type Row = Selectable<TargetsTable>;

function toTarget(row: Row): Target {
  return {
    name: row.name,
    host: row.host,
    port: Number(row.port),
    user: row.username,
    auth:
      row.auth_kind === 'key' && row.key_id !== null ? { kind: 'key', keyId: row.key_id } : { kind: 'agent' },
    hostKeyFingerprint: row.host_key_fingerprint,
    policyProfile: row.policy_profile,
    root: row.root,
    labels: JSON.parse(row.labels) as Record<string, string>,
    sandbox: row.sandbox === 'off' ? 'off' : 'bwrap',
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toRow(target: NewTarget, createdAt: string, updatedAt: string): Row {
  return {
    name: target.name,
    host: target.host,
    port: target.port ?? 22,
    username: target.user,
    auth_kind: target.auth.kind,
    key_id: target.auth.kind === 'key' ? target.auth.keyId : null,
    host_key_fingerprint: target.hostKeyFingerprint ?? null,
    policy_profile: target.policyProfile ?? 'standard',
    root: target.root ?? null,
    labels: JSON.stringify(target.labels ?? {}),
    sandbox: target.sandbox ?? 'bwrap',
    created_at: createdAt,
    updated_at: updatedAt,
  };
}

function translate(error: unknown, target: NewTarget): never {
  if (isUniqueViolation(error)) {
    throw new AutomatosError('AUT_CONFLICT', `A target named "${target.name}" already exists.`, {
      details: { target: target.name },
      cause: error,
    });
  }
  if (isForeignKeyViolation(error) && target.auth.kind === 'key') {
    throw new AutomatosError(
      'AUT_NOT_FOUND',
      `Key "${target.auth.keyId}" of target "${target.name}" does not exist.`,
      {
        details: { target: target.name, keyId: target.auth.keyId },
        cause: error,
      },
    );
  }
  throw error;
}

const notFound = (name: string): AutomatosError =>
  new AutomatosError('AUT_NOT_FOUND', `No target named "${name}". List them with \`automatos targets ls\`.`, {
    details: { target: name },
  });

export class TargetsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async create(target: NewTarget): Promise<Target> {
    const now = nowIso();
    const row = toRow(target, now, now);
    try {
      await this.db.insertInto('targets').values(row).execute();
    } catch (error) {
      translate(error, target);
    }
    return toTarget(row);
  }

  async find(name: string): Promise<Target | undefined> {
    const row = await this.db.selectFrom('targets').selectAll().where('name', '=', name).executeTakeFirst();
    return row === undefined ? undefined : toTarget(row);
  }

  /** Like `find`, but a missing target is an `AUT_NOT_FOUND` error. */
  async get(name: string): Promise<Target> {
    const target = await this.find(name);
    if (target === undefined) throw notFound(name);
    return target;
  }

  async list(): Promise<Target[]> {
    const rows = await this.db.selectFrom('targets').selectAll().orderBy('name').execute();
    return rows.map(toTarget);
  }

  async update(name: string, patch: TargetPatch): Promise<Target> {
    return this.db.transaction().execute(async (trx) => {
      const current = await new TargetsRepo(trx).get(name);
      const given = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
      const next: NewTarget = { ...current, ...given, name };
      const row = toRow(next, current.createdAt, nowIso());
      try {
        await trx.updateTable('targets').set(row).where('name', '=', name).execute();
      } catch (error) {
        translate(error, next);
      }
      return toTarget(row);
    });
  }

  async remove(name: string): Promise<void> {
    const result = await this.db.deleteFrom('targets').where('name', '=', name).executeTakeFirst();
    if (result.numDeletedRows === 0n) throw notFound(name);
  }
}
