import { describe, expect, it } from 'vitest';
import { memoryView } from '../../src/detect/index.js';
import { dockerProvider } from '../../src/detect/providers/docker/index.js';
import { goProvider, goRequires } from '../../src/detect/providers/go/index.js';
import { javaProvider } from '../../src/detect/providers/java/index.js';
import { nodeProvider } from '../../src/detect/providers/node/index.js';
import { phpProvider } from '../../src/detect/providers/php/index.js';
import { procfileProvider, programOf } from '../../src/detect/providers/procfile/index.js';
import { pythonProvider } from '../../src/detect/providers/python/index.js';
import { requirementNames } from '../../src/detect/providers/python/project.js';
import { rubyProvider } from '../../src/detect/providers/ruby/index.js';
import { rustProvider } from '../../src/detect/providers/rust/index.js';
import { staticProvider } from '../../src/detect/providers/static/index.js';
import type { Provider } from '../../src/detect/index.js';

const pkg = (obj: object) => JSON.stringify(obj);
function one(provider: Provider, files: Record<string, string>) {
  const found = provider.detect(memoryView(files));
  expect(found).toHaveLength(1);
  const [candidate] = found;
  if (!candidate) throw new Error('no candidate');
  return candidate;
}

describe('node provider', () => {
  it('packageManager beats a stray lockfile and yarn berry installs immutably', () => {
    const c = one(nodeProvider, {
      'package.json': pkg({ packageManager: 'yarn@4.5.0', scripts: { start: 'node a.js' } }),
      'yarn.lock': '',
      'package-lock.json': '{}',
    });
    expect(c.packageManager).toBe('yarn');
    expect(c.install?.value).toBe('yarn install --immutable');
    expect(c.versions['yarn']?.value).toBe('4.5.0');
  });

  it("drops npm's placeholder test script and falls back to the main entry", () => {
    const c = one(nodeProvider, {
      'package.json': pkg({
        main: 'lib/app.js',
        scripts: { test: 'echo "Error: no test specified" && exit 1' },
        dependencies: { ws: '8' },
      }),
      'lib/app.js': 'require("ws");\n',
    });
    expect(c.test).toBeNull();
    expect(c.start).toEqual({ value: 'node lib/app.js', source: 'entry file lib/app.js' });
  });

  it('never deploys a dev-server start script', () => {
    const c = one(nodeProvider, {
      'package.json': pkg({
        scripts: { start: 'next dev', build: 'next build' },
        dependencies: { next: '15' },
      }),
    });
    expect(c.start?.value).toBe('./node_modules/.bin/next start -H 0.0.0.0 -p 3000');
    expect(c.evidence.map((e) => e.detail)).toContain(
      'scripts.start "next dev" runs a dev server; not used for deploys',
    );
  });

  it('Astro with the node adapter runs its server entry', () => {
    const c = one(nodeProvider, {
      'package.json': pkg({
        dependencies: { astro: '5', '@astrojs/node': '9' },
        scripts: { build: 'astro build' },
      }),
    });
    expect(c.start?.value).toBe('node ./dist/server/entry.mjs');
    expect(c.port).toEqual({ value: 4321, source: 'convention: Astro listens on 4321 by default' });
  });

  it('tooling-only package.json gets negative weight and zero confidence', () => {
    const c = one(nodeProvider, { 'package.json': pkg({ devDependencies: { prettier: '3', eslint: '9' } }) });
    expect(c.start).toBeNull();
    expect(c.confidence).toBe(0);
    expect(c.evidence.at(-1)).toMatchObject({
      weight: -3,
      detail: 'package.json has no start script and only dev tooling (prettier, eslint)',
    });
  });

  it('ignores an unparsable package.json instead of throwing', () => {
    expect(nodeProvider.detect(memoryView({ 'package.json': '{ nope' }))).toEqual([]);
  });
});

describe('python provider', () => {
  it('follows -r includes and normalizes names', () => {
    const view = memoryView({
      'requirements.txt': '-r requirements/base.txt\nFlask_Login>=0.6  # auth\n',
      'requirements/base.txt': 'Django==5.1\n-e .\n',
    });
    expect(requirementNames(view, 'requirements.txt')).toEqual(['django', 'flask-login']);
  });

  it('Django without gunicorn uses runserver and says so', () => {
    const c = one(pythonProvider, {
      'requirements.txt': 'django\n',
      'manage.py': 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n',
    });
    expect(c.start?.value).toBe('.venv/bin/python manage.py runserver 0.0.0.0:8000 --noreload');
    expect(c.build).toBeNull();
    expect(c.evidence.map((e) => e.detail)).toContain(
      "gunicorn not in dependencies: using Django's development server",
    );
  });

  it('flask without app.run uses flask run with the factory', () => {
    const c = one(pythonProvider, {
      'requirements.txt': 'flask\n',
      'app/__init__.py': 'from flask import Flask\n\ndef create_app():\n    return Flask(__name__)\n',
    });
    expect(c.start?.value).toBe('.venv/bin/flask --app app:create_app() run --host 0.0.0.0 --port 5000');
  });

  it('explicit .env port ends up in the generated command', () => {
    const c = one(pythonProvider, {
      'requirements.txt': 'fastapi\nuvicorn\n',
      'main.py': 'app = FastAPI()\n',
      '.env': 'PORT=7001\n',
    });
    expect(c.start?.value).toBe('.venv/bin/uvicorn main:app --host 0.0.0.0 --port 7001');
    expect(c.port).toEqual({ value: 7001, source: '.env:1: PORT=7001' });
  });

  it('pytest from a dev requirements file is installed before running', () => {
    const c = one(pythonProvider, {
      'requirements.txt': 'flask\n',
      'requirements-dev.txt': 'pytest\n',
      'app.py': 'app = Flask(__name__)\n',
      'tests/test_app.py': '',
    });
    expect(c.test?.value).toBe('.venv/bin/pip install -r requirements-dev.txt && .venv/bin/python -m pytest');
  });

  it('a library with no entry point has no start and negative evidence', () => {
    const c = one(pythonProvider, {
      'pyproject.toml': '[project]\nname = "lib"\ndependencies = ["attrs"]\n',
      'lib/__init__.py': '',
    });
    expect(c.packageManager).toBe('setuptools');
    expect(c.install?.value).toBe('python3 -m venv .venv && .venv/bin/pip install .');
    expect(c.start).toBeNull();
    expect(c.evidence.some((e) => e.weight < 0)).toBe(true);
  });
});

