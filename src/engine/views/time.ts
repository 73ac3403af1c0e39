import { z } from 'zod';

/** Every stored time is `Date#toISOString` output: UTC with milliseconds. */
export const TimestampSchema = z.iso.datetime().describe('ISO-8601 UTC, e.g. 2026-01-31T12:00:00.000Z');
