import { z } from 'zod';
import { LOG_STREAMS, type LogChunk } from '../../store/index.js';
import { TimestampSchema } from './time.js';

/** One stored log chunk (or a published log event, which carries the same fields). */
export const LogChunkViewSchema = z.strictObject({
  seq: z.number().int().min(1).describe('1, 2, 3 … per workflow: what a stream resumes after'),
  target: z.string().nullable(),
  step: z.string().nullable(),
  stream: z.enum(LOG_STREAMS),
  at: TimestampSchema,
  text: z.string().describe('secrets redacted'),
});
export type LogChunkView = z.infer<typeof LogChunkViewSchema>;

export const logChunkView = (
  c: Pick<LogChunk, 'seq' | 'target' | 'step' | 'stream' | 'at' | 'text'>,
): LogChunkView => ({
  seq: c.seq,
  target: c.target,
  step: c.step,
  stream: c.stream,
  at: c.at,
  text: c.text,
});
