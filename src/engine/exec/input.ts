import { AutomatosError } from '../../core/index.js';

/** C0 controls, DEL and C1 controls: never part of a path or an environment variable. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** In a command, tab and newline are ordinary shell whitespace; every other control byte is refused. */
// eslint-disable-next-line no-control-regex
const COMMAND_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const VISIBLE_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** What `exec` is asked to run, as the engine checks it. */
export interface ExecInput {
  command: string;
  cwd: string;
  env?: Readonly<Record<string, string>>;
}

/** One refused field: where, which byte, at which character. */
export interface InputProblem {
  field: 'command' | 'working_directory' | 'environment_variables';
  message: string;
  details: Record<string, unknown>;
}

const hex = (ch: string): string => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;

/** Control bytes made visible (`\x00`), so a refused command can be recorded and shown on one line. */
export const visibleControls = (text: string): string => text.replace(VISIBLE_CONTROLS, hex);

function found(pattern: RegExp, text: string): { byte: string; index: number } | null {
  const match = pattern.exec(text);
  return match === null ? null : { byte: hex(match[0]), index: match.index };
}

/**
 * The first control byte in the command (other than tab and newline), the working directory or an
 * environment variable's name or value. A NUL would be cut by the OS, a CR or an escape sequence
 * would show an operator (or the audit log) something other than what runs.
 */
export function inputProblem(input: ExecInput): InputProblem | null {
  const inCommand = found(COMMAND_CONTROL, input.command);
  if (inCommand !== null) {
    return {
      field: 'command',
      message: `the command contains the control byte ${inCommand.byte} at character ${inCommand.index}; only tab and newline may appear in a command`,
      details: { field: 'command', ...inCommand },
    };
  }
  const inCwd = found(CONTROL, input.cwd);
  if (inCwd !== null) {
    return {
      field: 'working_directory',
      message: `the working directory contains the control byte ${inCwd.byte} at character ${inCwd.index}`,
      details: { field: 'working_directory', ...inCwd },
    };
  }
  for (const [name, value] of Object.entries(input.env ?? {})) {
    const inName = found(CONTROL, name);
    const shown = JSON.stringify(visibleControls(name));
    if (inName !== null) {
      return {
        field: 'environment_variables',
        message: `the environment variable name ${shown} contains the control byte ${inName.byte}`,
        details: { field: 'environment_variables', name: visibleControls(name), ...inName },
      };
    }
    const inValue = found(CONTROL, value);
    if (inValue !== null) {
      // The value may be a credential: only its name and the byte's position are told.
      return {
        field: 'environment_variables',
        message: `the value of environment variable ${shown} contains the control byte ${inValue.byte} at character ${inValue.index}`,
        details: { field: 'environment_variables', name, ...inValue },
      };
    }
  }
  return null;
}

export function invalidInput(problem: InputProblem): AutomatosError {
  return new AutomatosError('AUT_INVALID_INPUT', `${problem.message}; nothing was run`, {
    details: problem.details,
  });
}
