import { userInfo } from 'node:os';
import { ACTIONS, ROLES } from '../security/index.js';
import type { Action, Principal, Role } from '../security/index.js';
import { AutomatosError } from '../core/index.js';

export interface LocalPrincipalOptions {
  role?: string;
  /** Target names; undefined or empty = every target. */
  targets?: readonly string[];
  grants?: readonly string[];
  /** Default: the OS user running the process. */
  user?: string;
}

/**
 * The principal of a stdio session: the operator who started `automatos mcp`. It is `admin` by
 * default (it could run the CLI anyway); `--role`, `--targets` and `--grant` hand an assistant less.
 */
export function localPrincipal(options: LocalPrincipalOptions = {}): Principal {
  const role = options.role ?? 'admin';
  if (!(ROLES as readonly string[]).includes(role)) {
    throw new AutomatosError('AUT_USAGE', `--role must be one of ${ROLES.join(', ')}, got "${role}"`);
  }
  const grants = (options.grants ?? []).map((grant) => {
    if (!(ACTIONS as readonly string[]).includes(grant)) {
      throw new AutomatosError('AUT_USAGE', `--grant must be one of ${ACTIONS.join(', ')}, got "${grant}"`);
    }
    return grant as Action;
  });
  const targets = options.targets === undefined || options.targets.length === 0 ? null : [...options.targets];
  return {
    id: `mcp:${options.user ?? userInfo().username}`,
    role: role as Role,
    targets,
    ...(grants.length === 0 ? {} : { grants }),
  };
}
