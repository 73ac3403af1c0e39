/**
 * Redaction by value: the old plain redaction (one split/join per secret, exact text only) against
 * the current one (every secret in plain, percent-encoded, hex and base64 forms, one scan), in the
 * same process, on a few MB of log text with ~20 secrets. Prints milliseconds per pass and the
 * ratio new / old. Run: npx tsx bench/redact.ts  (BENCH_MB, BENCH_SECRETS, BENCH_RUNS to change it)
 */
import { randomBytes } from 'node:crypto';
import { createRedactor, redact, REDACTED } from '../src/security/index.js';

const MB = Number(process.env['BENCH_MB'] ?? 4);
const SECRETS = Number(process.env['BENCH_SECRETS'] ?? 20);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 15);

/** The implementation before encoded forms, kept here as the baseline. */
function plainRedact(text: string, secrets: readonly string[]): string {
  const values = [...new Set(secrets)].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  let out = text;
  for (const value of values) out = out.split(value).join(REDACTED);
  return out;
}

const secrets = Array.from({ length: SECRETS }, (_, i) =>
  i % 3 === 0 ? `pw-${randomBytes(9).toString('base64')}` : randomBytes(16).toString('base64url'),
);

/** Log lines with ids, paths, hex and base64 noise; a few lines carry a secret in some form. */
function logText(bytes: number): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i += 1) {
    const secret = secrets[i % secrets.length] ?? '';
    const extra =
      i % 997 === 0
        ? ` leaked=${secret} b64=${Buffer.from(secret).toString('base64')} hex=${Buffer.from(secret).toString('hex')}`
        : '';
    const line =
      `2025-05-01T12:00:${String(i % 60).padStart(2, '0')}.123Z INFO http request id=${randomBytes(6).toString('hex')} ` +
      `GET /api/v1/items/${i % 997}?page=${i % 7} status=200 took=${i % 13}ms user=alice ` +
      `etag=${randomBytes(12).toString('base64')}${extra}`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}

const text = logText(MB * 1024 * 1024);

function time(run: () => string): { ms: number; out: string } {
  let out = run(); // warm-up (and, for the new code, compiling the matcher)
  const started = performance.now();
  for (let i = 0; i < RUNS; i += 1) out = run();
  return { ms: (performance.now() - started) / RUNS, out };
}

const old = time(() => plainRedact(text, secrets));
const now = time(() => redact(text, secrets));
const redactor = createRedactor(secrets);
const full = time(() => redactor(text));

// Short chunks, as output streams arrive: per-call overhead matters more than throughput.
const chunks = text.slice(0, 256 * 1024).split('\n');
const chunkOld = time(() => chunks.map((c) => plainRedact(c, secrets)).join('\n'));
const chunkNew = time(() => chunks.map((c) => redact(c, secrets)).join('\n'));

const leaks = secrets.filter(
  (s) =>
    now.out.includes(s) ||
    now.out.includes(Buffer.from(s).toString('hex')) ||
    now.out.includes(Buffer.from(s).toString('base64').slice(0, -3)),
).length;

const fmt = (ms: number): string => `${ms.toFixed(2)} ms`;
console.log(
  `text ${(text.length / 1024 / 1024).toFixed(1)} MB, ${secrets.length} secrets, ${RUNS} runs each`,
);
console.log(`plain redaction (old)                       ${fmt(old.ms)}`);
console.log(
  `all forms (new redact)                      ${fmt(now.ms)}   ratio ${(now.ms / old.ms).toFixed(2)}x`,
);
console.log(`createRedactor (all forms + credential patterns) ${fmt(full.ms)}`);
console.log(`${chunks.length} line chunks, old                    ${fmt(chunkOld.ms)}`);
console.log(
  `${chunks.length} line chunks, new                    ${fmt(chunkNew.ms)}   ratio ${(chunkNew.ms / chunkOld.ms).toFixed(2)}x`,
);
console.log(`encoded forms left in clear by the new redaction: ${leaks}`);
