import { z } from 'zod';
import { MAX_PROMPT_CHARS } from '../engine/index.js';
import { DNS_LABEL } from '../manifest/index.js';

/** Input pieces several tools share; each carries the description the assistant reads. */
export const targetName = z
  .string()
  .max(63)
  .regex(DNS_LABEL, 'must be a target name (lowercase letters, digits and "-")')
  .describe('a target name: "local" (the orchestrator\'s own machine) or a registered SSH target');

export const appName = z
  .string()
  .max(63)
  .regex(DNS_LABEL, 'must be an app name (lowercase letters, digits and "-")')
  .describe("the app name (the manifest's `name`)");

export const workflowId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be a workflow id')
  .describe('a workflow id, as `deploy` or `list_workflows` return it');

export const source = z
  .string()
  .min(1)
  .max(2048)
  .describe(
    'what to deploy: an absolute directory path on the orchestrator, or a git URL (https, ssh, scp-like, file)',
  );

export const gitRef = z
  .string()
  .min(1)
  .max(255)
  .describe('branch, tag or commit to check out (git URLs only)');

export const port = z
  .number()
  .int()
  .min(1)
  .max(65_535)
  .describe("run on this port instead of the manifest's (or detection's)");

export const taskPrompt = z
  .string()
  .min(1)
  .max(MAX_PROMPT_CHARS)
  .describe(
    'tier 2, for a repository without ai-module.yaml: what to deploy and how, in words ("a Flask API on port ' +
      '5000 with logging"). The configured planner writes the manifest and marks every wish met or unmet; a ' +
      'plan with unmet wishes or high-risk commands waits for an operator to approve it.',
  );
