import { describe, expect, it } from 'vitest';
import { createRedactor, redact, redactCredentials } from '../../src/security/index.js';

describe('redact (exact values)', () => {
  it.each([
    ['every occurrence', 'pw=hunter22 again hunter22', ['hunter22'], 'pw=[REDACTED] again [REDACTED]'],
    ['several secrets', 'a=alpha1 b=bravo2', ['alpha1', 'bravo2'], 'a=[REDACTED] b=[REDACTED]'],
    ['longest first when overlapping', 'tok=abcdefgh', ['abcd', 'abcdefgh'], 'tok=[REDACTED]'],
    ['regex characters taken literally', 'x=a.b*c+(d)', ['a.b*c+(d)'], 'x=[REDACTED]'],
    ['multi-line secrets', 'k=line1\nline2 end', ['line1\nline2'], 'k=[REDACTED] end'],
    ['secrets under 4 chars ignored', 'id=abc', ['abc'], 'id=abc'],
    ['no secrets', 'nothing here', [], 'nothing here'],
  ])('%s', (_name, text, secrets, expected) => {
    expect(redact(text, secrets)).toBe(expected);
  });
});

describe('redactCredentials (patterns)', () => {
  it.each([
    [
      'PEM private key block',
      'key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEabc\ndef==\n-----END RSA PRIVATE KEY-----\ndone',
      'key:\n-----BEGIN RSA PRIVATE KEY-----[REDACTED]-----END RSA PRIVATE KEY-----\ndone',
    ],
    [
      'cut-off OpenSSH key block',
      'x -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNz',
      'x -----BEGIN OPENSSH PRIVATE KEY-----[REDACTED]-----END OPENSSH PRIVATE KEY-----',
    ],
    ['password=', 'mysql --password=hunter2 -u root', 'mysql --password=[REDACTED] -u root'],
    ['env assignment', 'DB_PASSWORD=s3cret npm start', 'DB_PASSWORD=[REDACTED] npm start'],
    [
      'api key in query string',
      'curl "https://x.io/?api_key=abc123&q=1"',
      'curl "https://x.io/?api_key=[REDACTED]&q=1"',
    ],
    [
      'JSON keeps its quotes',
      '{"client_secret": "zzz", "name": "a"}',
      '{"client_secret": "[REDACTED]", "name": "a"}',
    ],
    ['YAML', 'token: abc.def', 'token: [REDACTED]'],
    [
      'Authorization Bearer',
      'curl -H "Authorization: Bearer eyJhbGciOi.x.y" https://api',
      'curl -H "Authorization: Bearer [REDACTED]" https://api',
    ],
    ['Authorization Basic', 'Authorization: Basic dXNlcjpwYXNz', 'Authorization: Basic [REDACTED]'],
    ['bare bearer token', 'auth with Bearer abcdefgh12345', 'auth with Bearer [REDACTED]'],
    [
      'URL user:pass@',
      'git clone https://bob:pa55w0rd@github.com/o/r.git',
      'git clone https://bob:[REDACTED]@github.com/o/r.git',
    ],
    ['URL password with @', 'postgres://app:p@ss@db:5432/x', 'postgres://app:[REDACTED]@db:5432/x'],
    ['AWS access key id', 'AKIAIOSFODNN7EXAMPLE used', '[REDACTED] used'],
    ['GitHub token', 'ghp_0123456789abcdefghijklmnopqrstuvwxyz', '[REDACTED]'],
  ])('redacts %s', (_name, text, expected) => {
    expect(redactCredentials(text)).toBe(expected);
  });

  it.each([
    ['an ordinary deploy command', 'npm ci && npm run build'],
    ['a URL without password', 'git clone https://github.com/o/r.git ssh://git@host:22/r'],
    ['names that only contain a keyword', 'PASSWORD_FILE=/run/secrets/db max_tokens=5 PWD=/srv'],
    ['a public key', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMq user@host'],
  ])('leaves %s alone', (_name, text) => {
    expect(redactCredentials(text)).toBe(text);
  });
});

describe('createRedactor', () => {
  it('applies known values, then patterns', () => {
    const r = createRedactor(['my-app-secret-9']);
    expect(r('echo my-app-secret-9 && curl https://u:p4ss@h/')).toBe(
      'echo [REDACTED] && curl https://u:[REDACTED]@h/',
    );
  });
});

describe('redactCredentials (command-line credentials)', () => {
  it.each([
    ['curl -u', 'curl -u admin:S3cretPass https://x', 'curl -u admin:[REDACTED] https://x'],
    ['--user', 'curl --user admin:S3cretPass x', 'curl --user admin:[REDACTED] x'],
    ['mysql -pVALUE', 'mysql -uroot -pS3cretPass db', 'mysql -uroot -p[REDACTED] db'],
    ['mysql -p alone prompts', 'mysqldump -p db', 'mysqldump -p db'],
    ['--password VALUE', 'app --password S3cretPass --x', 'app --password [REDACTED] --x'],
    ['--token quoted', "app --token 'abc def'", "app --token '[REDACTED]'"],
    ['mkdir -p untouched', 'mkdir -p /x', 'mkdir -p /x'],
  ])('%s', (_name, text, expected) => {
    expect(redactCredentials(text)).toBe(expected);
  });
});
