/**
 * One repository written several ways (https with or without `.git`, scp-like ssh, ssh://) compares
 * equal: host and path, lower-cased, without the `.git` suffix or credentials.
 */
export function repositoryKey(url: string): string {
  const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/\/)(.+)$/.exec(url);
  let host: string;
  let path: string;
  if (scp !== null && !url.includes('://')) {
    host = scp[1] ?? '';
    path = scp[2] ?? '';
  } else {
    try {
      const parsed = new URL(url);
      host = parsed.hostname;
      path = parsed.pathname;
    } catch {
      return url.trim().toLowerCase();
    }
  }
  return `${host}/${path
    .replace(/^\/+/, '')
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')}`.toLowerCase();
}
