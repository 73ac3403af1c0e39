import { z } from 'zod';
import { AiModuleSchema } from '../manifest/index.js';
import { RequirementSchema } from './requirement.js';

/**
 * What a planner returns, whichever provider made it. Extra steps a prompt needs are expressed as
 * the manifest's `hooks` (pre_build, post_build, pre_release, post_release), so a tier-2 plan is a
 * manifest of the same schema and runs through the same plan builder as tier 1.
 */
export const PlannerOutputSchema = z.strictObject({
  module: AiModuleSchema,
  requirements: z.array(RequirementSchema).max(50),
  /** Short remarks for the operator: assumptions made, alternatives not taken. */
  notes: z.array(z.string().max(500)).max(20).default([]),
});
export type PlannerOutput = z.output<typeof PlannerOutputSchema>;
