import { hasFlag, optionValues, parseOptions } from './options.js';
import { normalize, resolvePath } from './paths.js';
import type { Link, SimpleCommand, Word } from './types.js';

/**
 * Links made earlier in the same command string: the filesystem keeps them across subshells, so
 * `ln -s / /tmp/l; rm -rf /tmp/l/*` is judged as `rm -rf /*`.
 */

/** A link name that cannot exist (`ln -s / dir` would name it after `/`). */
const SKIP = '\u0000skip';

/** `ln [-s] TARGET LINK`, `cp -s`, and `mv` of a known link: later paths through LINK lead to TARGET. */
export function linksMade(
  cmd: SimpleCommand,
  name: string,
  existing: readonly Link[],
  cwd: string | null,
  home: string,
): Link[] {
  if (name !== 'ln' && name !== 'cp' && name !== 'mv') return [];
  const made: Link[] = [];
  const parsed = parseOptions(cmd.args, { short: 'tS', long: ['target-directory', 'suffix'] });
  const symbolic = hasFlag(parsed, 's', '--symbolic', '--symbolic-link');
  if (name === 'cp' && !symbolic) return [];
  const ops = parsed.operands;
  const last = ops[ops.length - 1];
  const dir = optionValues(parsed, '-t', '--target-directory')[0];
  const noDeref = hasFlag(parsed, 'n', 'T', '--no-dereference', '--no-target-directory');
  const at = (word: Word): string | undefined => resolvePath(word, cwd, home);
  const inside = (folder: string | undefined | null, source: Word): string | undefined => {
    const base = 'literal' in source ? source.literal.replace(/\/+$/, '').split('/').pop() : undefined;
    if (base === '' || base === '.' || base === '..') return SKIP;
    return folder == null || base === undefined ? undefined : normalize(`${folder}/${base}`);
  };
  const entries: { source: Word; link: string | undefined }[] = [];
  if (dir) for (const op of ops) entries.push({ source: op, link: inside(at(dir), op) });
  else if (ops.length === 1 && last) entries.push({ source: last, link: inside(cwd, last) });
  else if (ops.length === 2 && ops[0] && last) {
    entries.push({ source: ops[0], link: at(last) });
    // LINK may be an existing directory: the link is then made inside it.
    if (!noDeref) entries.push({ source: ops[0], link: inside(at(last), ops[0]) });
  } else if (last)
    for (const op of ops.slice(0, -1)) entries.push({ source: op, link: inside(at(last), op) });
  for (const { source, link } of entries) {
    if (link === SKIP) continue;
    let target: string | null;
    if (name === 'mv') {
      const from = at(source);
      const known = from === undefined ? undefined : [...existing, ...made].find((l) => l.link === from);
      if (!known) continue;
      target = known.target;
    } else if (!('literal' in source)) target = null;
    else if (symbolic && !source.tilde && !source.literal.startsWith('/')) {
      // A relative symlink target is read from the link's own directory.
      target = link === undefined ? null : normalize(`${link}/../${source.literal}`);
    } else target = at(source) ?? null;
    made.push({ link: link ?? null, target });
  }
  return made;
}
