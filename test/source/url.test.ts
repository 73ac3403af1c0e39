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
    ['ssh://%2DoProxyCommand=x/r', 'starts with "-"'],
    ['ssh://-oProxyCommand=x@host/r', 'starts with "-"'],
    ['https://h.example/x%20--upload-pack=y', 'whitespace'],
    ['https://h.example/%2D%2Dupload-pack=y', 'starts with "-"'],
    ['https://h.example/%ZZ', 'malformed percent-encoding'],
  ])('refuses %s', (url, why) => {
    expect(() => classifyGitUrl(url)).toThrow(why);
  });
});

describe('redactUrl', () => {
  it.each([
    ['https://user:ghp_secret@github.com/a/b.git', 'https://***@github.com/a/b.git'],
    ['https://u:p@ss@host.example/r', 'https://***@host.example/r'],
    ['https://host.example/r.git?access_token=abc&x=1', 'https://host.example/r.git?access_token=***&x=1'],
    ['git@github.com:a/b.git', 'git@github.com:a/b.git'],
  ])('hides credentials in %s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
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
