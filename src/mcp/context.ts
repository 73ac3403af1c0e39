import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { Orchestrator, WorkflowEngine } from '../engine/index.js';
import type { Actor } from '../exec/index.js';
import { authorize, inScope } from '../security/index.js';
import type { Action, Principal } from '../security/index.js';
import { ToolFailure } from './result.js';

/**
 * Who is calling, decided per request: over stdio a fixed principal (the local operator); over
 * HTTP the caller maps the transport's `authInfo` (set from the API key by its auth middleware) to
 * a principal, or returns null when the request is not authenticated.
 */
export type PrincipalResolver = (authInfo: AuthInfo | undefined) => Principal | null;

export interface McpDeps {
  orch: Orchestrator;
  /** Runs the workflows `deploy` submits; it lives as long as the process, not the MCP session. */
  engine: WorkflowEngine;
  principal: Principal | PrincipalResolver;
  /** Relative source paths are taken from here. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Reported as the server's version to clients and by `health`. */
  version: string;
  /** Audit source of the `mcp.tool` records and of every command run for a tool (default 'mcp'). */
  source?: Actor['source'];
  /** Aborting it stops every workflow started through this server (as `workflows stop` would). */
  signal?: AbortSignal;
  /** Diagnostics (a background workflow that failed to run); stdio servers send it to stderr. */
  log?: (line: string) => void;
  /**
   * Called with each source (`deploy`, `plan`) and directory (`generate_manifest`) before anything
   * reads or fetches it; it throws to refuse. A remote caller must not read the orchestrator's own
   * disk unless the operator allows it, so the HTTP server passes its REST check here; over stdio
   * the caller is the operator on their own machine and none is passed.
   */
  checkSource?: (value: string, field: 'source' | 'directory') => void;
}

/** One tool call: the caller's principal and the actor every audit record of the call names. */
export class CallContext {
  readonly actor: Actor;

  constructor(
    readonly deps: McpDeps,
    readonly principal: Principal,
    readonly tool: string,
  ) {
    this.actor = { principal: principal.id, source: deps.source ?? 'mcp' };
  }

  get orch(): Orchestrator {
    return this.deps.orch;
  }

  /** RBAC for this call; a denial is audited (with the reason) and becomes a tool error. */
  async require(action: Action, targets: readonly (string | undefined)[] = [undefined]): Promise<void> {
    for (const target of targets) {
      const decision = authorize(this.principal, action, target);
      if (decision.allowed) continue;
      await this.orch.audit.append({
        ...this.actor,
        action: 'mcp.denied',
        decision: 'deny',
        rule: 'rbac',
        ...(target === undefined ? {} : { target }),
        details: { tool: this.tool, action, role: this.principal.role, reason: decision.reason },
      });
      throw new ToolFailure('AUT_FORBIDDEN', `${this.tool}: ${decision.reason}`, {
        action,
        role: this.principal.role,
        ...(target === undefined ? {} : { target }),
      });
    }
  }

  /** Whether this principal may see everything a record spans (a workflow's targets). */
  sees(targets: readonly string[]): boolean {
    return targets.every((t) => inScope(this.principal, t));
  }

  /** The `mcp.tool` record of a call that changes something, written before the change starts. */
  async audit(target: string | null, details: Record<string, unknown>): Promise<void> {
    await this.orch.audit.append({
      ...this.actor,
      action: 'mcp.tool',
      decision: 'allow',
      rule: 'rbac',
      ...(target === null ? {} : { target }),
      details: { tool: this.tool, role: this.principal.role, ...details },
    });
  }
}

export function resolvePrincipal(deps: McpDeps, authInfo: AuthInfo | undefined): Principal {
  const principal = typeof deps.principal === 'function' ? deps.principal(authInfo) : deps.principal;
  if (principal === null) {
    throw new ToolFailure('AUT_UNAUTHENTICATED', 'this request carries no valid credentials');
  }
  return principal;
}
