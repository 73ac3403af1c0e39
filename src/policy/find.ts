import type { Word } from './types.js';

/**
 * `find ROOTS… EXPR`: which roots it walks, which argv each `-exec` runs, and what a `-delete` or
 * `-exec … {}` acts on. A `-name` test narrows that to matching names, so `find /tmp -name 'x*'
 * -delete` removes some files in /tmp rather than /tmp's whole contents.
 */

function literal(word: Word | undefined): string | undefined {
  return word && 'literal' in word ? word.literal : undefined;
}

/** `find ROOTS… EXPR`: the roots (default `.`) and each `-exec`/`-execdir`/`-ok` argv. */
export function findParts(args: readonly Word[]): { roots: Word[]; execs: Word[][] } {
  let i = 0;
  while (i < args.length) {
    const text = literal(args[i]);
    if (text === undefined || !/^-[HLP]$|^-O\d$|^-D$/.test(text)) break;
    i += text === '-D' ? 2 : 1;
  }
  const roots: Word[] = [];
  while (i < args.length) {
    const word = args[i];
    const text = literal(word);
    if (!word || (text !== undefined && (text.startsWith('-') || text === '(' || text === '!'))) break;
    roots.push(word);
    i += 1;
  }
  const execs: Word[][] = [];
  for (; i < args.length; i += 1) {
    const text = literal(args[i]);
    if (text !== '-exec' && text !== '-execdir' && text !== '-ok' && text !== '-okdir') continue;
    const argv: Word[] = [];
    for (i += 1; i < args.length; i += 1) {
      const word = args[i];
      const t = literal(word);
      if (!word || t === ';' || (t === '+' && literal(argv[argv.length - 1]) === '{}')) break;
      argv.push(word);
    }
    if (argv.length) execs.push(argv);
  }
  return { roots: roots.length ? roots : [{ literal: '.' }], execs };
}

/** Operators after which a test no longer limits what the following actions see. */
const BROADENING = new Set(['-o', '-or', ',', '!', '-not']);

/**
 * What find's actions act on under each root: `ROOT/PATTERN` (a glob) when a `-name`/`-iname`
 * test precedes the first action and nothing in the expression can broaden it, else `ROOT/*`.
 */
export function findSelected(args: readonly Word[]): Word[] {
  const { roots } = findParts(args);
  const texts = args.map(literal);
  const action = texts.findIndex(
    (t) => t === '-delete' || (t !== undefined && /^-(exec|execdir|ok|okdir)$/.test(t)),
  );
  const before = action === -1 ? texts : texts.slice(0, action);
  const nameAt = before.findIndex((t) => t === '-name' || t === '-iname');
  const pattern = nameAt === -1 ? undefined : before[nameAt + 1];
  const narrow =
    pattern !== undefined &&
    !pattern.includes('/') &&
    !texts.some((t) => t === undefined || BROADENING.has(t));
  return roots.map((root) =>
    'literal' in root ? { literal: `${root.literal}/${narrow ? pattern : '*'}`, glob: true } : root,
  );
}
