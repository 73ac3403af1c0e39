import { z } from 'zod';

export const ROLES = ['admin', 'operator', 'viewer', 'agent'] as const;
export type Role = (typeof ROLES)[number];
export const RoleSchema = z.enum(ROLES);

/**
 * Everything a client can ask for, named once: REST routes, MCP tools and the CLI-as-client map
 * onto these, so one table decides for all of them.
 */
export const ACTIONS = [
  'read', // workflows, apps, targets, releases, health, templates, policy check, manifest validate
  'plan', // dry runs
  'deploy', // start a workflow, stop one
  'approve', // approve or reject a plan parked for review: a person's call, so never the agent role's
  'rollback', // rollback, apps stop/start
  'execute', // one command on a target through the guard
  'targets.write', // add, change, remove targets
  'secrets.write', // set and remove app secrets (values are never readable)
  'audit.read', // the audit log and its verification
  'keys.admin', // create, list, revoke API keys
] as const;
export type Action = (typeof ACTIONS)[number];

const GRANTS: Record<Role, ReadonlySet<Action>> = {
  admin: new Set(ACTIONS),
  operator: new Set<Action>([
    'read',
    'plan',
    'deploy',
    'approve',
    'rollback',
    'execute',
    'secrets.write',
    'audit.read',
  ]),
  viewer: new Set<Action>(['read']),
  // AI assistants: they may deploy and plan, but run arbitrary commands only where a key says so.
  agent: new Set<Action>(['read', 'plan', 'deploy']),
};

/** Who is asking: an API key's identity after authentication (or the local operator on the CLI). */
export interface Principal {
  /** `key:<id>` for API keys, `cli:<user>` on the embedded CLI. */
  id: string;
  role: Role;
  /** Targets this principal may act on; null = every target. */
  targets: readonly string[] | null;
  /** Extra grants beyond the role (an agent key allowed to `execute`). */
  grants?: readonly Action[];
}

export type Decision = { allowed: true } | { allowed: false; reason: string };

/**
 * The one authorization check. Target-scoped actions also need the target in the principal's
 * scope; `read` without a target is allowed and the caller filters lists by scope.
 */
export function authorize(principal: Principal, action: Action, target?: string): Decision {
  // The review parks a plan for a person to decide on; an assistant approving its own plans would
  // make the gate pointless, so no grant gives the agent role `approve`.
  if (principal.role === 'agent' && action === 'approve') {
    return { allowed: false, reason: 'role agent may never approve or reject a plan' };
  }
  const granted = GRANTS[principal.role].has(action) || (principal.grants ?? []).includes(action);
  if (!granted) {
    return { allowed: false, reason: `role ${principal.role} may not ${action}` };
  }
  if (target !== undefined && principal.targets !== null && !principal.targets.includes(target)) {
    return { allowed: false, reason: `this key is not scoped to target ${target}` };
  }
  return { allowed: true };
}

/** Whether a principal may see a target at all (lists are filtered with it). */
export const inScope = (principal: Principal, target: string): boolean =>
  principal.targets === null || principal.targets.includes(target);
