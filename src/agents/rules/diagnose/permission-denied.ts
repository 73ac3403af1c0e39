import type { DiagnosisInput } from '../../agent.js';
import type { Diagnosis } from '../../diagnosis.js';
import { fieldForStep, noFix, quote, type DiagnosisRule } from './rule.js';

const DENIED = /EACCES|Permission denied|PermissionError|Operation not permitted/i;

/** Ports below 1024 need root; the conventional unprivileged twin of each. */
function unprivileged(port: number): number {
  if (port === 80) return 8080;
  if (port === 443) return 8443;
  return 8000 + port;
}

function lowPort(input: DiagnosisInput): Diagnosis | null {
  const { port } = input.module;
  const bind =
    /listen EACCES|bind\b.*(?:Permission denied|EACCES)|(?:Permission denied|EACCES).*\b(?:bind|listen|socket)\b/i;
  if (port >= 1024 || !bind.test(input.logTail)) return null;
  const next = unprivileged(port);
  return {
    fix: { kind: 'set_port', port: next },
    reason: `"${quote(input.logTail, bind)}": port ${port} is below 1024 and needs root. Moving the app to port ${next}; put a reverse proxy on ${port} if it must answer there.`,
  };
}

/** `sh: 1: ./start.sh: Permission denied`: the script lost its executable bit (common in zip uploads). */
function notExecutable(input: DiagnosisInput): Diagnosis | null {
  const pattern = /(?:sh|bash)(?:: line \d+)?: (?:\d+: )?(\.{0,2}\/?[\w./-]+): Permission denied/;
  const script = pattern.exec(input.logTail)?.[1];
  if (!script) return null;
  const field = fieldForStep(input.step);
  const command = input.module[field] ?? '';
  if (script.endsWith('.sh') && command.trimStart().startsWith(script)) {
    return {
      fix: { kind: 'set_command', field, value: `bash ${command.trimStart()}` },
      reason: `${script} is not executable in the release. Running it through bash instead; \`git update-index --chmod=+x ${script}\` fixes it at the source.`,
    };
  }
  return noFix(
    `${script} is not executable in the release; mark it executable in git (\`git update-index --chmod=+x ${script}\`).`,
  );
}

const PATHS: readonly RegExp[] = [
  /EACCES: permission denied, \w+ '([^']+)'/,
  /PermissionError: \[Errno 13\] Permission denied: '([^']+)'/,
  /(?:cannot|can't) (?:create|open|write|touch|remove)[^\n]*?'([^']+)'[^\n]*Permission denied/,
  /'?(\/[^\s':]+)'?: Permission denied/,
];

/**
 * A write outside the release directory. When the path comes from one of the module's variables
 * the variable is pointed into the release (its working directory); otherwise there is nothing the
 * manifest can change, and the reason says how to move the write.
 */
function deniedPath(input: DiagnosisInput): Diagnosis | null {
  const path = PATHS.map((p) => p.exec(input.logTail)?.[1]).find((p) => p !== undefined);
  if (!path) return null;
  const build = input.module.build_command;
  if (/\/node_modules\b/.test(path) && /\bnpm (?:install|i) (?:-g|--global)\b/.test(build)) {
    return {
      fix: {
        kind: 'set_command',
        field: 'build_command',
        value: build.replace(/\bnpm (install|i) (?:-g|--global)\b/g, 'npm $1'),
      },
      reason: `A global npm install cannot write ${path}. Installing into the release's node_modules instead (its binaries run through npx or npm scripts).`,
    };
  }
  const owner = Object.entries(input.module.environment_variables).find(([, value]) => value === path);
  const name = path.split('/').filter(Boolean).at(-1);
  if (owner && name && path.startsWith('/') && owner[1] !== `./${name}`) {
    return {
      fix: { kind: 'set_env', name: owner[0], value: `./${name}` },
      reason: `The app cannot write ${path} (set by ${owner[0]}). Pointing ${owner[0]} at ./${name} inside the release directory, which the deploy user owns.`,
    };
  }
  return noFix(
    `The app cannot write ${path}: the deploy user may write only inside the app's directory. Make the path configurable ` +
      '(an environment variable) and point it into the release or shared directory, or create it on the target with the right owner.',
  );
}

function dockerSocket(input: DiagnosisInput): Diagnosis | null {
  if (!/permission denied while trying to connect to the Docker daemon socket/i.test(input.logTail))
    return null;
  return noFix(
    'The deploy user may not use Docker: add it to the docker group on the target (or deploy as root).',
  );
}

export const permissionDenied: DiagnosisRule = {
  id: 'permission_denied',
  diagnose(input: DiagnosisInput) {
    if (!DENIED.test(input.logTail)) return null;
    return lowPort(input) ?? dockerSocket(input) ?? notExecutable(input) ?? deniedPath(input);
  },
};
