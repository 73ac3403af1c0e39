/**
 * Renders a draft as an annotated ai-module.yaml: every field present (defaults included) with a
 * short comment from FIELD_DOCS above it, so the file documents itself. Scalars are written by the
 * yaml library, which picks the quoting; nothing here hand-quotes a value.
 */
import { Document, isMap, isScalar } from 'yaml';
import type { Pair, YAMLMap } from 'yaml';
import { FIELD_DOCS } from '../docs.js';
import { AiModuleSchema } from '../schema.js';
import type { AiModuleInput } from '../schema.js';
import { mergeDraft } from './module-types.js';

export interface RenderOptions {
  /** Comment lines for the top of the file (e.g. what detection found). */
  header?: readonly string[];
  /** Adds the `yaml-language-server` modeline so editors validate against this schema URL. */
  schemaUrl?: string;
}

const COMMENT_WIDTH = 100;

/** Every field at its default, from the schema itself (required fields get throwaway values, then go). */
const REQUIRED = ['name', 'version', 'description', 'module_type', 'build_command', 'start_command'];
const DEFAULTS: Partial<AiModuleInput> = Object.fromEntries(
  Object.entries(
    AiModuleSchema.parse({
      name: 'x',
      version: '0.0.0',
      description: 'x',
      module_type: 'api',
      build_command: 'x',
      start_command: 'x',
    }),
  ).filter(([key]) => !REQUIRED.includes(key)),
);

const SECTION_TITLES: Readonly<Record<string, string>> = {
  name: 'What this is',
  build_command: 'How to build, test and run it',
  dependencies: 'What it needs',
  deployment_target: 'Where and how it runs',
  health_check: 'Verification and operations',
  custom_config: 'Automatos extensions and your own settings',
};

export function renderManifest(draft: AiModuleInput, opts: RenderOptions = {}): string {
  const full = mergeDraft(DEFAULTS as AiModuleInput, draft);
  // Schema order, so every rendered file reads the same way whatever order the draft was built in.
  const ordered = Object.fromEntries(
    Object.keys(AiModuleSchema.shape)
      .filter((key) => (full as Record<string, unknown>)[key] !== undefined)
      .map((key) => [key, (full as Record<string, unknown>)[key]]),
  );
  const doc = new Document(ordered);
  if (isMap(doc.contents)) annotate(doc.contents, '');

  const header = [
    ...(opts.schemaUrl === undefined ? [] : [`yaml-language-server: $schema=${opts.schemaUrl}`]),
    'ai-module.yaml: how Automatos builds, runs and verifies this app.',
    'Fields with defaults can be deleted; `automatos validate` checks this file.',
    ...(opts.header ?? []),
  ];
  doc.commentBefore = header.map((line) => ` ${line}`).join('\n');
  return doc.toString({ lineWidth: 0 });
}

/** Puts the field's doc above each key, and a section title with a blank line before groups. */
function annotate(map: YAMLMap, prefix: string): void {
  for (const pair of map.items as Pair[]) {
    if (!isScalar(pair.key)) continue;
    const path = prefix === '' ? String(pair.key.value) : `${prefix}.${String(pair.key.value)}`;
    const lines: string[] = [];
    const title = prefix === '' ? SECTION_TITLES[path] : undefined;
    if (title !== undefined) lines.push(`--- ${title} ---`);
    const doc = FIELD_DOCS[path];
    if (doc !== undefined) lines.push(...wrap(doc, COMMENT_WIDTH - prefix.split('.').length * 2));
    pair.key.commentBefore = lines.map((line) => ` ${line}`).join('\n');
    pair.key.spaceBefore = title !== undefined && pair !== map.items[0];
    if (isMap(pair.value)) annotate(pair.value, path);
  }
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    if (current !== '' && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else current = current === '' ? word : `${current} ${word}`;
  }
  if (current !== '') lines.push(current);
  return lines;
}
