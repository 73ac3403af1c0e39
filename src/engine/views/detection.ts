import { z } from 'zod';
import { MODULE_TYPES } from '../../manifest/index.js';

// Stack detection as `automatos detect --json` and the plan show it: candidates with their evidence.

const sourced = <T extends z.ZodType>(value: T) =>
  z.strictObject({ value, source: z.string().describe('where the value was found') });

const EvidenceSchema = z.strictObject({
  file: z.string(),
  line: z.number().int().optional(),
  detail: z.string(),
  weight: z.number().describe('negative evidence lowers the candidate’s score'),
});

const CandidateSchema = z.strictObject({
  provider: z.string(),
  language: z.enum(['node', 'python', 'go', 'ruby', 'rust', 'java', 'php', 'static', 'docker', 'shell']),
  framework: z.string().nullable(),
  packageManager: z.string().nullable(),
  versions: z.record(z.string(), sourced(z.string())),
  install: sourced(z.string()).nullable(),
  build: sourced(z.string()).nullable(),
  start: sourced(z.string()).nullable(),
  test: sourced(z.string()).nullable(),
  port: sourced(z.number().int()).nullable(),
  moduleType: sourced(z.enum(MODULE_TYPES)),
  systemDependencies: z.array(z.string()),
  confidence: z.number().min(0).max(1),
  evidence: z.array(EvidenceSchema),
});

export const DetectionViewSchema = z.strictObject({
  tier: z.union([z.literal(1), z.literal(2)]),
  manifestFile: z.string().nullable(),
  candidates: z.array(CandidateSchema).describe('best first'),
  chosen: CandidateSchema.nullable(),
  warnings: z.array(z.string()),
});
