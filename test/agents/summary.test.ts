import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarizeRepository } from '../../src/agents/index.js';
import { MAX_MANIFEST_CHARS, MAX_TREE_FILES, isSensitivePath } from '../../src/agents/summary/index.js';
import { detectRepository, directoryView, memoryView } from '../../src/detect/index.js';

/** Values that must never reach a planner, each planted somewhere in the repository. */
const SECRETS = {
  dotenv: 'dotenv-secret-value-1111',
  dotenvProd: 'prod-db-password-2222',
  pem: 'MIIEpAIBAAKCAQEA3333fakekeymaterial',
  credentials: 'credentials-json-secret-4444',
  npmrc: 'npm-auth-token-5555',
  dockerEnv: 'docker-env-password-6666',
  dockerArg: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
  requirementsUrl: 's3cr3t-url-password-7777',
  pyproject: 'pyproject-password-8888',
  packageJson: 'Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0LzXcVbNm12Pq',
  packageAuth: 'package-auth-value-9999',
  sshKey: 'ed25519-private-material-0000',
  serverKey: 'server-key-material-1212',
  tfvars: 'tfvars-secret-1313',
};

const REPO: Record<string, string> = {
  'package.json': JSON.stringify(
    {
      name: 'shop',
      version: '1.0.0',
      author: 'Ada Lovelace',
      scripts: { start: 'node server.js' },
      dependencies: { express: '^4.19.2', 'express-basic-auth': '^1.2.1' },
      config: { apiToken: SECRETS.packageJson, auth: SECRETS.packageAuth },
    },
    null,
    2,
  ),
  'server.js': "require('express')().listen(process.env.PORT || 3000);\n",
  'requirements.txt': `flask==3.0.3\ntokenizers==0.15.2\ngit+https://deploy:${SECRETS.requirementsUrl}@github.com/acme/private.git\n`,
  'pyproject.toml': `[project]\nname = "shop"\n\n[tool.publish]\npassword = "${SECRETS.pyproject}"\n`,
  Dockerfile: `FROM node:20\nENV DB_PASSWORD ${SECRETS.dockerEnv}\nARG GITHUB_TOKEN=${SECRETS.dockerArg}\nENV PORT=3000\nCMD ["node", "server.js"]\n`,
  '.env': `PORT=3000\nSECRET_KEY=${SECRETS.dotenv}\n`,
  '.env.production': `DATABASE_URL=postgres://app:${SECRETS.dotenvProd}@db/app\n`,
  '.npmrc': `//registry.npmjs.org/:_authToken=${SECRETS.npmrc}\n`,
  id_rsa: `-----BEGIN RSA PRIVATE KEY-----\n${SECRETS.pem}\n-----END RSA PRIVATE KEY-----\n`,
  'config/credentials.json': JSON.stringify({ key: SECRETS.credentials }),
  'deploy/.ssh/id_ed25519': SECRETS.sshKey,
  'certs/server.key': SECRETS.serverKey,
  'infra/prod.tfvars': `db_password = "${SECRETS.tfvars}"\n`,
};

function summarize(files: Record<string, string>) {
  const view = memoryView(files);
  return summarizeRepository(view, detectRepository(view), 'shop');
}

