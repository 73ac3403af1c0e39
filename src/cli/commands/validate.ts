import { formatIssue, loadManifest } from '../../manifest/index.js';
import type { ManifestIssue } from '../../manifest/index.js';
import type { CommandContext } from '../context.js';
import { printJson } from '../io.js';
import { displayPath, resolveFrom } from '../paths.js';

const issueJson = (issue: ManifestIssue) => ({
  path: issue.path,
  line: issue.line,
  column: issue.column,
  code: issue.code,
  message: issue.message,
});

export async function validateCommand(
  ctx: CommandContext,
  path: string | undefined,
  opts: { json?: boolean },
): Promise<number> {
  const { io } = ctx;
  const loaded = await loadManifest(resolveFrom(io, path));
  const file = displayPath(io, loaded.file);
  const valid = loaded.value !== null;
  if (opts.json === true) {
    printJson(io, {
      valid,
      file,
      errors: loaded.errors.map(issueJson),
      warnings: loaded.warnings.map(issueJson),
      module: loaded.value,
    });
    return valid ? 0 : 1;
  }
  for (const issue of loaded.errors) io.out(`${formatIssue(file, issue)}\n`);
  for (const issue of loaded.warnings) io.out(`${formatIssue(file, issue, 'warning')}\n`);
  if (valid && loaded.value !== null) {
    const m = loaded.value;
    io.out(`${file}: valid — ${m.name} ${m.version}, ${m.module_type}, port ${m.port}\n`);
    return 0;
  }
  const n = loaded.errors.length;
  io.out(`${file}: ${n} error${n === 1 ? '' : 's'}\n`);
  return 1;
}
