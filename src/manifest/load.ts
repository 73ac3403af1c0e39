/**
 * Finding and reading ai-module.yaml. The only file I/O of this module; parsing stays pure so the
 * API, MCP and tests can validate text they already hold.
 */
import { readFile, stat } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AutomatosError } from '../core/index.js';
import type { ManifestIssue, ManifestResult } from './issues.js';
import { parseManifest } from './parse.js';

/** Looked up in this order; the original system used .yaml, .yml is accepted as well. */
export const MANIFEST_FILE_NAMES = ['ai-module.yaml', 'ai-module.yml'] as const;

/** Bigger than any real manifest by far; refusing early keeps a mistaken path from eating memory. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The manifest in `dir` (ai-module.yaml first, then ai-module.yml), or null when there is none. */
export function findManifestFile(dir: string): string | null {
  for (const name of MANIFEST_FILE_NAMES) {
    const candidate = join(dir, name);
    if (isFile(candidate)) return candidate;
  }
  return null;
}

const issue = (code: ManifestIssue['code'], message: string): ManifestIssue => ({
  code,
  path: '',
  line: 1,
  column: 1,
  message,
});

/**
 * Reads and parses a manifest given as a file or as the directory holding it. Invalid content is
 * returned as errors; only "there is no manifest" and "cannot read it" throw.
 */
export async function loadManifest(fileOrDir: string): Promise<{ file: string } & ManifestResult> {
  const info = await stat(fileOrDir).catch((cause: unknown) => {
    if (isNotFound(cause)) {
      throw new AutomatosError('AUT_MANIFEST_NOT_FOUND', `${fileOrDir} does not exist`, {
        details: { path: fileOrDir },
        cause,
      });
    }
    throw new AutomatosError('AUT_IO', `cannot read ${fileOrDir}: ${reason(cause)}`, {
      details: { path: fileOrDir },
      cause,
    });
  });
  const extraWarnings: ManifestIssue[] = [];
  let file = fileOrDir;
  if (info.isDirectory()) {
    const found = findManifestFile(fileOrDir);
    if (found === null) {
      throw new AutomatosError(
        'AUT_MANIFEST_NOT_FOUND',
        `no ${MANIFEST_FILE_NAMES.join(' or ')} in ${fileOrDir}; write one with \`automatos init\``,
        { details: { dir: fileOrDir, tried: [...MANIFEST_FILE_NAMES] } },
      );
    }
    file = found;
    if (MANIFEST_FILE_NAMES.every((name) => existsSync(join(fileOrDir, name)))) {
      extraWarnings.push(
        issue(
          'ambiguous_manifest_file',
          `both ai-module.yaml and ai-module.yml exist; using ai-module.yaml, delete the other one`,
        ),
      );
    }
  }

  const { size } = await stat(file).catch(() => ({ size: 0 }));
  if (size > MAX_MANIFEST_BYTES) {
    return {
      file,
      value: null,
      errors: [
        issue(
          'file_too_large',
          `the file is ${size} bytes; a manifest must be under ${MAX_MANIFEST_BYTES} bytes`,
        ),
      ],
      warnings: extraWarnings,
    };
  }
  const bytes = await readFile(file).catch((cause: unknown) => {
    throw new AutomatosError('AUT_IO', `cannot read ${file}: ${reason(cause)}`, {
      details: { path: file },
      cause,
    });
  });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return {
      file,
      value: null,
      errors: [issue('not_text', 'the file is not valid UTF-8 text; save it as UTF-8')],
      warnings: extraWarnings,
    };
  }
  const result = parseManifest(text, file);
  return { file, ...result, warnings: [...extraWarnings, ...result.warnings] };
}

function isNotFound(cause: unknown): boolean {
  const code = (cause as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** The OS reason without the stack: "permission denied", "is a directory". */
function reason(cause: unknown): string {
  const code = (cause as { code?: unknown } | null)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return cause instanceof Error ? cause.message : String(cause);
}
