import { sourced } from '../../candidate.js';
import type { RepoView } from '../../repo-view.js';
import { evidence, firstLine, where } from '../../text.js';
import type { Evidence, Sourced } from '../../types.js';
import { findApp, importsModule } from './app-files.js';

/** What a framework contributes: how to start it, its conventional port, and why we think so. */
export interface PythonApp {
  framework: string | null;
  start: string | null;
  startSource: string;
  build: Sourced<string> | null;
  test: Sourced<string> | null;
  convention: { port: number; what: string } | null;
  entry: string | null;
  evidence: Evidence[];
}

export interface AppContext {
  view: RepoView;
  deps: ReadonlySet<string>;
  files: readonly string[];
  /** `.venv/bin/<tool>` when dependencies are installed into a venv, else the bare tool. */
  bin: (tool: string) => string;
  python: string;
  /** Where each dependency was declared (`flask` -> `requirements.txt`). */
  declaredIn: Readonly<Record<string, string>>;
}

/** The port is decided before the command so an explicit port in code ends up in the command. */
export type PortOf = (convention: number) => number;

function django(ctx: AppContext, portOf: PortOf): PythonApp | null {
  const { view, deps } = ctx;
  if (!view.exists('manage.py') || !(deps.has('django') || /django/i.test(view.readText('manage.py') ?? '')))
    return null;
  const ev = [evidence('manage.py', 'manage.py: a Django project', 3)];
  const settings = firstLine(
    view.readText('manage.py') ?? '',
    /DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([\w.]+)\.settings/,
  );
  const project = settings?.match[1] ?? null;
  if (project) ev.push(evidence('manage.py', `settings module ${project}.settings`, 1, settings?.line));
  const port = portOf(8000);
  let start: string;
  if (deps.has('gunicorn') && project) {
    start = `${ctx.bin('gunicorn')} ${project}.wsgi:application --bind 0.0.0.0:${port}`;
  } else {
    start = `${ctx.python} manage.py runserver 0.0.0.0:${port} --noreload`;
    ev.push(evidence('manage.py', "gunicorn not in dependencies: using Django's development server", 0));
  }
  const settingsText = project ? view.readText(`${project}/settings.py`) : null;
  const build = settingsText?.includes('STATIC_ROOT')
    ? sourced(`${ctx.python} manage.py collectstatic --noinput`, `${project}/settings.py sets STATIC_ROOT`)
    : null;
  return {
    framework: 'django',
    start,
    startSource: deps.has('gunicorn') ? 'Django WSGI app under gunicorn' : 'Django runserver',
    build,
    test: sourced(`${ctx.python} manage.py test`, 'Django test runner (manage.py test)'),
    convention: { port: 8000, what: 'Django' },
    entry: 'manage.py',
    evidence: ev,
  };
}

function flask(ctx: AppContext, portOf: PortOf): PythonApp | null {
  const app = findApp(ctx.view, ctx.files, 'Flask');
  if (!ctx.deps.has('flask') && !app) return null;
  const ev: Evidence[] = [];
  if (app) ev.push(evidence(app.file, `creates the Flask app: ${app.hit.text}`, 2, app.hit.line));
  const file = app?.file ?? 'app.py';
  const target = `${app?.module ?? 'app'}:${app?.object ?? 'app'}`;
  const port = portOf(5000);
  let start: string;
  let startSource: string;
  if (ctx.deps.has('gunicorn')) {
    start = `${ctx.bin('gunicorn')} ${target} --bind 0.0.0.0:${port}`;
    startSource = `Flask app ${target} under gunicorn`;
  } else if (app?.runsItself) {
    start = `${ctx.python} ${file}`;
    startSource = `${file} runs the app under __main__`;
  } else {
    start = `${ctx.bin('flask')} --app ${target} run --host 0.0.0.0 --port ${port}`;
    startSource = 'flask run';
  }
  return base('flask', start, startSource, { port: 5000, what: 'Flask' }, app?.file ?? null, ev);
}

function fastapi(ctx: AppContext, portOf: PortOf): PythonApp | null {
  const app = findApp(ctx.view, ctx.files, 'FastAPI');
  if (!ctx.deps.has('fastapi') && !app) return null;
  const ev: Evidence[] = [];
  if (app) ev.push(evidence(app.file, `creates the FastAPI app: ${app.hit.text}`, 2, app.hit.line));
  if (!ctx.deps.has('uvicorn'))
    ev.push(
      evidence(
        ctx.declaredIn['fastapi'] ?? 'requirements.txt',
        'uvicorn not listed; fastapi[standard] or the install must provide it',
        0,
      ),
    );
  const target = `${app?.module ?? 'main'}:${app?.object ?? 'app'}`;
  const start = `${ctx.bin('uvicorn')} ${target} --host 0.0.0.0 --port ${portOf(8000)}`;
  return base(
    'fastapi',
    start,
    `FastAPI app ${target} under uvicorn`,
    { port: 8000, what: 'uvicorn (FastAPI)' },
    app?.file ?? null,
    ev,
  );
}

function streamlit(ctx: AppContext, portOf: PortOf): PythonApp | null {
  const hit = importsModule(ctx.view, ctx.files, 'streamlit');
  if (!ctx.deps.has('streamlit') || !hit) return null;
  const ev = [evidence(hit.file, `imports streamlit: ${hit.text}`, 2, hit.line)];
  const start = `${ctx.bin('streamlit')} run ${hit.file} --server.port ${portOf(8501)} --server.address 0.0.0.0`;
  return base(
    'streamlit',
    start,
    `Streamlit script ${hit.file}`,
    { port: 8501, what: 'Streamlit' },
    hit.file,
    ev,
  );
}

function base(
  framework: string,
  start: string,
  startSource: string,
  convention: { port: number; what: string },
  entry: string | null,
  ev: Evidence[],
): PythonApp {
  return { framework, start, startSource, build: null, test: null, convention, entry, evidence: ev };
}

/** A script with no web framework: `python main.py`. */
function plainScript(ctx: AppContext): PythonApp | null {
  const entry = ['main.py', 'app.py', 'run.py', 'server.py', '__main__.py'].find((f) => ctx.view.exists(f));
  if (!entry) return null;
  const text = ctx.view.readText(entry) ?? '';
  const main = firstLine(text, /__name__\s*==\s*['"]__main__['"]/);
  const ev = [evidence(entry, `entry script ${entry}`, 1)];
  if (main) ev.push(evidence(entry, 'runs under if __name__ == "__main__"', 1, main.line));
  return {
    ...base('', `${ctx.python} ${entry}`, `entry script ${where(entry)}`, { port: 0, what: '' }, entry, ev),
    framework: null,
    convention: null,
  };
}

/** Most specific first: a Django project may also list flask-style helpers, never the reverse. */
export function detectPythonApp(ctx: AppContext, portOf: PortOf): PythonApp | null {
  for (const detect of [django, fastapi, flask, streamlit]) {
    const app = detect(ctx, portOf);
    if (app) {
      const file = ctx.declaredIn[app.framework ?? ''];
      if (file) app.evidence.unshift(evidence(file, `${app.framework} is a declared dependency`, 3));
      return app;
    }
  }
  return plainScript(ctx);
}