describe('repository summary', () => {
  const summary = summarize(REPO);
  const text = JSON.stringify(summary);

  it.each(Object.entries(SECRETS))('never contains the %s secret', (_where, secret) => {
    expect(text).not.toContain(secret);
  });

  it('lists no secret-bearing file, by name or content', () => {
    expect(summary.files).toEqual(
      expect.not.arrayContaining([
        '.env',
        '.env.production',
        '.npmrc',
        'id_rsa',
        'config/credentials.json',
        'deploy/.ssh/id_ed25519',
        'certs/server.key',
        'infra/prod.tfvars',
      ]),
    );
    expect(summary.files).toEqual(expect.arrayContaining(['package.json', 'server.js', 'Dockerfile']));
    expect(Object.keys(summary.manifests).sort()).toEqual([
      'Dockerfile',
      'package.json',
      'pyproject.toml',
      'requirements.txt',
    ]);
  });

  it('keeps what a planner needs from the manifests it does show', () => {
    expect(summary.manifests['package.json']).toContain('"express-basic-auth"');
    expect(summary.manifests['package.json']).toContain('"author": "Ada Lovelace"');
    expect(summary.manifests['requirements.txt']).toContain('tokenizers==0.15.2');
    expect(summary.manifests['requirements.txt']).toContain(
      'git+https://deploy:[REDACTED]@github.com/acme/private.git',
    );
    expect(summary.manifests['Dockerfile']).toContain('ENV DB_PASSWORD [REDACTED]');
    expect(summary.manifests['Dockerfile']).toContain('ENV PORT=3000');
  });

  it('carries the ranked candidates with their evidence', () => {
    expect(summary.name).toBe('shop');
    expect(summary.candidates[0]).toMatchObject({
      language: 'node',
      framework: 'express',
      start: 'npm start',
      port: 3000,
    });
    expect(summary.candidates[0]?.evidence.length).toBeGreaterThan(0);
    expect(summary.candidates[0]?.evidence[0]).toEqual({
      file: expect.any(String),
      detail: expect.any(String),
    });
  });

  it('bounds the tree, root files first, and cuts long manifests with a marker', () => {
    const many: Record<string, string> = {
      'package.json': JSON.stringify({ name: 'big', description: 'x'.repeat(20_000) }),
    };
    for (let i = 0; i < 400; i++) many[`src/a/module${String(i).padStart(3, '0')}.js`] = '';
    many['README.md'] = '# big';
    const big = summarize(many);
    expect(big.files).toHaveLength(MAX_TREE_FILES);
    expect(big.files.slice(0, 2)).toEqual(['README.md', 'package.json']);
    expect(big.manifests['package.json']?.length).toBeLessThan(MAX_MANIFEST_CHARS + 100);
    expect(big.manifests['package.json']).toMatch(/more characters not shown\)$/);
  });
});

describe('sensitive paths', () => {
  it.each([
    '.env',
    '.env.local',
    'config/.env.prod',
    '.envrc',
    'prod.env',
    'id_rsa',
    'keys/id_ed25519.pub',
    'tls/server.pem',
    'app.key',
    'config/master.key',
    'config/credentials.yml.enc',
    'secrets.yaml',
    'client_secret.json',
    'service-account-prod.json',
    '.npmrc',
    '.pypirc',
    '.netrc',
    '.git-credentials',
    '.aws/config',
    'home/.ssh/known_hosts',
    'terraform.tfstate',
    'api-token.txt',
  ])('%s is hidden', (path) => {
    expect(isSensitivePath(path)).toBe(true);
  });

  it.each([
    'package.json',
    'src/tokenizer.py',
    'docs/environment.md',
    'keyboard.js',
    'authors.txt',
    'Dockerfile',
  ])('%s is shown', (path) => {
    expect(isSensitivePath(path)).toBe(false);
  });
});

describe('summarizeRepository on disk', () => {
  it('does not read a secret file through a link that carries a manifest name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'automatos-summary-link-'));
    try {
      await writeFile(join(dir, '.env'), 'SESSION=linked-dotenv-value-4242\n');
      await symlink('.env', join(dir, 'Dockerfile'));
      await writeFile(join(dir, 'requirements.txt'), 'flask==3.0.0\n');
      await writeFile(join(dir, 'app.py'), 'from flask import Flask\n');
      const view = directoryView(dir);
      const summary = summarizeRepository(view, detectRepository(view), 'linked');
      expect(summary.manifests['requirements.txt']).toContain('flask');
      expect(summary.manifests['Dockerfile']).toBeUndefined();
      expect(JSON.stringify(summary)).not.toContain('linked-dotenv-value-4242');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
