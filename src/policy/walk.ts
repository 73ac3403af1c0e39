import type { Node, Parser, Tree } from 'web-tree-sitter';
import { findParseError } from './parse.js';
import { resolvePath } from './paths.js';
import type { Link, PipelineContext, Redirect, SimpleCommand, Word } from './types.js';
import { optionCode } from './exec-options.js';
import { resolveWord } from './words.js';
import { inlineCode } from './inline-code.js';
import { assignedNames, isIdentifier, ShellVars, VAR_SETTERS } from './vars.js';
import { findParts, findSelected } from './find.js';
import { linksMade } from './links.js';
import { heredocBackticks, readsStdinScript } from './stdin-scripts.js';
import { SHELLS, shellCode, unwrap } from './wrappers.js';
import { MAX_REPARSE, treeProblems } from './tree-checks.js';
import { runsPosix } from './shells.js';

/**
 * Turn a syntax tree into the flat list of simple commands it can run, with the context rules need
 * (pipeline position, substitution, cwd, wrappers). Commands inside function bodies are listed as if
 * called: defining a function and calling it later must not hide what it does.
 */
export interface WalkProblem {
  rule: 'parse_error' | 'nesting_too_deep' | 'too_complex' | 'shell_differential';
  command: string;
  reason: string;
}

export interface WalkResult {
  commands: SimpleCommand[];
  problems: WalkProblem[];
}

export interface WalkOptions {
  /** Absolute working directory, or null when unknown (relative paths then stay unresolved). */
  cwd: string | null;
  home: string;
  /** How many times a string may be re-parsed (`bash -c "sh -c '…'"`) before the walk gives up. */
  maxDepth?: number;
  /** POSIX sh (dash) runs the command: bash-only constructs are problems (`shell_differential`). */
  posix?: boolean;
}

interface Scope {
  depth: number;
  inSubstitution: boolean;
  background: boolean;
  via: string[];
  pipeline?: PipelineContext;
  inFunction?: string;
  /** The code here is run by POSIX sh (the target's sh, `sh -c`, `system()`), not bash. */
  posix: boolean;
  /** The code here may not run (a branch, the right of `&&`/`||`, a loop body). */
  conditional?: boolean;
}

const MAX_UNWRAP = 16;
/** Wrappers whose code runs in the calling shell: a `cd` inside moves the caller too. */
const SAME_SHELL = new Set(['eval', 'trap']);
const CWD_CHANGERS = new Set(['cd', 'pushd', 'popd']);
/** The app env file Automatos sources before user commands: `<app>/shared/.env`. */
const ENV_FILE = /\/shared\/\.env$/;
const STATEMENT_SEPARATORS = new Set([';', '&', '&&', '||', '\n', ';;']);

