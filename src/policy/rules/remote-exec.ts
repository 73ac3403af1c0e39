import { parseOptions } from '../options.js';
import type { SimpleCommand, Word } from '../types.js';
import { readsStdinScript } from '../stdin-scripts.js';
import { SHELLS } from '../wrappers.js';
import { commandName, deny, lit, type CommandRule } from './context.js';
import { DECODERS, FETCHERS, INTERPRETERS, interpreterOf } from './names.js';

/**
 * Code the policy cannot read: a shell or interpreter whose program arrives through a pipe, a
 * substitution or a process substitution. Network origin → remote_code_exec; decoder origin →
 * decode_exec; otherwise pipe_to_shell / pipe_to_interpreter / dynamic_code.
 */

function origin(names: readonly string[]): 'remote' | 'decoded' | undefined {
  if (names.some((n) => FETCHERS.has(n))) return 'remote';
  if (names.some((n) => DECODERS.has(n))) return 'decoded';
  return undefined;
}

function feedsOf(word: Word): string[] {
  return 'feeds' in word ? word.feeds : [];
}

/** Does this word hold command output (`$(…)`, `` `…` ``, `<(…)`) rather than just variables? */
const substituted = (word: Word): boolean =>
  'dynamic' in word && (word.feeds.length > 0 || /\$\(|`|<\(/.test(word.text));

interface Program {
  /** The program comes from stdin. */
  stdin: boolean;
  /** Inline code word (`-c CODE`, `-e CODE`), or the script path word. */
  code?: Word;
  script?: Word;
}

/** How a shell or interpreter gets its program. */
function programOf(cmd: SimpleCommand, name: string): Program | undefined {
  // `. /dev/stdin`, `source /dev/fd/0`: this shell reads its script from stdin.
  if (name === 'source' || name === '.') return readsStdinScript(cmd.args[0]) ? { stdin: true } : undefined;
  const family = SHELLS.has(name) ? 'shell' : interpreterOf(name);
  if (!family || family === 'awk') return undefined;
  const spec = family === 'shell' ? { code: 'c', valueOpts: 'oO' } : INTERPRETERS[family];
  if (!spec) return undefined;
  const parsed = parseOptions(cmd.args, {
    short: spec.valueOpts,
    long: ['rcfile', 'init-file', 'eval', 'print', 'require'],
    stopAtOperand: true,
  });
  for (const letter of spec.code) {
    const value = parsed.values.get(`-${letter}`)?.[0];
    if (value) return { stdin: false, code: value };
  }
  const evalValue = parsed.values.get('--eval')?.[0] ?? parsed.values.get('--print')?.[0];
  if (evalValue) return { stdin: false, code: evalValue };
  if (family === 'shell' && parsed.flags.has('c'))
    return { stdin: false, code: parsed.operands[0] ?? { literal: '' } };
  if (family === 'python' && parsed.values.has('-m')) return { stdin: false };
  const first = parsed.operands[0];
  if (!first || lit(first) === '-' || lit(first) === '/dev/stdin' || parsed.flags.has('s'))
    return { stdin: true };
  return { stdin: false, script: first };
}

export const pipedProgram: CommandRule = (cmd) => {
  const name = commandName(cmd);
  const program = programOf(cmd, name);
  if (!program) return undefined;
  const sourced = name === 'source' || name === '.';
  const shell = SHELLS.has(name) || sourced;
  if (program.stdin) {
    // A here-string or `< <(…)` redirect feeding the program.
    for (const input of cmd.stdin) {
      const from = origin(input.feeds);
      if (from === 'remote')
        return deny('remote_code_exec', cmd, `${name} runs code downloaded by ${input.feeds.join(', ')}`);
      if (from === 'decoded') return deny('decode_exec', cmd, `${name} runs decoded data`);
      if (input.dynamic && (input.feeds.length > 0 || sourced))
        return deny('dynamic_code', cmd, `${name} runs code produced at run time`);
    }
    for (const redirect of cmd.redirects) {
      if (redirect.op !== '<' || !substituted(redirect.target)) continue;
      const from = origin(feedsOf(redirect.target));
      if (from === 'remote')
        return deny('remote_code_exec', cmd, `${name} reads its program from a download`);
      if (from === 'decoded') return deny('decode_exec', cmd, `${name} reads its program from decoded data`);
      return deny('dynamic_code', cmd, `${name} reads its program from a process substitution`);
    }
    if (cmd.pipeline && cmd.pipeline.index > 0) {
      const from = origin(cmd.pipeline.upstream);
      const upstream = cmd.pipeline.upstream.join(' | ');
      if (from === 'remote')
        return deny('remote_code_exec', cmd, `output of ${upstream} is piped into ${name}`);
      if (from === 'decoded')
        return deny('decode_exec', cmd, `decoded output of ${upstream} is piped into ${name}`);
      return shell
        ? deny('pipe_to_shell', cmd, `output of ${upstream} is run as a shell script by ${name}`)
        : deny('pipe_to_interpreter', cmd, `output of ${upstream} is run as a program by ${name}`);
    }
    return undefined;
  }
  const word = program.code ?? program.script;
  if (!word || !('dynamic' in word)) return undefined;
  const from = origin(word.feeds);
  if (from === 'remote')
    return deny('remote_code_exec', cmd, `${name} runs code downloaded by ${word.feeds.join(', ')}`);
  if (from === 'decoded') return deny('decode_exec', cmd, `${name} runs decoded data`);
  if (program.code || substituted(word))
    return deny('dynamic_code', cmd, `${name} runs code built at run time: ${word.text}`);
  return undefined;
};

/** `eval`, `bash -c`, `su -c`, `source`/`.` with code or scripts known only at run time. */
export const dynamicCode: CommandRule = (cmd) => {
  const name = commandName(cmd);
  let word: Word | undefined = cmd.code;
  if (!word && (name === 'source' || name === '.')) {
    const script = cmd.args[0];
    if (script && substituted(script)) word = script;
  }
  if (!word || !('dynamic' in word)) return undefined;
  const from = origin(word.feeds);
  if (from === 'remote')
    return deny('remote_code_exec', cmd, `${name} runs code downloaded by ${word.feeds.join(', ')}`);
  if (from === 'decoded') return deny('decode_exec', cmd, `${name} runs decoded data`);
  return deny('dynamic_code', cmd, `${name} runs shell code built at run time: ${word.text}`);
};

export const dynamicName: CommandRule = (cmd) => {
  if ('dynamic' in cmd.name)
    return deny('dynamic_command_name', cmd, `the command name is computed at run time: ${cmd.name.text}`);
  if (cmd.name.glob)
    return deny('dynamic_command_name', cmd, `the command name is a glob: ${cmd.name.literal}`);
  return undefined;
};

/** `… | make -f -`: the makefile, and so every recipe, arrives through the pipe unseen. */
export const pipedMakefile: CommandRule = (cmd) => {
  const name = commandName(cmd);
  if ((name !== 'make' && name !== 'gmake') || !cmd.pipeline || cmd.pipeline.index === 0) return undefined;
  const parsed = parseOptions(cmd.args, { short: 'fCEIoWjlO', long: ['file', 'makefile', 'eval'] });
  const files = ['-f', '--file', '--makefile'].flatMap((k) => parsed.values.get(k) ?? []);
  if (!files.some((f) => lit(f) === '-' || lit(f) === '/dev/stdin')) return undefined;
  const upstream = cmd.pipeline.upstream.join(' | ');
  const from = origin(cmd.pipeline.upstream);
  if (from === 'remote')
    return deny('remote_code_exec', cmd, `${name} runs a makefile downloaded by ${upstream}`);
  if (from === 'decoded') return deny('decode_exec', cmd, `${name} runs a decoded makefile`);
  return deny('pipe_to_interpreter', cmd, `output of ${upstream} is run as a makefile by ${name}`);
};

export const remoteExecRules: CommandRule[] = [dynamicName, pipedProgram, pipedMakefile, dynamicCode];