describe('go, rust, java, php, ruby, static, docker providers', () => {
  it('go: parses require blocks', () => {
    expect(
      goRequires(
        'module x\n\nrequire (\n\tgithub.com/labstack/echo/v4 v4.12.0 // indirect\n\tgolang.org/x/net v0.1.0\n)\nrequire github.com/a/b v1.0.0\n',
      ),
    ).toEqual(['github.com/labstack/echo/v4', 'golang.org/x/net', 'github.com/a/b']);
  });

  it('go: echo convention port when the code sets none', () => {
    const c = one(goProvider, {
      'go.mod': 'module x\n\ngo 1.22\nrequire github.com/labstack/echo/v4 v4.12.0\n',
      'main.go': 'package main\n\nfunc main() { e.Logger.Fatal(e.Start(addr)) }\n',
    });
    expect(c.framework).toBe('echo');
    expect(c.port?.value).toBe(1323);
  });

  it('rust: [[bin]] names the binary', () => {
    const c = one(rustProvider, {
      'Cargo.toml':
        '[package]\nname = "svc"\n\n[[bin]]\nname = "svc-server"\npath = "src/bin/server.rs"\n\n[dependencies]\nactix-web = "4"\n',
    });
    expect(c.start?.value).toBe('./target/release/svc-server');
    expect(c.build?.value).toBe('cargo build --release');
    expect(c.port?.value).toBe(8080);
  });

  it('java: gradle without a version names the jar without one; no wrapper needs gradle installed', () => {
    const c = one(javaProvider, {
      'build.gradle.kts': 'plugins { id("org.springframework.boot") version "3.4.1" }\n',
      'settings.gradle.kts': 'rootProject.name = "orders"\n',
    });
    expect(c.start?.value).toBe('java -jar build/libs/orders.jar');
    expect(c.build?.value).toBe('gradle bootJar');
    expect(c.systemDependencies).toEqual(['default-jdk-headless', 'gradle']);
  });

  it('php: symfony serves public/ with the built-in server', () => {
    const c = one(phpProvider, {
      'composer.json': pkg({ require: { 'symfony/framework-bundle': '7.2' } }),
      'public/index.php': '<?php',
    });
    expect(c.framework).toBe('symfony');
    expect(c.start?.value).toBe('php -S 0.0.0.0:8000 -t public');
  });

  it('ruby: rack app without sinatra uses rackup on 9292', () => {
    const c = one(rubyProvider, {
      Gemfile: "gem 'rack'\n",
      'config.ru': 'run ->(env) { [200, {}, ["ok"]] }\n',
    });
    expect(c.start?.value).toBe('bundle exec rackup -o 0.0.0.0 -p 9292');
    expect(c.install?.value).not.toContain('deployment true');
  });

  it('static: loses weight when a server project is present', () => {
    const alone = one(staticProvider, { 'index.html': '<h1/>' });
    const mixed = one(staticProvider, { 'index.html': '<h1/>', 'package.json': '{}' });
    expect(alone.confidence).toBeGreaterThan(mixed.confidence);
    expect(mixed.confidence).toBe(0);
  });

  it('docker: shell-form CMD and no EXPOSE', () => {
    const c = one(dockerProvider, { Dockerfile: 'FROM python:3.12-slim\nCMD python worker.py\n' });
    expect(c.start?.value).toBe('docker run --rm --init app');
    expect(c.port).toBeNull();
    expect(c.evidence.map((e) => e.detail)).toContain('CMD python worker.py');
  });
});

describe('procfile provider', () => {
  it('is an override, never a candidate', () => {
    const view = memoryView({ Procfile: 'worker: celery -A app worker\nweb: bundle exec puma -p 5100\n' });
    expect(procfileProvider.detect(view)).toEqual([]);
    const override = procfileProvider.override?.(view);
    expect(override?.start).toEqual({
      value: 'bundle exec puma -p 5100',
      source: 'Procfile:2: web: bundle exec puma -p 5100',
    });
    expect(override?.port).toEqual({ value: 5100, source: 'Procfile:2: bundle exec puma -p 5100' });
    expect(override?.language).toBe('ruby');
  });

  it('names the program after env assignments and paths', () => {
    expect(programOf('WEB_CONCURRENCY=2 /usr/bin/gunicorn app:app')).toBe('gunicorn');
    expect(procfileProvider.override?.(memoryView({ Procfile: 'worker: x\n' }))).toBeNull();
  });
});
