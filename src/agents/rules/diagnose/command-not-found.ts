import type { DiagnosisInput } from '../../agent.js';
import type { Diagnosis } from '../../diagnosis.js';
import { COREPACK_TOOLS, SYSTEM_TOOLS, VENV_TOOLS } from './packages.js';
import { commandWord, fieldForStep, noFix, type DiagnosisRule } from './rule.js';

/** How shells, env, Go and Node report a program that is not on PATH. */
const NOT_FOUND: readonly RegExp[] = [
  /(?:^|\n)\S*?\b(?:sh|bash|dash|zsh)(?:: line \d+)?: (?:\d+: )?([\w.+-]+): (?:command )?not found/,
  /\benv: '?([\w.+-]+)'?: No such file or directory/,
  /exec: "([\w.+-]+)": executable file not found in \$PATH/,
  /spawn ([\w.+-]+) ENOENT/,
  /(?:^|\s)([\w.+-]+): command not found/,
];

function missingTool(log: string): string | null {
  for (const pattern of NOT_FOUND) {
    const tool = pattern.exec(log)?.[1];
    if (tool) return tool;
  }
  return null;
}

/** `gunicorn` -> `.venv/bin/gunicorn` in the command of the failing step. */
function fromVenv(input: DiagnosisInput, tool: string): Diagnosis {
  const field = fieldForStep(input.step);
  const command = input.module[field] ?? '';
  const word = commandWord(tool);
  if (!/\.venv\//.test(input.module.build_command) || !word.test(command)) {
    return noFix(
      `${tool} was not found: it is a Python package, so add it to the app's requirements (installed into .venv by the build).`,
    );
  }
  return {
    fix: { kind: 'set_command', field, value: command.replace(word, `$1.venv/bin/${tool}`) },
    reason: `${tool} was not found on PATH: the build installs it into the release's virtualenv, so ${field} runs .venv/bin/${tool}.`,
  };
}

function systemPackage(input: DiagnosisInput, tool: string, pkg: string): Diagnosis {
  if (!input.module.system_dependencies.includes(pkg)) {
    return {
      fix: { kind: 'add_system_dependency', package: pkg },
      reason: `${tool} was not found on the target. Adding the ${pkg} package to system_dependencies (installed before the build when missing).`,
    };
  }
  const field = fieldForStep(input.step);
  const command = input.module[field] ?? '';
  if (tool === 'python' && commandWord('python').test(command)) {
    return {
      fix: { kind: 'set_command', field, value: command.replace(commandWord('python'), '$1python3') },
      reason: `python was not found even with ${pkg} listed; the target has python3, so ${field} calls python3.`,
    };
  }
  return noFix(
    `${tool} was not found although ${pkg} is in system_dependencies: check that the package installs on the target and puts ${tool} on PATH.`,
  );
}

export const commandNotFound: DiagnosisRule = {
  id: 'command_not_found',
  diagnose(input: DiagnosisInput) {
    const tool = missingTool(input.logTail);
    if (tool === null) {
      return input.exitCode === 127
        ? noFix('The step exited with 127 (a command was not found), but the log does not say which one.')
        : null;
    }
    if (VENV_TOOLS.has(tool)) return fromVenv(input, tool);
    const pkg = SYSTEM_TOOLS[tool];
    if (pkg !== undefined) return systemPackage(input, tool, pkg);
    if (COREPACK_TOOLS.has(tool)) {
      return noFix(
        `${tool} was not found: it ships with Node.js through corepack. Run \`corepack enable\` on the target once (as root), or use npm.`,
      );
    }
    return noFix(
      `${tool} was not found on the target, and the rules diagnoser knows no package that provides it; add it to system_dependencies by its Debian package name.`,
    );
  },
};
