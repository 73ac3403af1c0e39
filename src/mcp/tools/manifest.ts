import { stat } from 'node:fs/promises';
import { basename, isAbsolute, resolve } from 'node:path';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { AutomatosError } from '../../core/index.js';
import { detectRepository, directoryView, manifestFromDetection, toDnsLabel } from '../../detect/index.js';
import type { DetectionResult } from '../../detect/index.js';
import {
  formatIssue,
  formatResult,
  MODULE_TYPES,
  parseManifest,
  renderManifest,
  templateFor,
} from '../../manifest/index.js';
import type { AiModuleInput, ManifestIssue, ModuleType } from '../../manifest/index.js';
import type { McpDeps } from '../context.js';
import { ok, ToolFailure } from '../result.js';
import { defineTool } from '../tool.js';

/** A manifest is a small file; this bounds what one call makes the server parse. */
const MAX_MANIFEST_CHARS = 1_000_000;

const issueJson = (issue: ManifestIssue) => ({
  path: issue.path,
  line: issue.line,
  column: issue.column,
  code: issue.code,
  message: issue.message,
});

async function directoryOf(deps: McpDeps, path: string): Promise<string> {
  const dir = isAbsolute(path) ? path : resolve(deps.cwd, path);
  const info = await stat(dir).catch(() => null);
  if (info === null || !info.isDirectory()) {
    throw new AutomatosError('AUT_IO', `${path} is not a directory on the orchestrator`, {
      details: { directory: path },
    });
  }
  return dir;
}

/** As `automatos init` builds it: detected values over the module type's commented template. */
function draftFor(dir: string, detection: DetectionResult, type: ModuleType | undefined): AiModuleInput {
  const dirName = basename(dir);
  if (detection.chosen === null) {
    if (type !== undefined) return templateFor(type, { name: toDnsLabel(dirName) });
    throw new AutomatosError(
      'AUT_DETECT_NONE',
      `no known stack found in ${dir}; pass module_type (${MODULE_TYPES.join(', ')}) to start from a template`,
    );
  }
  const detected = manifestFromDetection(detection, { dirName, view: directoryView(dir) });
  const moduleType = type ?? detected.module_type;
  return templateFor(moduleType, { ...detected, module_type: moduleType });
}

export function registerManifestTools(server: McpServer, deps: McpDeps): void {
  defineTool(server, deps, {
    name: 'validate_manifest',
    title: 'Validate an ai-module.yaml',
    description:
      'Validate ai-module.yaml text. Returns every problem at once, each with line, column, field path, ' +
      'code and message, plus warnings and the normalized manifest (all defaults filled in) when valid.',
    input: {
      yaml: z.string().max(MAX_MANIFEST_CHARS).describe('the full text of the manifest'),
      file: z
        .string()
        .min(1)
        .max(255)
        .default('ai-module.yaml')
        .describe('the file name to use in FILE:LINE:COL messages'),
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
    run: async ({ yaml, file }, call) => {
      await call.require('read');
      const result = parseManifest(yaml, file);
      const m = result.value;
      const valid = m !== null;
      const lines = [
        ...result.errors.map((issue) => formatIssue(file, issue)),
        ...result.warnings.map((issue) => formatIssue(file, issue, 'warning')),
      ];
      const summary =
        m !== null
          ? `${file}: valid — ${m.name} ${m.version}, ${m.module_type}, port ${m.port}`
          : `${file}: ${result.errors.length} error${result.errors.length === 1 ? '' : 's'}`;
      return ok([...lines, summary].join('\n'), {
        valid,
        file,
        errors: result.errors.map(issueJson),
        warnings: result.warnings.map(issueJson),
        module: result.value,
      });
    },
  });

  defineTool(server, deps, {
    name: 'generate_manifest',
    title: 'Generate an ai-module.yaml',
    description:
      'Write the text of an ai-module.yaml (it is returned, not saved): from stack detection of a directory ' +
      'on the orchestrator (as `automatos init` does), or from the commented template of a module type, or ' +
      'both (the type picks the template). Every field is present with a comment; review the commands.',
    input: {
      directory: z
        .string()
        .min(1)
        .max(4096)
        .optional()
        .describe(
          'a directory on the orchestrator to detect the stack of (absolute, or relative to its cwd)',
        ),
      module_type: z.enum(MODULE_TYPES).optional().describe('the module type whose template to start from'),
      name: z
        .string()
        .max(63)
        .optional()
        .describe('the app name when there is no directory (made DNS-label safe)'),
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
    run: async ({ directory, module_type: type, name }, call) => {
      await call.require('read');
      if (directory === undefined && type === undefined) {
        throw new ToolFailure('AUT_INVALID_INPUT', 'give a directory, a module_type, or both');
      }
      let draft: AiModuleInput;
      let detection: DetectionResult | null = null;
      if (directory === undefined) {
        draft = templateFor(type as ModuleType, { name: toDnsLabel(name ?? 'my-app') });
      } else {
        call.deps.checkSource?.(directory, 'directory');
        const dir = await directoryOf(call.deps, directory);
        detection = await detectRepository(directoryView(dir));
        draft = draftFor(dir, detection, type);
      }
      const chosen = detection?.chosen ?? null;
      const header = [
        'ai-module.yaml — generated by automatos (MCP generate_manifest).',
        chosen === null
          ? "No stack was detected: the commands below are the template's examples. Replace them."
          : `Detected: ${[chosen.language, chosen.framework].filter(Boolean).join('/')} ` +
            `(confidence ${chosen.confidence.toFixed(2)}). Review every command before deploying.`,
      ];
      const yaml = renderManifest(draft, { header });
      // What we hand out must validate: one that does not is our bug, not the caller's.
      const check = parseManifest(yaml, 'ai-module.yaml');
      if (check.value === null) {
        throw new AutomatosError(
          'AUT_INTERNAL',
          `generated manifest does not validate:\n${formatResult('ai-module.yaml', check).join('\n')}`,
        );
      }
      const m = check.value;
      return ok(yaml, {
        yaml,
        module: m,
        tier: detection?.tier ?? null,
        detected:
          chosen === null
            ? null
            : {
                language: chosen.language,
                framework: chosen.framework ?? null,
                confidence: chosen.confidence,
              },
      });
    },
  });
}
