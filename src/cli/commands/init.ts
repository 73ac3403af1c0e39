import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { AutomatosError } from '../../core/index.js';
import { detectRepository, directoryView, manifestFromDetection, toDnsLabel } from '../../detect/index.js';
import type { DetectionResult } from '../../detect/index.js';
import {
  MODULE_TYPES,
  findManifestFile,
  formatResult,
  parseManifest,
  renderManifest,
  templateFor,
} from '../../manifest/index.js';
import type { AiModuleInput, ModuleType } from '../../manifest/index.js';
import { planDirectoryFromPrompt } from '../../engine/index.js';
import type { PromptPlan } from '../../engine/index.js';
import type { CommandContext } from '../context.js';
import { displayPath, resolveFrom } from '../paths.js';
import { requireDirectory } from './require-directory.js';

interface InitOptions {
  type?: string;
  force?: boolean;
  prompt?: string;
}

/** Detected values win over the template's; `--type` picks the template and the module type. */
function draftFor(root: string, detection: DetectionResult, type: ModuleType | undefined): AiModuleInput {
  const dirName = basename(root);
  if (detection.chosen === null) {
    if (type !== undefined) return templateFor(type, { name: toDnsLabel(dirName) });
    throw new AutomatosError(
      'AUT_DETECT_NONE',
      `no known stack found in ${root}; pick a template with --type (${MODULE_TYPES.join(', ')}) and edit its commands`,
    );
  }
  const detected = manifestFromDetection(detection, { dirName, view: directoryView(root) });
  const moduleType = type ?? detected.module_type;
  return templateFor(moduleType, { ...detected, module_type: moduleType });
}

function header(detection: DetectionResult): string[] {
  const chosen = detection.chosen;
  const from =
    chosen === null
      ? "No stack was detected: the commands below are the template's examples. Replace them."
      : `Detected: ${[chosen.language, chosen.framework].filter(Boolean).join('/')} ` +
        `(confidence ${chosen.confidence.toFixed(2)}). Review every command before deploying.`;
  return ['ai-module.yaml — written by `automatos init`.', from, 'Check it with `automatos validate`.'];
}

/** The header of a manifest a planner wrote: the prompt, and what became of each requirement. */
function promptHeader(prompted: PromptPlan): string[] {
  // A comment line must stay one line, whatever the planner wrote.
  const one = (text: string): string => text.replace(/\s+/g, ' ');
  const by = `${prompted.provider}${prompted.model === null ? '' : ` (${prompted.model})`}`;
  return [
    `ai-module.yaml — written by \`automatos init --prompt\`, planned by ${by} from:`,
    `  "${one(prompted.prompt)}"`,
    ...(prompted.requirements.length === 0 ? [] : ['Requirements of the prompt:']),
    ...prompted.requirements.map((r) =>
      r.status === 'met'
        ? `  met    ${one(r.text)}: ${one(r.how)}`
        : `  UNMET  ${one(r.text)}: ${one(r.why)}`,
    ),
    ...prompted.notes.map((note) => `Note: ${one(note)}`),
    'Review every command before deploying. Check it with `automatos validate`.',
  ];
}

export async function initCommand(
  ctx: CommandContext,
  dir: string | undefined,
  opts: InitOptions,
): Promise<number> {
  const root = await requireDirectory(resolveFrom(ctx.io, dir));
  const existing = findManifestFile(root);
  if (existing !== null && opts.force !== true) {
    throw new AutomatosError(
      'AUT_INIT_EXISTS',
      `${displayPath(ctx.io, existing)} already exists; pass --force to overwrite it`,
    );
  }
  let text: string;
  if (opts.prompt === undefined) {
    const detection = await detectRepository(directoryView(root));
    const draft = draftFor(root, detection, opts.type as ModuleType | undefined);
    text = renderManifest(draft, { header: header(detection) });
  } else {
    const { module, prompted } = await planDirectoryFromPrompt(root, opts.prompt, {
      dataDir: ctx.dataDir,
      env: ctx.io.env,
    });
    // --type still picks the module type; the planner's fields are kept.
    const draft: AiModuleInput =
      opts.type === undefined ? module : { ...module, module_type: opts.type as ModuleType };
    text = renderManifest(draft, { header: promptHeader(prompted) });
  }
  const file = existing ?? join(root, 'ai-module.yaml');
  // What we write must validate: a generated file that does not is our bug, not the user's.
  const check = parseManifest(text, file);
  if (check.value === null) {
    throw new AutomatosError(
      'AUT_INTERNAL',
      `generated manifest does not validate:\n${formatResult(file, check).join('\n')}`,
    );
  }
  await writeFile(file, text, { mode: 0o644 });
  const m = check.value;
  ctx.io.out(
    `wrote ${displayPath(ctx.io, file)}: ${m.name} (${m.module_type}), port ${m.port}\n` +
      `  build: ${m.build_command}\n  start: ${m.start_command}\n` +
      `review it, then run: automatos plan ${displayPath(ctx.io, root)}\n`,
  );
  return 0;
}
