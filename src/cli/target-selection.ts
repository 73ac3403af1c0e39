import { AutomatosError } from '../core/index.js';

/** `k=v` pairs as typed on the command line; a bare `k` is the label with an empty value. */
export function parseLabels(labels: readonly string[] = []): Record<string, string> {
  return Object.fromEntries(
    labels.map((label) => {
      const at = label.indexOf('=');
      return at > 0 ? [label.slice(0, at), label.slice(at + 1)] : [label, ''];
    }),
  );
}

/**
 * The targets of a deploy: `--target a,b` names them, `--label role=web` selects every registered
 * target carrying all the given labels; both together take the union. Selecting nothing is an error,
 * never a silent no-op. `registered` lists the targets, from the store or from the server.
 */
export async function resolveTargets(
  opts: { target?: string; label?: string[] },
  registered: () => Promise<readonly { name: string; labels: Record<string, string> }[]>,
): Promise<string[]> {
  const named = (opts.target ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  const wanted = Object.entries(parseLabels(opts.label));
  if (named.length === 0 && wanted.length === 0) {
    throw new AutomatosError('AUT_USAGE', 'give --target NAME[,NAME…] or --label KEY=VALUE');
  }
  const labelled =
    wanted.length === 0
      ? []
      : (await registered()).filter((t) => wanted.every(([k, v]) => t.labels[k] === v)).map((t) => t.name);
  if (wanted.length > 0 && labelled.length === 0) {
    const shown = wanted.map(([k, v]) => `${k}=${v}`).join(', ');
    throw new AutomatosError('AUT_NOT_FOUND', `no registered target has the labels ${shown}`);
  }
  return [...new Set([...named, ...labelled])];
}
