import { describe, expect, it } from 'vitest';
import {
  candidateToManifest,
  detectDirectory,
  detectRepository,
  manifestFromDetection,
  memoryView,
  toDnsLabel,
  type Candidate,
  type Provider,
} from '../../src/detect/index.js';
import { makeCandidate } from '../../src/detect/candidate.js';
import { rankCandidates } from '../../src/detect/rank.js';
import { AiModuleSchema } from '../../src/manifest/index.js';

const draft = (provider: string, weight: number, start: string | null = 'run'): Candidate =>
  makeCandidate({
    provider,
    language: 'shell',
    framework: null,
    packageManager: null,
    versions: {},
    install: null,
    build: null,
    start: start === null ? null : { value: start, source: 'test' },
    test: null,
    port: null,
    moduleType: { value: 'automation', source: 'test' },
    systemDependencies: [],
    evidence: [{ file: 'x', detail: 'w', weight }],
  });

describe('rankCandidates', () => {
  it('orders by score, not by provider order, and is deterministic on ties', () => {
    const ranked = rankCandidates(
      [draft('docker', 1), draft('node', 5), draft('shell', 1), draft('python', 1)],
      null,
    );
    expect(ranked.candidates.map((c) => c.provider)).toEqual(['node', 'python', 'shell', 'docker']);
    expect(ranked.chosen?.provider).toBe('node');
  });

  it('skips candidates that cannot start or have no positive evidence', () => {
    const ranked = rankCandidates([draft('rust', 6, null), draft('node', 0), draft('static', 1)], null);
    expect(ranked.candidates.map((c) => c.provider)).toEqual(['rust', 'static', 'node']);
    expect(ranked.chosen?.provider).toBe('static');
  });

  it('confidence is in 0..1 and grows with evidence', () => {
    expect(draft('a', -2).confidence).toBe(0);
    expect(draft('a', 2).confidence).toBe(0.393);
    expect(draft('a', 7).confidence).toBe(0.826);
    expect(draft('a', 100).confidence).toBe(1);
  });
});

describe('detectRepository', () => {
  it('node tooling + Flask: python first, node lower with the reason', () => {
    const result = detectRepository(
      memoryView({
        'package.json': JSON.stringify({ devDependencies: { prettier: '3' } }),
        'requirements.txt': 'flask\n',
        'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
      }),
    );
    expect(result.candidates.map((c) => [c.language, c.confidence])).toEqual([
      ['python', 0.826],
      ['node', 0],
    ]);
    expect(result.chosen?.framework).toBe('flask');
  });

  it('a Procfile boosts the stack it names and overrides only the chosen start', () => {
    const result = detectRepository(
      memoryView({
        'requirements.txt': 'flask\ngunicorn\n',
        'app.py': 'app = Flask(__name__)\n',
        'package.json': JSON.stringify({ scripts: { start: 'node server.js' } }),
        Procfile: 'web: gunicorn app:app --bind 0.0.0.0:${PORT:-6000}\n',
      }),
    );
    expect(result.chosen?.start).toEqual({
      value: '.venv/bin/gunicorn app:app --bind 0.0.0.0:6000',
      source: 'Procfile:1: web: gunicorn app:app --bind 0.0.0.0:${PORT:-6000}',
    });
    expect(result.chosen?.port?.value).toBe(6000);
    expect(result.candidates[1]?.start?.value).toBe('npm start');
  });

  it('a provider that throws becomes a warning, not a crash', () => {
    const broken: Provider = {
      id: 'broken',
      detect: () => {
        throw new Error('boom');
      },
    };
    const result = detectRepository(memoryView({ 'start.sh': 'echo' }), [broken]);
    expect(result.warnings).toEqual(['Provider broken failed and was skipped: boom']);
    expect(result.chosen).toBeNull();
  });

  it('tier 1 with ai-module.yml reports that file', () => {
    const result = detectRepository(memoryView({ 'ai-module.yml': 'name: x\n' }));
    expect([result.tier, result.manifestFile, result.warnings]).toEqual([1, 'ai-module.yml', []]);
  });

  it('detectDirectory rejects a missing directory with AUT_IO', async () => {
    await expect(detectDirectory('/nonexistent/automatos-xyz')).rejects.toMatchObject({ code: 'AUT_IO' });
  });
});

describe('candidateToManifest', () => {
  it('takes name, version and description from the project file and passes the schema', () => {
    const view = memoryView({
      'package.json': JSON.stringify({
        name: '@acme/Orders_API',
        version: '2.1.0',
        description: 'Orders',
        scripts: { start: 'node s.js', build: 'tsc' },
      }),
      'package-lock.json': '{}',
    });
    const result = detectRepository(view);
    const manifest = manifestFromDetection(result, { dirName: 'checkout', view });
    expect(manifest).toMatchObject({
      name: 'orders-api',
      version: '2.1.0',
      description: 'Orders',
      build_command: 'npm ci && npm run build',
      start_command: 'npm start',
      test_command: null,
      environment_variables: {},
    });
    expect(AiModuleSchema.safeParse(manifest).success).toBe(true);
  });

  it('falls back to the directory name, 0.1.0 and a generated description; build is a real check', () => {
    const view = memoryView({ 'main.py': 'print(1)\n' });
    const chosen = detectRepository(view).chosen;
    if (!chosen) throw new Error('expected a candidate');
    const manifest = candidateToManifest(chosen, { dirName: 'My Scripts!', view });
    expect(manifest).toMatchObject({
      name: 'my-scripts',
      version: '0.1.0',
      description: 'A python automation deployed by Automatos (detected from main.py).',
      build_command: 'python3 -m compileall -q .',
      start_command: 'python3 main.py',
      health_check: { enabled: false },
    });
    expect(manifest.port).toBeUndefined();
  });

  it('docker candidates build and run an image named after the module', () => {
    const view = memoryView({ Dockerfile: 'FROM nginx\nEXPOSE 80\n' });
    const result = detectRepository(view);
    const manifest = manifestFromDetection(result, { dirName: 'x', name: 'Web Site', view });
    expect([manifest.name, manifest.build_command, manifest.start_command]).toEqual([
      'web-site',
      'docker build -t web-site .',
      'docker run --rm --init -p 80:80 web-site',
    ]);
  });

  it('a site served by http.server is checked at / (it has no /health)', () => {
    const view = memoryView({ 'index.html': '<h1>hi</h1>\n' });
    const manifest = manifestFromDetection(detectRepository(view), { dirName: 'site', view });
    expect(manifest.start_command).toBe('python3 -m http.server 8000 --bind 0.0.0.0');
    expect(manifest.health_check).toEqual({ endpoint: '/' });
  });

  it('no candidate is AUT_DETECT_NONE telling the user what to add', () => {
    const view = memoryView({ 'README.md': '# hi' });
    expect(() => manifestFromDetection(detectRepository(view), { dirName: 'docs', view })).toThrow(
      expect.objectContaining({
        code: 'AUT_DETECT_NONE',
        message: expect.stringMatching(/ai-module\.yaml.*Procfile/),
      }),
    );
  });

  it('toDnsLabel never returns an invalid label', () => {
    expect(toDnsLabel('---')).toBe('app');
    expect(toDnsLabel('github.com/acme/Pricing.Svc')).toBe('pricing-svc');
    expect(toDnsLabel('a'.repeat(70) + '-b')).toHaveLength(63);
  });
});
