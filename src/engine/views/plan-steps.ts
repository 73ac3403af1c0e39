import { z } from 'zod';
import { STEP_NAMES } from '../../plan/index.js';
import { CommandPolicyViewSchema } from './review.js';

// The printable plan (`planStepsToJson`): what `automatos plan --json` and POST /api/v1/plan show.

const StdinSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('tar'), from: z.string(), exclude: z.array(z.string()).readonly() }),
    z.strictObject({
      kind: z.literal('env_file'),
      variables: z.array(z.string()).readonly().describe('names only'),
      secrets: z.array(z.string()).readonly().describe('names only: values are never shown'),
    }),
    z.strictObject({ kind: z.literal('text'), content: z.string() }),
  ])
  .describe('what the command reads on stdin, described without secret content');

const PlannedCommandSchema = z.strictObject({
  command: z.string().describe('the exact text the target’s shell receives'),
  purpose: z.string(),
  cwd: z.string().optional(),
  stdin: StdinSchema.optional(),
  timeout_sec: z.number().optional(),
  sandbox: z
    .string()
    .optional()
    .describe('how a command Automatos did not build is confined on the target (or UNCONFINED and why)'),
  policy: CommandPolicyViewSchema.optional().describe('the policy verdict, when the plan was reviewed'),
});

const HealthProbeSchema = z.strictObject({
  type: z.enum(['http', 'tcp', 'command']),
  host: z.string(),
  port: z.number().int(),
  path: z.string().nullable(),
  expectStatus: z.number().int().nullable(),
  command: z.string().nullable(),
  intervalSec: z.number(),
  timeoutSec: z.number(),
  retries: z.number().int(),
  startPeriodSec: z.number(),
  via: z.enum(['local', 'ssh-forward']),
});

export const PlanStepViewSchema = z.strictObject({
  name: z.enum(STEP_NAMES),
  description: z.string(),
  commands: z.array(PlannedCommandSchema),
  probe: HealthProbeSchema.optional(),
  skipped: z.string().optional().describe('why the step does nothing'),
});

export const TargetFactsViewSchema = z.strictObject({
  name: z.string(),
  root: z.string(),
  user: z.string(),
  isRoot: z.boolean(),
  hasSystemd: z.boolean(),
  packageManager: z.enum(['apt', 'dnf', 'apk']).nullable(),
  reach: z.enum(['local', 'ssh-forward']),
  sandbox: z.enum(['bwrap', 'off']).optional(),
  shell: z.enum(['bash', 'sh']).optional(),
  protectedPaths: z.array(z.string()).readonly().optional(),
  writableRoots: z.array(z.string()).readonly().optional(),
  missingSandboxPackages: z.array(z.string()).readonly().optional(),
});

export const AppLayoutViewSchema = z.strictObject({
  appDir: z.string(),
  releasesDir: z.string(),
  releaseDir: z.string(),
  current: z.string(),
  sharedDir: z.string(),
  envFile: z.string(),
  logDir: z.string(),
  logFile: z.string(),
  runDir: z.string(),
  pidFile: z.string(),
});
