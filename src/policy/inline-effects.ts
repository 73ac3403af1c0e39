/**
 * File effects of inline interpreter code, spelled as the shell commands that would have the same
 * effect, so the ordinary rules judge them: `shutil.rmtree('/etc')` is `rm -rf -- '/etc'`,
 * `fs.writeFileSync('/etc/x', …)` is a write to /etc/x, `open('/etc/shadow')` a read of it. Only
 * calls with a literal path are found; computed paths are left to the sandbox.
 */

/** A quoted string literal whose contents are capture group `n + 1` (the quote is group `n`). */
const str = (n: number): string => `(["'\`])((?:\\\\.|(?!\\${n}).)*)\\${n}`;
const call = (names: string, tail: string): RegExp =>
  new RegExp(String.raw`\b(?:${names})\s*\(?\s*` + tail, 'g');

const DELETE = call(
  String.raw`rmtree|remove_tree|rm_rf|rm_r|rmSync|rmdirSync|unlinkSync|rimraf(?:\.sync)?|removedirs|remove_dir|remove_entry(?:_secure)?|(?:os|fs|File|Dir|FileUtils|fsp|promises)\.(?:remove|unlink|rmdir|rm|delete|rm_f)|unlink|rmdir`,
  str(1),
);
/** Calls that write (or change the mode of) the path in their first argument. */
const WRITE = call(
  String.raw`writeFileSync|appendFileSync|writeFile|appendFile|createWriteStream|file_put_contents|File\.write|IO\.write|chmodSync|chmod|chownSync|chown|truncateSync|truncate`,
  str(1),
);
/** Calls that write the path in their second argument (copy, move, link). */
const COPY = call(
  String.raw`copyFileSync|copyfile|copy2|copy|move|renameSync|rename|symlinkSync|symlink|cpSync|copytree`,
  str(1) + String.raw`\s*,\s*` + str(3),
);
const OPEN = call(
  String.raw`open|File\.open|fopen`,
  String.raw`(?:\w+\s*,\s*)?` + str(1) + String.raw`(?:\s*,\s*` + str(3) + ')?',
);
const READ = call(
  String.raw`readFileSync|readFile|createReadStream|file_get_contents|read_text|read_bytes|File\.read|IO\.read|File\.readlines|slurp`,
  str(1),
);

function quote(path: string): string {
  return `'${path.replace(/'/g, `'\\''`)}'`;
}

/** A path literal as the program means it (escaped quotes and backslashes resolved). */
function unescape(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

/** Perl and PHP open modes (`'>'`, `">/etc/x"`, `'w'`, `'a+'`): does the file get written? */
function writesMode(mode: string | undefined, path: string): { path: string; write: boolean } {
  const inline = /^\s*(\+?[<>]{1,2}|\|)\s*(.*)$/.exec(path);
  if (inline?.[1]) return { path: inline[2] ?? '', write: inline[1].includes('>') };
  return { path, write: mode !== undefined && /[wax+>]/.test(mode) };
}

/** Shell commands with the same file effects as the literal-path calls in `code`. */
export function inlineEffects(code: string): string[] {
  const out: string[] = [];
  for (const m of code.matchAll(DELETE)) if (m[2]) out.push(`rm -rf -- ${quote(unescape(m[2]))}`);
  for (const m of code.matchAll(WRITE)) if (m[2]) out.push(`tee -- ${quote(unescape(m[2]))}`);
  for (const m of code.matchAll(COPY)) {
    if (m[4]) out.push(`tee -- ${quote(unescape(m[4]))}`);
    if (m[2] && /rename|move/i.test(m[0])) out.push(`rm -rf -- ${quote(unescape(m[2]))}`);
  }
  for (const m of code.matchAll(OPEN)) {
    const first = m[2];
    if (first === undefined) continue;
    // Perl's `open(FH, '<', PATH)`: the mode comes first, the path second.
    const [mode, path] = m[4] !== undefined && /^[+<>|]{1,3}$/.test(first) ? [first, m[4]] : [m[4], first];
    const effect = writesMode(mode, unescape(path));
    if (effect.path) out.push(`${effect.write ? 'tee' : 'cat'} -- ${quote(effect.path)}`);
  }
  for (const m of code.matchAll(READ)) if (m[2]) out.push(`cat -- ${quote(unescape(m[2]))}`);
  return out;
}
