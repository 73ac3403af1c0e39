/**
 * The JSON Schema shipped as schema/ai-module.schema.json for editor completion (VS Code's YAML
 * extension: `# yaml-language-server: $schema=...`). Generated from the zod schema, input side, so
 * fields with defaults are optional exactly as they are for the parser.
 */
import { z } from 'zod';
import { FIELD_DOCS } from './docs.js';
import { EXTENSION_PREFIX } from './parse.js';
import { AiModuleSchema } from './schema.js';

export const MANIFEST_SCHEMA_ID = 'https://automatos.dev/schema/ai-module.schema.json';

type JsonObject = { [key: string]: unknown };

const isObject = (value: unknown): value is JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Adds each field's description from FIELD_DOCS, walking nested `properties`. */
function describe(schema: JsonObject, prefix: string): void {
  const properties = schema['properties'];
  if (!isObject(properties)) return;
  for (const [name, child] of Object.entries(properties)) {
    if (!isObject(child)) continue;
    const path = prefix === '' ? name : `${prefix}.${name}`;
    const doc = FIELD_DOCS[path];
    if (doc !== undefined) child['description'] = doc;
    describe(child, path);
  }
}

export function manifestJsonSchema(): JsonObject {
  const generated = z.toJSONSchema(AiModuleSchema, { io: 'input', target: 'draft-2020-12' }) as JsonObject;
  describe(generated, '');
  const { $schema, ...rest } = generated;
  // Key order is fixed here so the shipped file diffs cleanly when the schema changes.
  return {
    $schema,
    $id: MANIFEST_SCHEMA_ID,
    title: 'Automatos ai-module.yaml',
    description:
      'How Automatos builds, runs and verifies an app. Required: name, version, description, module_type, ' +
      `build_command, start_command. Top-level keys starting with "${EXTENSION_PREFIX}" are yours and ignored.`,
    ...rest,
    patternProperties: { [`^${EXTENSION_PREFIX}`]: {} },
  };
}

/** The exact text of the shipped file: two-space JSON and a final newline (what prettier keeps). */
export function manifestJsonSchemaText(): string {
  return `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`;
}
