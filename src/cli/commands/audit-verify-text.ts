import type { AuditProblem, VerifyResult } from '../../audit/index.js';

function where(p: AuditProblem): string {
  const parts = [
    ...(p.line === null ? [] : [`line ${p.line}`]),
    ...(p.seq === null ? [] : [`record ${p.seq}`]),
    ...(p.id === null ? [] : [`id ${p.id}`]),
  ];
  return parts.length === 0 ? '' : ` ${parts.join(', ')}`;
}

function checkpointLines(v: VerifyResult): string[] {
  const c = v.checkpoints;
  if (c.file === null) return ['  checkpoints: none kept by this log'];
  const newest = c.last === null ? '' : `, the newest signs record ${c.last.seq} (${c.last.at})`;
  return [
    `  checkpoints: ${c.verified} of ${c.total} verified in ${c.file}${newest}`,
    ...(c.written === null ? [] : [`  checkpoint signed: record ${c.written.seq} (${c.written.at})`]),
  ];
}

/** `audit verify` as text: a first line scripts can match, then what was checked, each problem and each note. */
export function formatVerify(v: VerifyResult): string {
  const lines: string[] = [];
  const first = v.firstBroken;
  if (v.ok || first === null) {
    const hash = v.head === null ? '-' : `${v.head.hash.slice(0, 16)}…`;
    lines.push(`audit log intact: ${v.count} records, head ${hash}`);
  } else {
    const at = first.seq === null ? '' : ` at record ${first.seq}`;
    lines.push(`audit log BROKEN${at} (${first.reason}): ${first.message}`);
    lines.push(`${v.count} records verified before the first break`);
  }
  lines.push(
    v.keyedFrom === null
      ? '  keyed chain: not begun (every record is legacy SHA-256)'
      : `  keyed chain: from record ${v.keyedFrom} (HMAC-SHA256)`,
  );
  lines.push(...checkpointLines(v));
  if (!v.ok) {
    lines.push(`problems (${v.problems.length}):`);
    for (const p of v.problems) lines.push(`  ${p.check.padEnd(10)} ${p.reason}${where(p)}: ${p.message}`);
  }
  for (const note of v.notes) lines.push(`note: ${note}`);
  return `${lines.join('\n')}\n`;
}