export function nameOf(command: SimpleCommand): string {
  return 'literal' in command.name ? basename(command.name.literal) : '<dynamic>';
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function walkTree(tree: Tree, parser: Parser, options: WalkOptions): WalkResult {
  const walker = new Walker(parser, options);
  const posix = options.posix ?? false;
  walker.tree(tree, { depth: 0, inSubstitution: false, background: false, via: [], posix }, '');
  return { commands: walker.commands, problems: walker.problems };
}

class Walker {
  readonly commands: SimpleCommand[] = [];
  readonly problems: WalkProblem[] = [];
  private cwd: string | null;
  private readonly home: string;
  /** Commands each function defined so far runs (for cwd changes made by calling it). */
  private readonly functions = new Map<string, SimpleCommand[]>();
  /** CDPATH was set: a relative `cd` may land anywhere. */
  private cdpath = false;
  /** Links made so far (`ln -s`, `cp -s`): the filesystem keeps them across subshells. */
  private readonly links: Link[] = [];
  private readonly maxDepth: number;
  private readonly vars = new ShellVars();

  constructor(
    private readonly parser: Parser,
    options: WalkOptions,
  ) {
    this.cwd = options.cwd;
    this.home = options.home;
    this.maxDepth = Math.min(options.maxDepth ?? 6, MAX_REPARSE);
  }

  /** Check a whole tree first (depth, shell differentials); walk it only when it is not too deep. */
  tree(tree: Tree, scope: Scope, origin: string): void {
    const problems = treeProblems(tree, scope.posix);
    for (const problem of problems) this.problems.push({ ...problem, command: origin || tree.rootNode.text });
    if (problems.some((p) => p.rule === 'too_complex')) return;
    this.node(tree.rootNode, scope);
  }

  node(node: Node, scope: Scope): void {
    switch (node.type) {
      case 'comment':
        return;
      case 'command':
        return this.command(node, scope, [], []);
      case 'redirected_statement':
        return this.redirected(node, scope);
      case 'pipeline':
        return this.isolated(() => this.pipeline(node.namedChildren, scope));
      case 'subshell':
        return this.isolated(() => this.children(node, scope));
      case 'command_substitution':
      case 'process_substitution':
        return this.isolated(() =>
          this.children(node, { ...scope, inSubstitution: true, background: false, pipeline: undefined }),
        );
      case 'function_definition': {
        const body = node.childForFieldName('body');
        const name = node.childForFieldName('name')?.text ?? '';
        const before = this.commands.length;
        // The body runs when called, with whatever the variables hold then.
        if (body) this.later(() => this.node(body, { ...scope, inFunction: name }));
        this.functions.set(name, this.commands.slice(before));
        return;
      }
      case 'declaration_command':
      case 'unset_command':
        return this.declaration(node, scope);
      case 'variable_assignment':
      case 'variable_assignments': {
        const assignments = this.assignments(node, scope);
        this.push(this.base(node, scope, { literal: '' }, [], assignments), scope);
        return this.noteAssignments(assignments, scope);
      }
      case 'list':
        // `a && b`, `a || b`: only the first operand surely runs.
        return node.namedChildren.forEach((child, i) => {
          if (child) this.node(child, i === 0 ? scope : { ...scope, conditional: true });
        });
      case 'if_statement':
      case 'case_statement':
        return this.children(node, { ...scope, conditional: true });
      case 'while_statement':
      case 'until_statement':
      case 'for_statement':
      case 'c_style_for_statement':
        return this.loop(node, scope);
      default:
        return this.children(node, scope);
    }
  }

  /** Named children in order; a statement followed by `&` runs in the background. */
  private children(node: Node, scope: Scope): void {
    for (const child of node.namedChildren) {
      if (!child) continue;
      const background = child.nextSibling?.type === '&';
      this.node(child, background ? { ...scope, background: true } : scope);
    }
  }

  /** Subshells, substitutions and pipeline members cannot change the caller's cwd or variables. */
  private isolated(run: () => void): void {
    const saved = this.cwd;
    const vars = this.vars.snapshot();
    run();
    this.cwd = saved;
    this.vars.restore(vars);
  }

  /** Code that runs later (function bodies, traps, aliases): the variables may hold anything then. */
  private later(run: () => void): void {
    this.isolated(() => {
      this.vars.forgetAll();
      run();
    });
  }

  /**
   * A loop body runs any number of times, so whatever it assigns is unknown inside and after it;
   * a `for NAME in WORDS` variable takes each literal word.
   */
  private loop(node: Node, scope: Scope): void {
    const names = assignedNames(node);
    this.vars.forget(names);
    const variable = node.type === 'for_statement' ? node.childForFieldName('variable')?.text : undefined;
    const values = node.childrenForFieldName('value').filter((v): v is Node => v !== null);
    const inner = { ...scope, conditional: true };
    for (const child of node.namedChildren) {
      if (!child || child === node.childForFieldName('variable')) continue;
      if (child.type === 'do_group' && variable && values.length > 0) {
        const words = values.map((v) => resolveWord(v, this.vars.lookup).word);
        const known = words.every((w) => 'literal' in w && !w.glob);
        if (known)
          this.vars.assignEach(
            variable,
            words.map((w) => ('literal' in w ? w.literal : '')),
          );
      }
      this.node(child, inner);
    }
    this.vars.forget(names);
  }

  /** Statement-level `NAME=value` (also `export`/`local`): later words may use the value. */
  private noteAssignments(assignments: SimpleCommand['assignments'], scope: Scope): void {
    if (scope.background) return; // `f=x &` runs in a subshell
    for (const { name, value } of assignments) {
      // `k=~/.ssh/id_rsa` expands the tilde when assigning.
      const text =
        'literal' in value ? (value.tilde ? resolvePath(value, null, this.home) : value.literal) : undefined;
      this.vars.assign(name, text, scope.conditional ?? false);
    }
  }

  /** Each member reads the output of the ones before it; `first` is a member the tree hangs elsewhere. */
  private pipeline(elements: (Node | null)[], scope: Scope, first?: (scope: Scope) => void): void {
    const outer = scope.pipeline && scope.pipeline.index > 0 ? scope.pipeline.upstream : [];
    const names = [...outer];
    const members: ((s: Scope) => void)[] = first ? [first] : [];
    for (const el of elements) {
      if (el && !STATEMENT_SEPARATORS.has(el.type)) members.push((s) => this.node(el, s));
    }
    const offset = outer.length > 0 ? 1 : 0;
    members.forEach((run, i) => {
      const before = this.commands.length;
      const pipeline: PipelineContext = {
        index: i + offset,
        length: members.length + offset,
        upstream: [...names],
      };
      this.isolated(() => run({ ...scope, pipeline }));
      for (const cmd of this.commands.slice(before)) names.push(nameOf(cmd));
    });
  }

  private redirected(node: Node, scope: Scope): void {
    const redirects: Redirect[] = [];
    const stdin: SimpleCommand['stdin'] = [];
    const after: (() => void)[] = [];
    let continuation: Node | undefined;
    node.children.forEach((child, i) => {
      if (!child || node.fieldNameForChild(i) !== 'redirect') return;
      if (child.type === 'heredoc_redirect') {
        this.heredoc(child, scope, redirects, stdin, after, (pipe) => (continuation = pipe));
      } else this.redirect(child, scope, redirects, stdin);
    });
    const body = node.childForFieldName('body');
    // tree-sitter-bash drops a lone `-` between a command and its here-doc (`make -f - <<EOF`).
    const next = body?.nextSibling;
    const gap =
      body && next ? node.text.slice(body.endIndex - node.startIndex, next.startIndex - node.startIndex) : '';
    const dropped: Word[] = gap.trim() === '-' ? [{ literal: '-' }] : [];
    const runBody = (bodyScope: Scope): void => {
      if (body?.type === 'command') return this.command(body, bodyScope, redirects, stdin, dropped);
      if (body) this.node(body, bodyScope);
      if (redirects.length > 0 || stdin.length > 0) {
        // Redirections of a group or of nothing (`> /etc/passwd`): a nameless command carries them.
        const synthetic = this.base(node, bodyScope, { literal: '' }, [], []);
        synthetic.redirects = redirects;
        synthetic.stdin = stdin;
        this.push(synthetic, bodyScope);
      }
    };
    const pipe: Node | undefined = continuation;
    // `cat <<EOF | sh`: tree-sitter hangs the rest of the pipeline under the heredoc redirect.
    if (pipe) this.isolated(() => this.pipeline(pipe.namedChildren, scope, runBody));
    else runBody(scope);
    for (const run of after) run();
  }

  private heredoc(
    node: Node,
    scope: Scope,
    redirects: Redirect[],
    stdin: SimpleCommand['stdin'],
    after: (() => void)[],
    setPipeline: (pipe: Node) => void,
  ): void {
    node.children.forEach((child, i) => {
      if (!child) return;
      const field = node.fieldNameForChild(i);
      if (child.type === 'heredoc_body') {
        const feeds = this.substitutions(child, scope);
        let dynamic = child.namedChildren.some((c) => c !== null && c.type !== 'heredoc_content');
        const start = node.children.find((c) => c?.type === 'heredoc_start')?.text ?? '';
        if (!/['"\\]/.test(start) && child.text.includes('`')) {
          // An unquoted body runs `…` too, but tree-sitter leaves it as text: walk it ourselves.
          dynamic = true;
          feeds.push(...this.backticks(child.text, scope, node.text));
        }
        stdin.push({ kind: 'heredoc', text: child.text, dynamic, feeds });
      } else if (child.type === 'pipeline') setPipeline(child);
      else if (field === 'redirect') this.redirect(child, scope, redirects, stdin);
      else if (field === 'right') after.push(() => this.node(child, scope));
    });
  }

  private backticks(body: string, scope: Scope, origin: string): string[] {
    const { codes, ok } = heredocBackticks(body);
    if (!ok) {
      this.problems.push({
        rule: 'parse_error',
        command: origin,
        reason: 'a here-doc body has an unterminated backtick substitution',
      });
    }
    const before = this.commands.length;
    const inner: Scope = { ...scope, inSubstitution: true, background: false, pipeline: undefined };
    for (const code of codes) this.source(code, inner, origin);
    return this.commands.slice(before).map(nameOf);
  }

  private redirect(node: Node, scope: Scope, redirects: Redirect[], stdin: SimpleCommand['stdin']): void {
    if (node.type === 'herestring_redirect') {
      const target = node.namedChildren.find((c) => c !== null && c.type !== 'file_descriptor');
      if (!target) return;
      const word = this.word(target, scope);
      stdin.push({
        kind: 'herestring',
        text: 'literal' in word ? word.literal : word.text,
        dynamic: !('literal' in word),
        feeds: 'feeds' in word ? word.feeds : [],
      });
      return;
    }
    const destinations = node.childrenForFieldName('destination').filter((d): d is Node => d !== null);
    const op = node.children.find((c) => c !== null && !c.isNamed)?.text ?? '>';
    const fd = node.childForFieldName('descriptor')?.text;
    for (const destination of destinations) {
      const redirect: Redirect = { op, target: this.word(destination, scope) };
      if (fd !== undefined) redirect.fd = fd;
      redirects.push(redirect);
    }
  }

  /**
   * Resolve a word, walking the commands substituted into it; `feeds` names them. Variables set
   * earlier are filled in, except in command names: a name from an expansion stays denied.
   */
  private word(node: Node, scope: Scope, variables = true): Word {
    const { word } = resolveWord(node, variables ? this.vars.lookup : undefined);
    const feeds = this.substitutions(node, scope);
    if ('dynamic' in word) word.feeds = feeds;
    return word;
  }

  private substitutions(node: Node, scope: Scope): string[] {
    const before = this.commands.length;
    for (const sub of resolveWord(node).substitutions) this.node(sub, scope);
    return this.commands.slice(before).map(nameOf);
  }

  private assignments(node: Node, scope: Scope): SimpleCommand['assignments'] {
    const nodes = node.type === 'variable_assignment' ? [node] : node.namedChildren;
    const result: SimpleCommand['assignments'] = [];
    for (const child of nodes) {
      if (!child || child.type !== 'variable_assignment') continue;
      const value = child.childForFieldName('value');
      result.push({
        name: child.childForFieldName('name')?.text ?? '',
        value: value ? this.word(value, scope) : { literal: '' },
      });
    }
    return result;
  }

  private declaration(node: Node, scope: Scope): void {
    const args: Word[] = [];
    for (const child of node.namedChildren) {
      if (child && child.type !== 'variable_assignment') args.push(this.word(child, scope));
    }
    const name = node.child(0)?.text ?? '';
    const assignments = this.assignments(node, scope);
    this.push(this.base(node, scope, { literal: name }, args, assignments), scope);
    this.noteAssignments(assignments, scope);
  }

  private command(
    node: Node,
    scope: Scope,
    redirects: Redirect[],
    stdin: SimpleCommand['stdin'],
    dropped: Word[] = [],
  ): void {
    const assignments = this.assignments(node, scope);
    const nameNode = node.childForFieldName('name');
    const name = nameNode ? this.word(nameNode, scope, false) : { literal: '' };
    const args: Word[] = [];
    const own: Redirect[] = [];
    const ownStdin: SimpleCommand['stdin'] = [];
    node.children.forEach((child, i) => {
      if (!child) return;
      const field = node.fieldNameForChild(i);
      if (field === 'argument') args.push(this.word(child, scope));
      else if (field === 'redirect') this.redirect(child, scope, own, ownStdin);
    });
    const cmd = this.base(node, scope, name, [...args, ...dropped], assignments);
    cmd.redirects = [...own, ...redirects];
    cmd.stdin = [...ownStdin, ...stdin];
    this.push(cmd, scope);
  }

  private base(
    node: Node,
    scope: Scope,
    name: Word,
    args: Word[],
    assignments: SimpleCommand['assignments'],
  ): SimpleCommand {
    const cmd: SimpleCommand = {
      text: node.text,
      name,
      args,
      redirects: [],
      assignments,
      stdin: [],
      inSubstitution: scope.inSubstitution,
      background: scope.background,
      depth: scope.depth,
      via: scope.via,
      cwd: this.cwd,
    };
    if (scope.pipeline) cmd.pipeline = scope.pipeline;
    if (scope.inFunction !== undefined) cmd.inFunction = scope.inFunction;
    if (this.links.length > 0) cmd.links = [...this.links];
    return cmd;
  }

  /** Record a command, unwrapping wrappers and re-parsing shell strings. */
  private push(cmd: SimpleCommand, scope: Scope, unwraps = 0): void {
    this.noteCdpath(cmd);
    if (!('literal' in cmd.name) || cmd.name.glob || cmd.name.literal === '') {
      this.commands.push(cmd);
      return;
    }
    if (unwraps > MAX_UNWRAP) {
      this.problems.push({ rule: 'nesting_too_deep', command: cmd.text, reason: 'too many nested wrappers' });
      return;
    }
    const name = basename(cmd.name.literal);
    const inner = unwrap(name, cmd.args);
    if (!inner || inner.kind === 'none') {
      this.commands.push(cmd);
      this.afterPush(cmd, name, scope);
      return;
    }
    const via = [...cmd.via, name];
    if (inner.kind === 'exec') {
      const [first, ...rest] = inner.args;
      if (!first) return;
      const cwd = inner.cwd ? (resolvePath(inner.cwd, cmd.cwd, this.home) ?? null) : cmd.cwd;
      this.push({ ...cmd, name: first, args: rest, via, cwd }, scope, unwraps + 1);
      return;
    }
    if (!('literal' in inner.code)) {
      this.commands.push({ ...cmd, code: inner.code });
      if (SAME_SHELL.has(name)) {
        this.cwd = null;
        this.vars.forgetAll();
      }
      return;
    }
    if (cmd.redirects.length > 0 || cmd.stdin.length > 0) {
      this.commands.push({ ...cmd, name: { literal: '' }, args: [], via });
    }
    const before = this.commands.length;
    const code = inner.code.literal;
    const run = (): void =>
      this.source(code, { ...scope, via, posix: runsPosix(name, scope.posix) }, cmd.text);
    if (name === 'trap') this.later(run);
    else run();
    // `eval 'cd /'`, `trap 'cd /' DEBUG`: the caller's directory is no longer known.
    if (SAME_SHELL.has(name) && this.changesCwd(this.commands.slice(before))) this.cwd = null;
    // `eval 'f=/etc/shadow'` sets variables in this shell: what they hold is no longer followed.
    if (SAME_SHELL.has(name)) this.vars.forgetAll();
  }

  /** Do these commands (or the functions they call) change the shell's directory or CDPATH? */
  private changesCwd(commands: readonly SimpleCommand[], seen = new Set<string>()): boolean {
    return commands.some((cmd) => {
      const name = nameOf(cmd);
      if (CWD_CHANGERS.has(name) || name === 'source' || name === '.') return true;
      if (cmd.assignments.some((a) => a.name === 'CDPATH')) return true;
      if (cmd.args.some((a) => 'literal' in a && /^CDPATH(=|$)/.test(a.literal) && cmd.args.length > 0))
        return name === 'export' || name === 'declare' || name === 'typeset' || name === 'readonly';
      const body = this.functions.get(name);
      if (!body || seen.has(name)) return false;
      seen.add(name);
      return this.changesCwd(body, seen);
    });
  }

  /** Any CDPATH assignment (`CDPATH=/ cd etc`, `export CDPATH=/`): relative `cd` is unknown from now on. */
  private noteCdpath(cmd: SimpleCommand): void {
    const named = ['export', 'declare', 'typeset', 'readonly', 'local'].includes(nameOf(cmd));
    if (
      cmd.assignments.some((a) => a.name === 'CDPATH') ||
      (named && cmd.args.some((a) => !('literal' in a) || /^CDPATH(=|$)/.test(a.literal)))
    ) {
      this.cdpath = true;
      this.cwd = null;
    }
  }

  /** Effects a command has on the walk itself: cwd changes, `find -exec`, heredocs fed to shells. */
  private afterPush(cmd: SimpleCommand, name: string, scope: Scope): void {
    this.optionCodes(cmd, name, scope);
    this.noteVarChanges(cmd, name);
    // Shell commands inside inline programs (`os.system("…")`, make recipes, `!cmd`) and the file
    // effects of their literal-path calls; system() and friends run /bin/sh.
    const inline = inlineCode(cmd, name);
    for (const code of inline?.shell ?? [])
      this.source(code, { ...scope, via: [...cmd.via, name], posix: true }, cmd.text, true);
    this.links.push(...linksMade(cmd, name, this.links, this.cwd, this.home));
    if (name === 'cd' || name === 'pushd') {
      const target = cmd.args.find((a) => !('literal' in a) || !a.literal.startsWith('-'));
      this.cwd = target ? (resolvePath(target, this.cwd, this.home) ?? null) : this.home;
      if (target && 'literal' in target && target.literal === '-') this.cwd = null;
      // CDPATH may redirect a relative target; `pushd -n`/`pushd +N` rotate the stack instead.
      const relative = target && !('literal' in target && /^[/~]/.test(target.literal));
      if (this.cdpath && relative) this.cwd = null;
      if (name === 'pushd' && cmd.args.some((a) => !('literal' in a) || /^[-+]/.test(a.literal)))
        this.cwd = null;
    } else if (name === 'popd') this.cwd = null;
    else if (name === 'source' || name === '.') {
      if (readsStdinScript(cmd.args[0])) {
        // `. /dev/stdin <<< 'rm -rf /'`: the here-string is the script.
        for (const input of cmd.stdin) {
          if (!input.dynamic) this.source(input.text, { ...scope, via: [...cmd.via, name] }, cmd.text);
        }
      }
      // A sourced file runs in this shell and may `cd` anywhere, except the app's env file, which
      // Automatos writes itself from validated names and quoted values (src/plan/shell.ts).
      const script = cmd.args[0] ? resolvePath(cmd.args[0], this.cwd, this.home) : undefined;
      if (script === undefined || !ENV_FILE.test(script)) this.cwd = null;
    } else if (this.functions.has(name) && this.changesCwd([cmd])) this.cwd = null;
    else if (name === 'find') {
      const { execs } = findParts(cmd.args);
      for (const argv of execs) {
        // `{}` is each path found under a root: a glob under it, narrowed by a `-name` test.
        for (const found of findSelected(cmd.args)) {
          const [first, ...rest] = argv.map((w) => ('literal' in w && w.literal === '{}' ? found : w));
          if (!first) continue;
          this.push(
            { ...cmd, name: first, args: rest, via: [...cmd.via, 'find'], redirects: [], stdin: [] },
            scope,
            1,
          );
        }
      }
    } else if (name === 'alias') {
      // `alias ls='rm -rf /'`: the value runs later as shell code.
      for (const arg of cmd.args) {
        const value = 'literal' in arg ? /^[^=]+=(.*)$/s.exec(arg.literal)?.[1] : undefined;
        if (value) this.later(() => this.source(value, { ...scope, via: [...cmd.via, 'alias'] }, cmd.text));
      }
    } else if (SHELLS.has(name) && !shellCode(cmd.args)) {
      const posix = runsPosix(name, scope.posix);
      for (const input of cmd.stdin) {
        if (!input.dynamic) this.source(input.text, { ...scope, via: [...cmd.via, name], posix }, cmd.text);
      }
    }
  }

  /** `read f`, `unset f`, a function call, `source`: variables the walk can no longer follow. */
  private noteVarChanges(cmd: SimpleCommand, name: string): void {
    if (name === 'source' || name === '.' || this.functions.has(name)) this.vars.forgetAll();
    if (!VAR_SETTERS.has(name)) return;
    const names = cmd.args.map((a) => ('literal' in a ? a.literal.split('=')[0] : undefined));
    if (cmd.args.some((a) => !('literal' in a))) this.vars.forgetAll();
    else this.vars.forget(names.filter(isIdentifier));
  }

  /** Shell code a program runs through its options (`tar -I CMD`, `rsync -e CMD`, `sed 'e CMD'`). */
  private optionCodes(cmd: SimpleCommand, name: string, scope: Scope): void {
    for (const code of optionCode(name, cmd.args).codes) {
      const inner = { ...scope, via: [...cmd.via, name], posix: true };
      if ('literal' in code) this.source(code.literal, inner, cmd.text);
      else this.commands.push({ ...cmd, code });
    }
  }

  /** Parse a string the shell would run (`bash -c`, `eval`, heredoc into a shell) and walk it. */
  private source(code: string, scope: Scope, origin: string, lenient = false): void {
    const depth = scope.depth + 1;
    if (depth > this.maxDepth) {
      this.problems.push({
        rule: 'nesting_too_deep',
        command: origin,
        reason: `shell code nested more than ${this.maxDepth} levels`,
      });
      return;
    }
    const tree = this.parser.parse(code);
    if (!tree) return;
    try {
      if (findParseError(tree.rootNode)) {
        // A string pulled out of another language's program may simply not be shell.
        if (lenient) return;
        this.problems.push({
          rule: 'parse_error',
          command: origin,
          reason: 'nested shell code does not parse cleanly',
        });
        return;
      }
      this.isolated(() => this.tree(tree, { ...scope, depth }, origin));
    } finally {
      tree.delete();
    }
  }
}
