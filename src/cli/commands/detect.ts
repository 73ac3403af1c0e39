import { detectRepository, directoryView } from '../../detect/index.js';
import type { CommandContext } from '../context.js';
import { formatDetection } from '../format/detection.js';
import { printJson } from '../io.js';
import { displayPath, resolveFrom } from '../paths.js';
import { requireDirectory } from './require-directory.js';

export async function detectCommand(
  ctx: CommandContext,
  dir: string | undefined,
  opts: { json?: boolean },
): Promise<number> {
  const root = await requireDirectory(resolveFrom(ctx.io, dir));
  const result = await detectRepository(directoryView(root));
  if (opts.json === true) printJson(ctx.io, result);
  else ctx.io.out(formatDetection(result, displayPath(ctx.io, root)));
  return 0;
}
