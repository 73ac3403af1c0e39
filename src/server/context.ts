import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Orchestrator, WorkflowEngine } from '../engine/index.js';
import type { Actor } from '../exec/index.js';
import type { PolicyEngine } from '../policy/index.js';
import { inScope, type Principal } from '../security/index.js';
import { principalOf } from './auth/access.js';

/** What every route module receives. */
export interface ServerContext {
  orch: Orchestrator;
  engine: WorkflowEngine;
  /** The server's policy engine (same configuration as the guard's) for `policy/check`. */
  policy: PolicyEngine;
  /** Whether `repository_url` may be a directory or file:// URL on the orchestrator's own disk. */
  allowLocalSources: boolean;
  env: NodeJS.ProcessEnv;
}

/** Target, app and secret names: DNS labels (so no path traversal, no shell characters). */
export const NameSchema = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be lowercase letters, digits and "-" (a DNS label)');

export const actorOf = (request: FastifyRequest): Actor => ({
  principal: principalOf(request).id,
  source: 'api',
});

/** A resource spanning several targets is visible only when every one of them is in scope. */
export const allInScope = (principal: Principal, targets: readonly string[]): boolean =>
  targets.every((t) => inScope(principal, t));
