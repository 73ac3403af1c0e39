import { describe, expect, it } from 'vitest';
import { classifyGitUrl, redactUrl, validateRef } from '../../src/source/index.js';

describe('classifyGitUrl', () => {
  it.each([
    ['https://github.com/acme/app.git', 'https'],
    ['ssh://git@github.com:22/acme/app.git', 'ssh'],
    ['git@github.com:acme/app.git', 'scp'],
    ['file:///srv/git/app.git', 'file'],
  ])('accepts %s as %s', (url, kind) => {
    expect(classifyGitUrl(url)).toBe(kind);
  });

  it.each([
    ['ext::sh -c touch% /tmp/pwned', 'remote-helper transports'],
    ['fd::17', 'remote-helper transports'],
    ['--upload-pack=touch /tmp/pwned', 'starts with "-"'],
    ['https://example.com/x.git --upload-pack=evil', 'whitespace'],
    ['ssh://-oProxyCommand=evil/x', 'starts with "-"'],
    ['-oProxyCommand=evil:x', 'starts with "-"'],
    ['http://example.com/app.git', 'unencrypted'],
    ['git://example.com/app.git', 'unencrypted'],
    ['ftp://example.com/app.git', 'ftp:// scheme is not supported'],
    ['not a url', 'whitespace'],
    ['./does-not-exist', 'local directory that exists'],
    ['https://a.example/x\u0000', 'control characters'],
  ])('refuses %s', (url, why) => {
    expect(() => classifyGitUrl(url)).toThrow(why);
  });
});

describe('redactUrl', () => {
  it('hides credentials', () => {
    expect(redactUrl('https://user:ghp_secret@github.com/a/b.git')).toBe('https://***@github.com/a/b.git');
  });
});

describe('validateRef', () => {
  it.each(['main', 'v1.2.3', 'feature/login', 'a1b2c3d'])('accepts %s', (ref) => {
    expect(validateRef(ref)).toBe(ref);
  });
  it.each(['--upload-pack=x', 'a..b', 'main@{1}', 'x.lock', '', 'a b', '/abs', 'head^'])(
    'refuses %j',
    (ref) => {
      expect(() => validateRef(ref)).toThrow('invalid --ref');
    },
  );
});
