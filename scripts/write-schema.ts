/**
 * `npm run schema`: regenerates schema/ai-module.schema.json from the zod schema. A test fails when
 * the shipped file differs from what this would write, so run this after changing schema.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { manifestJsonSchemaText } from '../src/manifest/json-schema.js';

const target = join(dirname(fileURLToPath(import.meta.url)), '..', 'schema', 'ai-module.schema.json');
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, manifestJsonSchemaText());
console.log(`wrote ${target}`);
