import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { repositoryKey } from '../../src/source/index.js';
import { parseGithubPush, parseGitlabPush } from '../../src/server/webhooks/push.js';
import { verifyGithubSignature, verifyGitlabToken } from '../../src/server/webhooks/signature.js';

const SECRET = 'a webhook secret';
const sign = (body: Buffer, secret = SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
const SHA = 'a'.repeat(40);

describe('webhook signatures', () => {
  const body = Buffer.from('{"ref":"refs/heads/main"}');

  it('accepts GitHub’s HMAC-SHA256 of the raw body and nothing else', () => {
    expect(verifyGithubSignature(SECRET, body, sign(body))).toBe(true);
    expect(verifyGithubSignature(SECRET, body, sign(body, 'other secret'))).toBe(false);
    expect(verifyGithubSignature(SECRET, Buffer.from('{"ref": "refs/heads/main"}'), sign(body))).toBe(false);
    expect(verifyGithubSignature(SECRET, body, undefined)).toBe(false);
    expect(verifyGithubSignature(SECRET, body, 'sha1=abc')).toBe(false);
    expect(verifyGithubSignature(SECRET, body, sign(body).toUpperCase())).toBe(false);
    expect(verifyGithubSignature(SECRET, body, `${sign(body)}00`)).toBe(false);
  });

  it('accepts GitLab’s token only when it is exactly the secret', () => {
    expect(verifyGitlabToken(SECRET, SECRET)).toBe(true);
    expect(verifyGitlabToken(SECRET, `${SECRET} `)).toBe(false);
    expect(verifyGitlabToken(SECRET, '')).toBe(false);
    expect(verifyGitlabToken(SECRET, undefined)).toBe(false);
  });
});

describe('push payloads', () => {
  it('reads a GitHub branch push', () => {
    expect(
      parseGithubPush({
        ref: 'refs/heads/main',
        after: SHA,
        repository: {
          clone_url: 'https://github.com/acme/shop.git',
          ssh_url: 'git@github.com:acme/shop.git',
        },
      }),
    ).toEqual({
      urls: ['https://github.com/acme/shop.git', 'git@github.com:acme/shop.git'],
      branch: 'main',
      commit: SHA,
      deleted: false,
    });
  });

  it('reads tags and deletions as nothing to deploy, and rejects what is not a push', () => {
    expect(parseGithubPush({ ref: 'refs/tags/v1', after: SHA, repository: {} })?.branch).toBeNull();
    expect(parseGithubPush({ ref: 'refs/heads/main', after: '0'.repeat(40), repository: {} })).toMatchObject({
      deleted: true,
      commit: null,
    });
    expect(parseGithubPush({ zen: 'Keep it logically awesome.' })).toBeNull();
    expect(parseGithubPush('not an object')).toBeNull();
    expect(
      parseGithubPush({ ref: 'refs/heads/main', after: 'not-a-sha', repository: {} })?.commit,
    ).toBeNull();
  });

  it('reads a GitLab push and ignores other hooks', () => {
    expect(
      parseGitlabPush({
        object_kind: 'push',
        ref: 'refs/heads/release',
        after: SHA,
        project: { git_http_url: 'https://gitlab.com/acme/shop.git' },
      }),
    ).toEqual({ urls: ['https://gitlab.com/acme/shop.git'], branch: 'release', commit: SHA, deleted: false });
    expect(parseGitlabPush({ object_kind: 'merge_request', ref: 'x', after: SHA, project: {} })).toBeNull();
  });

  it('matches one repository however its URL is written', () => {
    const key = repositoryKey('https://github.com/Acme/Shop.git');
    for (const url of [
      'https://github.com/acme/shop',
      'git@github.com:acme/shop.git',
      'ssh://git@github.com/acme/shop.git',
      'https://token@github.com/acme/shop/',
    ]) {
      expect(repositoryKey(url)).toBe(key);
    }
    expect(repositoryKey('https://github.com/acme/shop-api')).not.toBe(key);
    expect(repositoryKey('https://gitlab.com/acme/shop')).not.toBe(key);
  });
});
