/**
 * Paths whose contents (and names) never reach a planner: environment files, keys, credential
 * stores and anything named like a secret. Matched on every path segment, so `config/.env.prod`
 * and `deploy/.ssh/id_ed25519` are caught wherever they sit. The list errs on the side of hiding:
 * a planner misses little without a certificate, and an LLM provider must never see a key.
 */
const SENSITIVE_NAMES: readonly RegExp[] = [
  /^\.env/i,
  /\.env$/i,
  /\.(pem|key|p12|pfx|jks|keystore|ppk|crt|cer|der|asc|gpg|kdbx|tfvars|tfstate)$/i,
  /^id_(rsa|dsa|ecdsa|ed25519)/i,
  /secret/i,
  /credential/i,
  /password|passwd/i,
  /(^|[._-])tokens?([._-]|$)/i,
  /^service[-_]?account.*\.json$/i,
  /^master\.key$/i,
  /^(\.npmrc|\.pypirc|\.netrc|_netrc|\.git-credentials|\.htpasswd|\.dockercfg|\.pgpass|\.boto|kubeconfig)$/i,
];

/** Directories that hold keys and logins for tools; everything under them is hidden. */
const SENSITIVE_DIRS: ReadonlySet<string> = new Set([
  '.ssh',
  '.aws',
  '.gnupg',
  '.kube',
  '.docker',
  '.azure',
  '.gcloud',
]);

export function isSensitivePath(path: string): boolean {
  const parts = path.split('/');
  if (parts.slice(0, -1).some((dir) => SENSITIVE_DIRS.has(dir.toLowerCase()))) return true;
  return parts.some((part) => SENSITIVE_NAMES.some((pattern) => pattern.test(part)));
}
