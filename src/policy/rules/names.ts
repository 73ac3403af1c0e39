/** Command-name families the rules share. Names are matched after stripping the directory. */

/** Tools that bring bytes in from the network. */
export const FETCHERS = new Set([
  'curl',
  'wget',
  'nc',
  'ncat',
  'netcat',
  'nc.traditional',
  'nc.openbsd',
  'socat',
  'fetch',
  'aria2c',
  'http',
  'https',
  'xh',
  'lwp-download',
  'lwp-request',
  'GET',
  'lynx',
  'links',
  'ftp',
  'tftp',
  'scp',
  'sftp',
  'ssh',
  'telnet',
  'openssl',
  'git',
  'rsync',
  'smbclient',
  'dig',
  'nslookup',
  'host',
]);

/** Tools that turn encoded text back into bytes (or code). */
export const DECODERS = new Set([
  'base64',
  'base32',
  'basenc',
  'xxd',
  'uudecode',
  'openssl',
  'gzip',
  'gunzip',
  'zcat',
  'bzip2',
  'bunzip2',
  'bzcat',
  'xz',
  'unxz',
  'xzcat',
  'rev',
]);

/** Network tools that can carry a shell's input/output to a remote peer. */
export const NET_TOOLS = new Set([
  'nc',
  'ncat',
  'netcat',
  'nc.traditional',
  'nc.openbsd',
  'socat',
  'telnet',
  'openssl',
]);

/** Non-shell interpreters and the option that takes inline code. */
export const INTERPRETERS: Record<string, { code: string; valueOpts: string }> = {
  python: { code: 'c', valueOpts: 'cmWXQ' },
  perl: { code: 'eE', valueOpts: 'eEMmIlx0' },
  ruby: { code: 'e', valueOpts: 'erICEFx' },
  node: { code: 'ep', valueOpts: 'eprC' },
  php: { code: 'rBRE', valueOpts: 'rBREFfcdz' },
  lua: { code: 'e', valueOpts: 'el' },
  deno: { code: '', valueOpts: '' },
  bun: { code: 'e', valueOpts: 'e' },
  tclsh: { code: '', valueOpts: '' },
  Rscript: { code: 'e', valueOpts: 'e' },
  awk: { code: '', valueOpts: 'fvF' },
};

/** Interpreter family of a command name (`python3.11` → python), if any. */
export function interpreterOf(name: string): string | undefined {
  if (/^python[0-9.]*$/.test(name) || name === 'pypy' || name === 'pypy3') return 'python';
  if (/^perl[0-9.]*$/.test(name)) return 'perl';
  if (/^ruby[0-9.]*$/.test(name)) return 'ruby';
  if (name === 'node' || name === 'nodejs') return 'node';
  if (/^php[0-9.]*$/.test(name)) return 'php';
  if (/^lua[0-9.]*$/.test(name) || name === 'luajit') return 'lua';
  return name in INTERPRETERS && name !== 'awk' ? name : undefined;
}
