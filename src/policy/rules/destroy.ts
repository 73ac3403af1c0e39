import { hasFlag, parseOptions } from '../options.js';
import type { Finding, SimpleCommand, Word } from '../types.js';
import { findSelected } from '../find.js';
import { classify, commandName, deny, lit, type CommandRule, type RuleContext } from './context.js';
import { specialPathRule } from './special-paths.js';

/** Deleting files: rm and friends, `find -delete`, `rsync --delete`, the source side of `mv`. */

const DELETERS = new Set(['rm', 'rmdir', 'unlink', 'shred', 'srm', 'wipe']);

function judge(
  targets: readonly Word[],
  cmd: SimpleCommand,
  ctx: RuleContext,
  forceful: boolean,
  verb: string,
): Finding | undefined {
  let weaker: Finding | undefined;
  for (const target of targets) {
    const { cls, path } = classify(target, cmd, ctx, true);
    if (cls === 'system')
      return deny(
        'fs_destroy_system',
        cmd,
        `${verb} ${path}: a system path, home directory or writable root`,
      );
    if (cls === 'device') return deny('disk_destroy', cmd, `${verb} the block device ${path}`);
    if (cls === 'outside') {
      const special = specialPathRule(path);
      weaker ??= special
        ? deny(special.rule, cmd, `${verb} ${path} (${special.what})`)
        : deny('fs_destroy_outside_roots', cmd, `${verb} ${path}, outside the writable roots`);
    }
    if (cls === 'unresolved') {
      weaker ??= forceful
        ? deny('fs_destroy_unresolved', cmd, `${verb} ${path}, whose value is known only at run time`)
        : deny('unresolved_path', cmd, `${verb} ${path}, whose value is known only at run time`);
    }
  }
  return weaker;
}

export const deleters: CommandRule = (cmd, ctx) => {
  const name = commandName(cmd);
  if (DELETERS.has(name)) {
    const parsed = parseOptions(cmd.args, {
      short: name === 'shred' ? 'ns' : '',
      long: ['iterations', 'size', 'random-source'],
    });
    const forceful = hasFlag(parsed, 'r', 'R', 'f', 'u', '--recursive', '--force', '--remove');
    return judge(parsed.operands, cmd, ctx, forceful, `${name} would delete`);
  }
  if (name === 'rimraf') {
    // rimraf (also as `npx rimraf`) always deletes recursively, like `rm -rf`.
    const parsed = parseOptions(cmd.args, {});
    return judge(parsed.operands, cmd, ctx, true, 'rimraf would delete');
  }
  if (name === 'find' && cmd.args.some((a) => lit(a) === '-delete')) {
    return judge(findSelected(cmd.args), cmd, ctx, true, 'find -delete would delete');
  }
  if (name === 'rsync' && cmd.args.some((a) => lit(a)?.startsWith('--delete'))) {
    const parsed = parseOptions(cmd.args, {
      short: 'efT',
      long: ['exclude', 'include', 'filter', 'rsh', 'temp-dir'],
    });
    const dest = parsed.operands[parsed.operands.length - 1];
    if (dest && !lit(dest)?.includes(':'))
      return judge([dest], cmd, ctx, true, 'rsync --delete would delete in');
  }
  if (name === 'mv') {
    const parsed = parseOptions(cmd.args, { short: 'tS', long: ['target-directory', 'suffix'] });
    const sources =
      parsed.values.has('-t') || parsed.values.has('--target-directory')
        ? parsed.operands
        : parsed.operands.slice(0, -1);
    return judge(sources, cmd, ctx, false, 'mv would remove');
  }
  return undefined;
};

export const destroyRules: CommandRule[] = [deleters];
