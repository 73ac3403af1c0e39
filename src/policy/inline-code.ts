import { embeddedShell, inlinePrograms } from './embedded.js';
import { inlineEffects } from './inline-effects.js';
import { parseOptions } from './options.js';
import { INTERPRETERS, interpreterOf } from './rules/names.js';
import type { SimpleCommand, Word } from './types.js';

/**
 * Programs given as text on the command line or in a here-doc: `python3 -c`, `node -e`, `perl -e`,
 * awk programs that run commands, `make --eval`, `make -f -`, `sqlite3 .shell`, `ed !`, `vim -es`,
 * git aliases starting with `!`. The policy reads such code only in part: it walks the shell
 * commands it can find in it (`system("…")`, recipes, `!cmd` lines) and the file effects of
 * literal-path calls (inline-effects.ts); the rest is left to the sandbox, and the command is
 * flagged with a risk that makes a tier-2 plan wait for an operator.
 */
export interface InlineCode {
  /**
   * Why it is flagged, as an operator would name it (`python3 -c`, `git alias !…`); absent when
   * the code runs nothing but has file effects to judge (an awk program that only prints to a file).
   */
  what?: string;
  /** Shell commands the code runs, or that have the same file effects, to be walked. */
  shell: string[];
}

const lit = (word: Word | undefined): string | undefined =>
  word && 'literal' in word ? word.literal : undefined;

