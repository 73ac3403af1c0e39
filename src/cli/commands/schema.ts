import { manifestJsonSchema } from '../../manifest/index.js';
import type { CommandContext } from '../context.js';
import { printJson } from '../io.js';

export async function schemaCommand(ctx: CommandContext): Promise<number> {
  printJson(ctx.io, manifestJsonSchema());
  return 0;
}
