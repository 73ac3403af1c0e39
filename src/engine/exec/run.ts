import { AutomatosError } from '../../core/index.js';
import type { Actor, RunResult } from '../../exec/index.js';
import { execSandbox } from '../../plan/index.js';
import { DEFAULT_WRITABLE_ROOTS, type Profile } from '../../policy/index.js';
import { createRedactor, type Redactor } from '../../security/index.js';
import { redactingStream } from '../deploy/redacting-stream.js';
import type { Orchestrator } from '../orchestrator.js';
import { inputProblem, invalidInput, visibleControls, type InputProblem } from './input.js';
import { targetSecretValues } from './target-secrets.js';

/** One command for `automatos exec`, `POST /execute` and MCP `execute`. */
export interface ExecRequest {
  target: string;
  command: string;
  /** Relative paths in the command are judged against it. */
  cwd: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  tailBytes?: number;
  signal?: AbortSignal;
  /** A policy profile that may only tighten the target's (strict > standard > audit). */
  profile?: Profile;
  /** Output as it comes, redacted: whole lines, so a secret split between two chunks is still caught. */
  onStdout?: (text: string) => void;
  onStderr?: (text: string) => void;
  actor: Actor;
}

export interface ExecOutcome {
  target: string;
  /** The profile the command was checked under. */
  profile: Profile;
  /** The command as recorded: the target's secrets and credential shapes redacted. */
  command: string;
  /** Exit, timing and tails; the tails redacted like the command. */
  result: RunResult;
}

const STRENGTH: Record<Profile, number> = { audit: 0, standard: 1, strict: 2 };

/**
 * Runs one command through the guard, the one way every front end does it: input with control
 * bytes is refused (and recorded) before anything runs; the secrets of every app deployed on the
 * target are what the recorded command, the output tails and the streamed output are redacted of.
 */
export async function runExec(orch: Orchestrator, request: ExecRequest): Promise<ExecOutcome> {
  const problem = inputProblem(request);
  if (problem !== null) await refuse(orch, request, problem);
  const target = await orch.target(request.target);
  const profile = request.profile ?? target.profile;
  if (STRENGTH[profile] < STRENGTH[target.profile]) {
    throw new AutomatosError(
      'AUT_POLICY_DENIED',
      `security_level ${profile} is looser than target ${request.target}'s profile ${target.profile}; it may only tighten it`,
      { details: { target: request.target, profile: target.profile, security_level: profile } },
    );
  }
  const secrets = await targetSecretValues(orch, request.target);
  const shown = createRedactor(secrets);
  const stdout = streamOf(shown, request.onStdout);
  const stderr = streamOf(shown, request.onStderr);
  try {
    const result = await orch.guard.run(
      { ...target, profile },
      request.command,
      {
        cwd: request.cwd,
        secrets,
        sandbox: execSandbox(target.writableRoots ?? DEFAULT_WRITABLE_ROOTS),
        ...(request.env === undefined ? {} : { env: request.env }),
        ...(request.timeoutMs === undefined ? {} : { timeoutMs: request.timeoutMs }),
        ...(request.tailBytes === undefined ? {} : { tailBytes: request.tailBytes }),
        ...(request.signal === undefined ? {} : { signal: request.signal }),
        ...(stdout === undefined ? {} : { onStdout: stdout.write }),
        ...(stderr === undefined ? {} : { onStderr: stderr.write }),
      },
      request.actor,
    );
    return { target: request.target, profile, command: shown(request.command), result };
  } finally {
    stdout?.end();
    stderr?.end();
  }
}

function streamOf(
  shown: Redactor,
  emit: ((text: string) => void) | undefined,
): ReturnType<typeof redactingStream> | undefined {
  return emit === undefined ? undefined : redactingStream(shown, emit);
}

/** The refusal is recorded (the command redacted and its control bytes made visible), then thrown. */
async function refuse(orch: Orchestrator, request: ExecRequest, problem: InputProblem): Promise<never> {
  const shown = createRedactor(await targetSecretValues(orch, request.target));
  await orch.audit.append({
    principal: request.actor.principal,
    source: request.actor.source,
    action: 'exec',
    target: visibleControls(request.target) || null,
    command: shown(visibleControls(request.command)),
    decision: 'deny',
    rule: 'invalid_input',
    risk: 80,
    details: { cwd: shown(visibleControls(request.cwd)), ...problem.details },
    ...(request.actor.workflowId === undefined ? {} : { workflowId: request.actor.workflowId }),
  });
  throw invalidInput(problem);
}
