import type { ReviewFinding } from './conclude.js';

/** One line per finding, for logs, `workflows show` and `plan`. */
export function findingLine(f: ReviewFinding): string {
  switch (f.kind) {
    case 'denied':
      return `denied on ${f.target}, ${f.step}: ${f.command} — ${f.rule}: ${f.reason}`;
    case 'high_risk':
      return `high risk (${f.risk}) on ${f.target}, ${f.step}: ${f.command} — ${f.rule}: ${f.reason}`;
    case 'unmet_requirement':
      return `unmet requirement: ${f.text} — ${f.why}`;
  }
}
