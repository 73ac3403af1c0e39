import { z } from 'zod';
import { AiModuleOutputSchema, MODULE_TYPES } from '../../manifest/index.js';
import { PROFILES } from '../../policy/index.js';

const FindingSchema = z.strictObject({
  allowed: z.boolean(),
  rule: z.string(),
  reason: z.string(),
  risk: z.number().int().min(0).max(100),
  command: z.string(),
});

export const PolicyCheckResultSchema = z.strictObject({
  allowed: z.boolean(),
  decision: z.enum(['allow', 'deny']),
  profile: z.enum(PROFILES),
  rule: z.string().describe('the rule that decided'),
  reason: z.string(),
  risk: z.number().int().min(0).max(100),
  command: z.string().describe('the offending simple command; empty when allowed'),
  commands: z
    .array(
      z.strictObject({
        text: z.string(),
        name: z.string(),
        args: z.array(z.string()),
        depth: z.number().int().describe('how many times a string was parsed again to reach it (bash -c…)'),
        via: z.array(z.string()).describe('wrappers unwrapped to reach it, outermost first'),
      }),
    )
    .describe('every simple command seen, after unwrapping'),
  would_deny: FindingSchema.optional().describe('audit profile: the denial standard rules would apply'),
});

const IssueSchema = z.strictObject({
  path: z.string().describe('dotted field path; empty for the whole document'),
  line: z.number().int().min(1),
  column: z.number().int().min(1),
  code: z.string(),
  message: z.string(),
});

export const ManifestValidationSchema = z.strictObject({
  valid: z.boolean(),
  errors: z.array(IssueSchema),
  warnings: z.array(IssueSchema),
  module: AiModuleOutputSchema.nullable().describe('the normalized manifest, or null when invalid'),
});

export const TemplateSchema = z.strictObject({
  module_type: z.enum(MODULE_TYPES),
  yaml: z.string().describe('a commented ai-module.yaml'),
});
