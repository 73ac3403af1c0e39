import type { DiagnosisInput } from '../../agent.js';
import { noFix, quote, type DiagnosisRule } from './rule.js';

/** Logs that mean the target's runtime is older (or newer) than the app needs. */
const SIGNS: readonly { runtime: 'Node' | 'Python'; pattern: RegExp }[] = [
  { runtime: 'Node', pattern: /Unsupported engine|EBADENGINE|The engine "node" is incompatible/i },
  { runtime: 'Node', pattern: /SyntaxError: Unexpected token '(?:\?\.|\?\?=?|\?|\.|#|\|\|=|&&=)'/ },
  { runtime: 'Node', pattern: /ERR_UNKNOWN_BUILTIN_MODULE|Cannot find module 'node:[\w/]+'/ },
  {
    runtime: 'Python',
    pattern: /requires a different Python|Requires-Python|Python \d+\.\d+ or (?:newer|later) is required/i,
  },
  {
    runtime: 'Python',
    pattern: /TypeError: 'type' object is not subscriptable|unsupported operand type\(s\) for \|: 'type'/,
  },
];

/** A Python SyntaxError is a version problem only when the quoted line uses newer syntax. */
const NEW_PYTHON_SYNTAX = /^\s+(?:match\s+\S.*:|case\s+\S.*:|.*:=.*|.*\bexcept\*.*)$/m;

const HOW_TO = {
  Node: 'install a newer Node.js on the target (e.g. from NodeSource) or use an older release of the dependency',
  Python:
    "install the Python the app needs on the target (e.g. pyenv or the distribution's newer release) or relax requires-python",
};

/**
 * Automatos installs distribution packages only when they are missing, so adding `nodejs` or
 * `python3` again would change nothing: the honest answer is no fix and what to do instead.
 */
export const runtimeVersion: DiagnosisRule = {
  id: 'runtime_version',
  diagnose(input: DiagnosisInput) {
    const log = input.logTail;
    let sign = SIGNS.find((s) => s.pattern.test(log));
    if (!sign && /SyntaxError: invalid syntax/.test(log) && NEW_PYTHON_SYNTAX.test(log)) {
      sign = { runtime: 'Python', pattern: /SyntaxError/ };
    }
    if (!sign) return null;
    return noFix(
      `The app needs a different ${sign.runtime} version than the target has ("${quote(log, sign.pattern)}"). ` +
        `Automatos installs distribution packages only when missing, so no manifest change fixes this: ${HOW_TO[sign.runtime]}.`,
    );
  },
};
