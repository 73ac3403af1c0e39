import { createHmac, timingSafeEqual } from 'node:crypto';

/** Equal-length buffers compared in constant time; different lengths are simply unequal. */
function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * GitHub's `X-Hub-Signature-256: sha256=<hex>`: HMAC-SHA256 of the raw body with the webhook
 * secret. The raw bytes matter — a re-serialised JSON body would not match.
 */
export function verifyGithubSignature(secret: string, rawBody: Buffer, header: string | undefined): boolean {
  if (header === undefined || !/^sha256=[0-9a-f]{64}$/.test(header)) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return sameBytes(Buffer.from(header.slice('sha256='.length), 'hex'), expected);
}

/** GitLab sends the shared token itself in `X-Gitlab-Token`. */
export function verifyGitlabToken(secret: string, header: string | undefined): boolean {
  if (header === undefined) return false;
  // Hash both sides first so the comparison never leaks the token's length.
  const digest = (text: string) => createHmac('sha256', 'automatos-gitlab-token').update(text).digest();
  return sameBytes(digest(header), digest(secret));
}
