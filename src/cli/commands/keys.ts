import { AutomatosError } from '../../core/index.js';
import { cliActor } from '../../engine/index.js';
import { ACTIONS, parseExpiry, ROLES, type Action, type Role } from '../../security/index.js';
import type { CommandContext } from '../context.js';
import { printJson } from '../io.js';
import { withOrchestrator } from '../orchestrator.js';

export interface KeysCreateOptions {
  role: string;
  name?: string;
  targets?: string;
  grant?: string[];
  expires?: string;
  json?: boolean;
}

function role(text: string): Role {
  if (!(ROLES as readonly string[]).includes(text)) {
    throw new AutomatosError('AUT_USAGE', `--role must be one of ${ROLES.join(', ')}`);
  }
  return text as Role;
}

function grants(list: readonly string[] | undefined): Action[] {
  return (list ?? []).map((g) => {
    if (!(ACTIONS as readonly string[]).includes(g)) {
      throw new AutomatosError('AUT_USAGE', `--grant must be one of ${ACTIONS.join(', ')}`);
    }
    return g as Action;
  });
}

/** Prints the key once: only its digest is stored, so it cannot be shown again. */
export async function keysCreateCommand(ctx: CommandContext, opts: KeysCreateOptions): Promise<number> {
  const targets =
    opts.targets === undefined
      ? null
      : opts.targets
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean);
  const created = await withOrchestrator(ctx, async (orch) => {
    const made = await orch.apiKeys.create({
      role: role(opts.role),
      ...(opts.name === undefined ? {} : { name: opts.name }),
      targets,
      grants: grants(opts.grant),
      expiresAt: opts.expires === undefined ? null : parseExpiry(opts.expires),
    });
    await orch.audit.append({
      ...cliActor(),
      action: 'key.create',
      details: { id: made.record.id, role: made.record.role, targets, grants: made.record.grants },
    });
    return made;
  });
  const r = created.record;
  if (opts.json === true)
    printJson(ctx.io, { id: r.id, role: r.role, targets: r.targets, key: created.key.reveal() });
  else {
    ctx.io.out(`${created.key.reveal()}\n`);
    ctx.io.err(
      `created ${r.role} key ${r.id} (${r.name})${r.targets === null ? '' : ` for ${r.targets.join(', ')}`}` +
        `${r.expiresAt === null ? '' : `, expires ${r.expiresAt}`}; it is shown only this once\n`,
    );
  }
  return 0;
}

export async function keysListCommand(ctx: CommandContext, opts: { json?: boolean }): Promise<number> {
  const keys = await withOrchestrator(ctx, (orch) => orch.apiKeys.list());
  if (opts.json === true) {
    printJson(
      ctx.io,
      keys.map(({ digest: _digest, ...k }) => k),
    );
    return 0;
  }
  ctx.io.out('ID                NAME                  ROLE      TARGETS         STATE     LAST USED\n');
  const now = new Date().toISOString();
  for (const k of keys) {
    const state =
      k.revokedAt !== null ? 'revoked' : k.expiresAt !== null && k.expiresAt <= now ? 'expired' : 'active';
    ctx.io.out(
      `${k.id.padEnd(17)} ${k.name.slice(0, 21).padEnd(21)} ${k.role.padEnd(9)} ${(k.targets?.join(',') ?? '*').padEnd(15)} ${state.padEnd(9)} ${k.lastUsedAt ?? '-'}\n`,
    );
  }
  return 0;
}

export async function keysRevokeCommand(ctx: CommandContext, id: string): Promise<number> {
  await withOrchestrator(ctx, async (orch) => {
    await orch.apiKeys.revoke(id);
    await orch.audit.append({ ...cliActor(), action: 'key.revoke', details: { id } });
  });
  ctx.io.out(`revoked key ${id}\n`);
  return 0;
}