const AWK = /^(awk|gawk|mawk|nawk)$/;
const VIM_EX = /^(vim?|nvim|ex|exim)$/;
/** awk runs a command: `system(…)`, `print | "cmd"`, `"cmd" | getline`, coprocesses `|&`. */
const AWK_RUNS = /\bsystem\s*\(|\|\s*"|"\s*\|\s*getline|\|&/;

function stdinTexts(cmd: SimpleCommand): string[] {
  return cmd.stdin.filter((s) => !s.dynamic).map((s) => s.text);
}

/** Lines of a line-oriented command language that hand the rest of the line to the shell. */
function bangLines(texts: readonly string[], re: RegExp): string[] {
  return texts.flatMap((t) => [...t.matchAll(re)].map((m) => m[1] ?? '').filter(Boolean));
}

function interpreter(cmd: SimpleCommand, name: string, family: string): InlineCode | undefined {
  const spec = INTERPRETERS[family];
  if (!spec) return undefined;
  const parsed = parseOptions(cmd.args, {
    short: spec.valueOpts,
    long: ['eval', 'print', 'require', 'input-type'],
    stopAtOperand: true,
  });
  const flags = [...spec.code].filter((l) => parsed.values.has(`-${l}`)).map((l) => `-${l}`);
  if (parsed.values.has('--eval') || parsed.values.has('--print')) flags.push('--eval');
  if (family === 'deno' && lit(parsed.operands[0]) === 'eval') flags.push('eval');
  const first = lit(parsed.operands[0]);
  const heredoc = (first === undefined || first === '-') && stdinTexts(cmd).length > 0;
  if (flags.length === 0 && !heredoc) return undefined;
  const programs = [
    ...inlinePrograms(cmd, name),
    ...(family === 'deno' ? [lit(parsed.operands[1]) ?? ''] : []),
  ];
  return {
    what: `${name} ${flags[0] ?? 'with a here-doc program'}`,
    shell: programs.flatMap((p) => [...embeddedShell(p), ...inlineEffects(p)]),
  };
}

function awk(cmd: SimpleCommand, name: string): InlineCode | undefined {
  const program = inlinePrograms(cmd, name).join('\n');
  const pipes = [...program.matchAll(/"((?:\\.|[^"\\])*)"\s*\|\s*getline|\|&?\s*"((?:\\.|[^"\\])*)"/g)];
  // `"cmd" | getline` runs cmd; `print | "cmd"` runs cmd reading awk's output, like `cat | cmd`.
  const files = [...program.matchAll(/(>>?|<)\s*"((?:\\.|[^"\\])*)"/g)];
  const shell = [
    ...embeddedShell(program),
    ...pipes.map((m) => (m[1] !== undefined ? m[1] : `cat | ${m[2] ?? ''}`)),
    // `print > "/etc/x"` writes the file, `getline < "/etc/shadow"` reads it.
    ...files.map((m) => `${m[1] === '<' ? 'cat' : 'tee'} -- '${(m[2] ?? '').replace(/'/g, `'\\''`)}'`),
  ];
  if (AWK_RUNS.test(program)) return { what: `${name} running commands`, shell };
  return shell.length ? { shell } : undefined;
}

/** A makefile's recipes as shell: tab-indented lines and `target: ; recipe`, with `$$` as `$`. */
export function makeRecipes(text: string): string[] {
  const lines = text.split('\n');
  const recipes = lines.flatMap((line) => {
    if (line.startsWith('\t')) return [line.slice(1)];
    const inline = /^[^\t#=:][^=]*?::?[^=;]*;(.*)$/.exec(line)?.[1];
    return inline === undefined ? [] : [inline];
  });
  return recipes.map((r) =>
    r
      .replace(/^[\s@+-]+/, '')
      .replace(/\$\(shell\s+([^)]*)\)/g, '$$($1)')
      .replace(/\$[({][A-Za-z0-9_.@<^*?%+-]+[)}]|\$[@<^*?%+]/g, 'make_var')
      .replace(/\$\$/g, '$'),
  );
}

function make(cmd: SimpleCommand, name: string): InlineCode | undefined {
  const parsed = parseOptions(cmd.args, {
    short: 'fCEIoWjlO',
    long: ['eval', 'file', 'makefile', 'directory', 'include-dir', 'old-file', 'what-if', 'jobs'],
  });
  const evals = [...(parsed.values.get('--eval') ?? []), ...(parsed.values.get('-E') ?? [])];
  const files = ['-f', '--file', '--makefile'].flatMap((k) => parsed.values.get(k) ?? []);
  const fromStdin = files.some((f) => lit(f) === '-' || lit(f) === '/dev/stdin');
  if (evals.length === 0 && !fromStdin) return undefined;
  const texts = [...evals.map((w) => lit(w) ?? ''), ...(fromStdin ? stdinTexts(cmd) : [])];
  return { what: `${name} ${evals.length ? '--eval' : '-f -'}`, shell: texts.flatMap(makeRecipes) };
}

/** `git -c alias.x='!cmd'` and `git config [scope] alias.x '!cmd'`: the alias runs cmd through sh. */
function gitAlias(cmd: SimpleCommand): InlineCode | undefined {
  const texts = cmd.args.map(lit);
  const codes: string[] = [];
  texts.forEach((text, i) => {
    if (text === undefined) return;
    const inline = /^alias\.[^=]+=\s*!(.*)$/s.exec(text)?.[1];
    if (inline !== undefined && texts[i - 1] === '-c') codes.push(inline);
    const value = /^alias\./i.test(text) && !text.includes('=') ? texts[i + 1] : undefined;
    const bang = value === undefined ? undefined : /^\s*!(.*)$/s.exec(value)?.[1];
    if (bang !== undefined && texts.includes('config')) codes.push(bang);
  });
  return codes.length ? { what: 'git alias running a shell command (!…)', shell: codes } : undefined;
}

export function inlineCode(cmd: SimpleCommand, name: string): InlineCode | undefined {
  const family = interpreterOf(name);
  if (family && family !== 'awk') return interpreter(cmd, name, family);
  if (AWK.test(name)) return awk(cmd, name);
  if (name === 'make' || name === 'gmake') return make(cmd, name);
  if (name === 'git') return gitAlias(cmd);
  const piped = cmd.pipeline !== undefined && cmd.pipeline.index > 0;
  if (name === 'sqlite3') {
    const texts = [...cmd.args.map((w) => lit(w) ?? ''), ...stdinTexts(cmd)];
    const shell = bangLines(texts, /^\s*\.(?:shell|system)\s+(.*)$/gm);
    return shell.length ? { what: 'sqlite3 .shell', shell } : undefined;
  }
  if (name === 'ed') {
    const shell = bangLines(stdinTexts(cmd), /^\s*(?:[\d,.$;+-]*[rwWe]\s*)?!(.*)$/gm);
    return shell.length || piped ? { what: 'ed running ! commands', shell } : undefined;
  }
  if (VIM_EX.test(name)) {
    const exMode = name.startsWith('ex') || cmd.args.some((a) => /^-[a-zA-Z]*[eE]/.test(lit(a) ?? ''));
    if (!exMode || (!piped && cmd.stdin.length === 0)) return undefined;
    const texts = stdinTexts(cmd);
    const shell = [
      ...bangLines(texts, /^[\s:]*(?:[\d,.$%]*\s*(?:r|read|w|write)?\s*)!(.*)$/gm),
      ...texts.flatMap(embeddedShell),
    ];
    return { what: `${name} reading Ex commands`, shell };
  }
  return undefined;
}
