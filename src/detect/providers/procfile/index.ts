import type { Provider, StartOverride } from '../../provider.js';
import type { RepoView } from '../../repo-view.js';
import { evidence, firstLine, where } from '../../text.js';
import { portFromCommand } from '../../port.js';
import type { Language } from '../../types.js';

/** The program a Procfile command runs says which stack it belongs to. */
const PROGRAM_LANGUAGE: Record<string, Language> = {
  gunicorn: 'python',
  uvicorn: 'python',
  hypercorn: 'python',
  daphne: 'python',
  'waitress-serve': 'python',
  streamlit: 'python',
  flask: 'python',
  python: 'python',
  python3: 'python',
  celery: 'python',
  node: 'node',
  npm: 'node',
  npx: 'node',
  yarn: 'node',
  pnpm: 'node',
  bun: 'node',
  bundle: 'ruby',
  rails: 'ruby',
  puma: 'ruby',
  rackup: 'ruby',
  ruby: 'ruby',
  java: 'java',
  php: 'php',
  'heroku-php-apache2': 'php',
  'heroku-php-nginx': 'php',
};

/** First word after any leading `VAR=value` assignments. */
export function programOf(command: string): string {
  const words = command.trim().split(/\s+/);
  const program = words.find((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) ?? '';
  return program.replace(/^.*\//, '');
}

function procfileOverride(view: RepoView): StartOverride | null {
  const text = view.readText('Procfile');
  const hit = text === null ? null : firstLine(text, /^web:\s*(.+?)\s*$/);
  const command = hit?.match[1];
  if (!hit || !command) return null;
  const at = where('Procfile', hit.line);
  const language = PROGRAM_LANGUAGE[programOf(command)] ?? null;
  return {
    start: { value: command, source: `${at}: ${hit.text}` },
    port: ((p) => (p ? { value: p.port, source: p.source } : null))(portFromCommand(command, at)),
    language,
    evidence: evidence('Procfile', `web process: ${command}`, 0, hit.line),
  };
}

/** Not a stack: a Procfile says how to run whichever stack is chosen, so it only overrides. */
export const procfileProvider: Provider = { id: 'procfile', detect: () => [], override: procfileOverride };
