import { AutomatosError } from '../core/index.js';

export type GitUrlKind = 'https' | 'ssh' | 'scp' | 'file';

const SCP_LIKE = /^([A-Za-z0-9._-]+@)?([A-Za-z0-9.-]+):(?!\/\/)(.+)$/;
// Whitespace and control characters have no place in a URL and are how argument smuggling starts.
const hasUnprintable = (text: string): boolean =>
  [...text].some((ch) => /\s/.test(ch) || ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);

const TOKEN_PARAM = /^(access_token|token|private_token|auth|key|api_key|password|secret|sig|signature)$/i;

/**
 * Credentials in a URL never reach a log line or an error message: the whole userinfo (up to the
 * last `@` of the authority, since passwords may contain `@`) and token-like query parameters.
 */
export function redactUrl(url: string): string {
  const scheme = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/is.exec(url);
  if (scheme === null) return url;
  const [, prefix = '', authority = '', rest = ''] = scheme;
  const at = authority.lastIndexOf('@');
  const host = at < 0 ? authority : `***@${authority.slice(at + 1)}`;
  const query = rest.replace(/([?&])([^=&#]+)=([^&#]*)/g, (whole, sep: string, name: string) =>
    TOKEN_PARAM.test(name) ? `${sep}${name}=***` : whole,
  );
  return `${prefix}${host}${query}`;
}

function invalid(url: string, why: string): AutomatosError {
  return new AutomatosError('AUT_SOURCE_INVALID', `refusing git URL ${redactUrl(url)}: ${why}`, {
    details: { url: redactUrl(url) },
  });
}

/**
 * Accepts https://, ssh://, file:// and scp-like user@host:path. Everything else — git's `ext::` and
 * `fd::` transports, plain http, option-looking values, hosts that would reach ssh as an option — is
 * refused before git ever sees it.
 */
export function classifyGitUrl(url: string): GitUrlKind {
  if (/^[A-Za-z0-9+.-]+::/.test(url)) {
    throw invalid(url, 'git remote-helper transports such as ext:: and fd:: can run arbitrary commands');
  }
  // Judge the URL as git and ssh will see it: percent-encoding must not hide a dash or a space.
  let decoded: string;
  try {
    decoded = decodeURIComponent(url);
  } catch {
    throw invalid(url, 'it has a malformed percent-encoding');
  }
  if (decoded !== url) classifyDecoded(decoded, url);
  return classifyDecoded(url, url);
}

function classifyDecoded(url: string, original: string): GitUrlKind {
  if (/(^|[/@:])-/.test(url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '/'))) {
    throw invalid(
      original,
      'a host, user or path segment starts with "-" and could reach git or ssh as an option',
    );
  }
  if (url.startsWith('-')) throw invalid(url, 'it starts with "-" and would be read as a git option');
  if (/^[A-Za-z0-9+.-]+::/.test(url)) {
    throw invalid(url, 'git remote-helper transports such as ext:: and fd:: can run arbitrary commands');
  }
  if (hasUnprintable(url)) throw invalid(url, 'it contains whitespace or control characters');
  if (/--upload-pack|--receive-pack|--config|-c\s/i.test(url)) {
    throw invalid(url, 'it carries a git option (--upload-pack, --config …)');
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url)?.[1]?.toLowerCase();
  if (scheme !== undefined) return classifyScheme(url, scheme);
  const scp = SCP_LIKE.exec(url);
  if (scp !== null) {
    if (scp[2]?.startsWith('-'))
      throw invalid(url, 'the host starts with "-" and would reach ssh as an option');
    return 'scp';
  }
  throw invalid(url, 'use https://, ssh://, file:// or user@host:path, or a local directory that exists');
}

function classifyScheme(url: string, scheme: string): GitUrlKind {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(url, 'it is not a well-formed URL');
  }
  switch (scheme) {
    case 'https':
      if (parsed.hostname === '') throw invalid(url, 'it has no host');
      return 'https';
    case 'ssh':
    case 'git+ssh':
      if (parsed.hostname === '' || parsed.hostname.startsWith('-')) {
        throw invalid(url, 'the host is empty or starts with "-" and would reach ssh as an option');
      }
      return 'ssh';
    case 'file':
      return 'file';
    case 'http':
    case 'git':
      throw invalid(url, `${scheme}:// is unauthenticated and unencrypted; use https:// or ssh://`);
    default:
      throw invalid(url, `the ${scheme}:// scheme is not supported; use https://, ssh:// or file://`);
  }
}

/** A ref is a branch, tag or commit: nothing that git could read as an option or a revision range. */
export function validateRef(ref: string): string {
  const bad =
    ref === '' ||
    ref.length > 255 ||
    ref.startsWith('-') ||
    ref.startsWith('/') ||
    ref.endsWith('/') ||
    ref.endsWith('.lock') ||
    ref.includes('..') ||
    ref.includes('@{') ||
    !/^[A-Za-z0-9._/+-]+$/.test(ref);
  if (bad) {
    throw new AutomatosError(
      'AUT_SOURCE_INVALID',
      `invalid --ref ${JSON.stringify(ref)}: use a branch, tag or commit SHA (letters, digits, . _ / + -; ` +
        'not starting with "-", no "..")',
      { details: { ref } },
    );
  }
  return ref;
}

export const isCommitSha = (ref: string): boolean => /^[0-9a-f]{7,40}$/i.test(ref);
