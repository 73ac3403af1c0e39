import type { SandboxMode } from './types.js';

/** What a target offers for confinement, as `targets check` and the guard see it. */
export interface SandboxReport {
  mode: SandboxMode;
  bwrap: boolean;
  /** Without bash, user commands run in POSIX sh and the policy denies what sh reads otherwise. */
  bash: boolean;
  /** bubblewrap could set up its namespaces here (user namespaces allowed, or root). */
  namespaces: boolean;
  /** Can user commands run here: in a working sandbox, or unconfined by the operator's choice. */
  ready: boolean;
  /** Why not, in words for the operator; null when ready. */
  problem: string | null;
}

/**
 * Asks the host whether it can sandbox: bwrap and bash present, and a trial bubblewrap with the
 * namespaces the launcher uses. Its stderr names the cause when the kernel refuses.
 */
export function sandboxProbeCommand(): string {
  return [
    'if command -v bwrap >/dev/null 2>&1; then echo bwrap=yes; else echo bwrap=no; fi',
    'if command -v bash >/dev/null 2>&1; then echo bash=yes; else echo bash=no; fi',
    'if command -v bwrap >/dev/null 2>&1; then ' +
      'if e=$(bwrap --ro-bind / / --dev /dev --proc /proc --unshare-pid --unshare-ipc --cap-drop ALL -- /bin/true 2>&1); ' +
      'then echo namespaces=yes; else echo "namespaces=no $e" | head -n 1; fi; fi',
  ].join('; ');
}

export function parseSandboxProbe(mode: SandboxMode, stdout: string): SandboxReport {
  const facts = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) facts.set(line.slice(0, at), line.slice(at + 1).trim());
  }
  const bwrap = facts.get('bwrap') === 'yes';
  const bash = facts.get('bash') === 'yes';
  const ns = facts.get('namespaces') ?? '';
  const namespaces = ns === 'yes';
  let problem: string | null = null;
  if (mode === 'bwrap' && !bwrap)
    problem = 'bubblewrap (bwrap) is not installed: install the bubblewrap package (a deploy installs it)';
  else if (mode === 'bwrap' && !namespaces)
    problem = `bubblewrap cannot create its namespaces here (${ns.replace(/^no\s*/, '') || 'no reason given'}): allow unprivileged user namespaces or connect as root`;
  return { mode, bwrap, bash, namespaces, ready: problem === null, problem };
}
