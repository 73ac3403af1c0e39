import { z } from 'zod';
import { RunResultViewSchema } from '../../engine/index.js';
import { PROFILES } from '../../policy/index.js';

export const HealthSchema = z.strictObject({ status: z.literal('ok'), version: z.string() });

export const ReadySchema = z.strictObject({
  status: z.literal('ready'),
  database: z.enum(['sqlite', 'postgres']),
  queue: z
    .strictObject({ queued: z.number().int().min(0), running: z.number().int().min(0) })
    .describe('this process’s queue'),
});

export const ExecuteResultSchema = RunResultViewSchema.extend({
  target: z.string(),
  profile: z.enum(PROFILES).describe('the policy profile the command was checked under'),
});
