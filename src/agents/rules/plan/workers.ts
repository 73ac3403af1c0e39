import type { Intent } from '../intent/index.js';
import { met, unmet, type Handler } from './context.js';

type WorkersIntent = Extract<Intent, { kind: 'workers' }>;

const MAX_WORKERS = 64;

/** Servers whose worker count is a flag of the start command; `-w`/`--workers` in all three. */
const SERVERS: readonly { name: string; program: RegExp; flag: string }[] = [
  { name: 'gunicorn', program: /(^|[\s/])gunicorn\s/, flag: '--workers' },
  { name: 'uvicorn', program: /(^|[\s/])uvicorn\s/, flag: '--workers' },
  { name: 'puma', program: /(^|[\s/])puma(\s|$)/, flag: '--workers' },
];
const WORKER_FLAG = /\s(?:-w|--workers)(?:\s+|=)\d+/;

/** Why a start command without such a server cannot run several workers. */
function whyNot(start: string): string {
  if (/\bflask\b.*\brun\b|\bpython3?\s+\S+\.py\b|manage\.py runserver/.test(start)) {
    return "the app runs on the framework's development server, which is one process; add gunicorn to the app's dependencies and detection starts it with gunicorn, where workers can be set";
  }
  if (/\b(node|npm|pnpm|yarn|bun|npx)\b/.test(start)) {
    return 'a Node app runs as one process; clustering (node:cluster, PM2) has to be part of the app';
  }
  if (/\brails server\b/.test(start)) {
    return 'rails server takes no worker count; set `workers` in config/puma.rb (many read WEB_CONCURRENCY)';
  }
  return `Automatos knows no worker setting for this start command (${start})`;
}

export const handleWorkers: Handler<WorkersIntent> = (intent, ctx) => {
  const { count } = intent;
  if (intent.negated) return unmet(intent.text, 'not understood: a worker count can be set, not refused');
  if (!Number.isInteger(count) || count < 1 || count > MAX_WORKERS) {
    return unmet(intent.text, `${count} workers is outside 1–${MAX_WORKERS}`);
  }
  const start = ctx.module.start_command;
  const server = SERVERS.find((s) => s.program.test(start));
  if (!server) return unmet(intent.text, whyNot(start));
  const next = WORKER_FLAG.test(start)
    ? start.replace(WORKER_FLAG, ` ${server.flag} ${count}`)
    : `${start} ${server.flag} ${count}`;
  ctx.module.start_command = next;
  return met(intent.text, `start_command runs ${server.name} with ${server.flag} ${count}: ${next}`);
};
