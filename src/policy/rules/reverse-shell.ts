import type { SimpleCommand } from '../types.js';
import { SHELLS } from '../wrappers.js';
import { commandName, deny, lit, show, type CommandRule } from './context.js';
import { INTERPRETERS, interpreterOf, NET_TOOLS } from './names.js';

/** A shell wired to a network peer: /dev/tcp, nc -e, socat exec:, socket one-liners, shell | nc. */

const NC = /^(nc|ncat|netcat|nc\.traditional|nc\.openbsd)$/;

/** Inline program text of an interpreter (`-c`/`-e` value, here-doc, here-string). */
export function inlineCode(cmd: SimpleCommand): string[] {
  const family = interpreterOf(commandName(cmd));
  const texts = cmd.stdin.map((s) => s.text);
  if (!family) return texts;
  const codeLetters = INTERPRETERS[family]?.code ?? '';
  cmd.args.forEach((word, i) => {
    const text = lit(word);
    if (
      text === undefined ||
      !/^-[A-Za-z]+$/.test(text) ||
      !codeLetters.includes(text[text.length - 1] ?? '')
    )
      return;
    const next = cmd.args[i + 1];
    if (next) texts.push(show(next));
  });
  return texts;
}

const SOCKET =
  /socket|fsockopen|TCPSocket|net\.connect|new\s+net\.Socket|IO::Socket|Socket\.new|pfsockopen|stream_socket_client/;
const SPAWN =
  /\/bin\/(ba|z|da|k)?sh\b|\bsh\s+-i\b|pty\.spawn|subprocess|os\.dup2|\bexec\s*\(|proc_open|popen|system\s*\(|spawn\s*\(|child_process/;

export const reverseShell: CommandRule = (cmd) => {
  const name = commandName(cmd);
  const words = [cmd.name, ...cmd.args, ...cmd.redirects.map((r) => r.target)].map(show);
  const inline = inlineCode(cmd);
  if ([...words, ...inline].some((t) => /\/dev\/(tcp|udp)\//.test(t))) {
    return deny('reverse_shell', cmd, 'opens a raw network connection through /dev/tcp or /dev/udp');
  }
  const args = cmd.args.map(lit);
  if (
    NC.test(name) &&
    args.some((a) => a !== undefined && /^(-[A-Za-z]*[ec][A-Za-z]*|--(exec|sh-exec|lua-exec)(=.*)?)$/.test(a))
  ) {
    return deny('reverse_shell', cmd, `${name} -e/-c attaches a program to a network connection`);
  }
  if (name === 'socat' && cmd.args.some((w) => /(^|[,!])\s*(exec|system)\s*:/i.test(show(w)))) {
    return deny('reverse_shell', cmd, 'socat EXEC/SYSTEM attaches a program to a connection');
  }
  if (inline.some((code) => SOCKET.test(code) && SPAWN.test(code))) {
    return deny('reverse_shell', cmd, `${name} code connects a socket to a shell or process`);
  }
  // `sh -i 2>&1 | nc host port`: a shell's output shipped to a network tool.
  if (NET_TOOLS.has(name) && cmd.pipeline && cmd.pipeline.upstream.some((n) => SHELLS.has(n))) {
    return deny('reverse_shell', cmd, `a shell's output is piped into ${name}`);
  }
  return undefined;
};

export const reverseShellRules: CommandRule[] = [reverseShell];
