/**
 * Reads the zod schema itself to say what a field expects ("an integer between 1 and 86400"), so
 * messages follow the schema when it changes instead of a hand-kept copy of its ranges.
 */
import { z } from 'zod';
import { AiModuleSchema } from './schema.js';

type Schema = z.ZodType;

/** Strips defaults, optionality and transforms down to the type the user actually writes. */
export function unwrap(schema: Schema): Schema {
  let current: Schema = schema;
  for (let depth = 0; depth < 10; depth++) {
    if (
      current instanceof z.ZodDefault ||
      current instanceof z.ZodPrefault ||
      current instanceof z.ZodOptional ||
      current instanceof z.ZodNullable
    ) {
      current = current.unwrap() as Schema;
    } else if (current instanceof z.ZodPipe) {
      current = current.in as Schema;
    } else break;
  }
  return current;
}

/** The schema at a validation path, or null past the end of what the schema describes. */
export function schemaAt(path: readonly PropertyKey[], root: Schema = AiModuleSchema): Schema | null {
  let current: Schema = root;
  for (const step of path) {
    const inner = unwrap(current);
    if (inner instanceof z.ZodObject) {
      const next = (inner.shape as Record<string, Schema>)[String(step)];
      if (next === undefined) return null;
      current = next;
    } else if (inner instanceof z.ZodRecord) {
      current = inner.valueType as Schema;
    } else if (inner instanceof z.ZodArray) {
      current = inner.element as Schema;
    } else return null;
  }
  return current;
}

/** The field names a mapping at `path` accepts, for "did you mean" and "allowed fields are". */
export function fieldsAt(path: readonly PropertyKey[]): string[] {
  const schema = schemaAt(path);
  const inner = schema === null ? null : unwrap(schema);
  return inner instanceof z.ZodObject ? Object.keys(inner.shape) : [];
}

/** Whether leaving the field out is fine (it has a default or is optional). */
export function hasDefault(schema: Schema): boolean {
  return schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault || schema instanceof z.ZodOptional;
}

/** "an integer between 1 and 86400", "true or false", "one of: a, b, c", "a list of strings"… */
export function describeExpected(schema: Schema | null): string {
  if (schema === null) return 'a valid value';
  const inner = unwrap(schema);
  if (inner instanceof z.ZodNumber) {
    const kind = inner.isInt ? 'an integer' : 'a number';
    const { minValue: min, maxValue: max } = inner;
    if (min !== null && max !== null && Number.isFinite(min) && Number.isFinite(max)) {
      return `${kind} between ${min} and ${max}`;
    }
    return kind;
  }
  if (inner instanceof z.ZodString) return 'a string';
  if (inner instanceof z.ZodBoolean) return 'true or false';
  if (inner instanceof z.ZodEnum) return `one of: ${inner.options.join(', ')}`;
  if (inner instanceof z.ZodArray) return `a list of ${plural(describeExpected(inner.element as Schema))}`;
  if (inner instanceof z.ZodRecord) return 'a mapping of NAME: value pairs';
  if (inner instanceof z.ZodObject)
    return `a mapping with fields such as ${Object.keys(inner.shape).slice(0, 3).join(', ')}`;
  if (inner instanceof z.ZodUnion) return 'a string, number or true/false';
  return 'a valid value';
}

function plural(expected: string): string {
  if (expected === 'a string') return 'strings';
  return expected.replace(/^an? /, '') + ' values';
}
