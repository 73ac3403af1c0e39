import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { manifestJsonSchema, manifestJsonSchemaText } from '../../src/manifest/index.js';
import { FIELD_DOCS } from '../../src/manifest/docs.js';

const shipped = join(import.meta.dirname, '..', '..', 'schema', 'ai-module.schema.json');

describe('JSON Schema', () => {
  it('the shipped file equals the generated one (run `npm run schema` after changing schema.ts)', () => {
    expect(readFileSync(shipped, 'utf8')).toBe(manifestJsonSchemaText());
  });

  it('has an id, a title, x- keys allowed and defaults optional', () => {
    const schema = manifestJsonSchema();
    expect(schema['$id']).toMatch(/ai-module\.schema\.json$/);
    expect(schema['title']).toBeTypeOf('string');
    expect(schema['patternProperties']).toEqual({ '^x-': {} });
    expect(schema['additionalProperties']).toBe(false);
    expect(schema['required']).toEqual([
      'name',
      'version',
      'description',
      'module_type',
      'build_command',
      'start_command',
    ]);
  });

  it('describes every field, and every documented field exists', () => {
    const described: string[] = [];
    const walk = (node: Record<string, unknown>, prefix: string) => {
      const props = node['properties'] as Record<string, Record<string, unknown>> | undefined;
      for (const [name, child] of Object.entries(props ?? {})) {
        const path = prefix === '' ? name : `${prefix}.${name}`;
        expect(child['description'], path).toBeTypeOf('string');
        described.push(path);
        walk(child, path);
      }
    };
    walk(manifestJsonSchema(), '');
    expect(described.sort()).toEqual(Object.keys(FIELD_DOCS).sort());
  });
});
