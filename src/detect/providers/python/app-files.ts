import type { RepoView } from '../../repo-view.js';
import { firstLine, type LineMatch } from '../../text.js';

/** Conventional entry files, looked at before any other .py file. */
export const ENTRY_FILES = [
  'app.py',
  'main.py',
  'wsgi.py',
  'asgi.py',
  'application.py',
  'server.py',
  'run.py',
  'api.py',
  'streamlit_app.py',
  'app/main.py',
  'app/__init__.py',
  'src/app.py',
  'src/main.py',
];

export interface AppFile {
  file: string;
  /** Python module path for WSGI/ASGI servers: `app/main.py` -> `app.main`. */
  module: string;
  /** The variable holding the app (`app = Flask(__name__)` -> `app`), or a factory call. */
  object: string;
  hit: LineMatch;
  /** Runs itself under `if __name__ == "__main__"` (e.g. `app.run(...)`). */
  runsItself: boolean;
}

export function moduleOf(file: string): string {
  return file
    .replace(/\.py$/, '')
    .replace(/\/__init__$/, '')
    .replace(/\//g, '.');
}

/** Entry files first, then the rest of the tree (bounded), so the conventional file wins a tie. */
export function pythonFiles(view: RepoView): string[] {
  const walked = view.files({ extensions: ['.py'], maxDepth: 3, maxFiles: 200 });
  return [...new Set([...ENTRY_FILES.filter((f) => view.exists(f)), ...walked])];
}

/** Finds the file that constructs the app, e.g. `app = Flask(__name__)` or `api = FastAPI()`. */
export function findApp(view: RepoView, files: readonly string[], ctor: string): AppFile | null {
  const assign = new RegExp(`^(\\w+)\\s*(?::\\s*\\w+\\s*)?=\\s*${ctor}\\(`);
  const factory = new RegExp(`^def\\s+(create_app|make_app)\\s*\\(`);
  for (const file of files) {
    const text = view.readText(file);
    if (text === null || !text.includes(`${ctor}(`)) continue;
    const hit = firstLine(text, assign);
    const fac = hit ? null : firstLine(text, factory);
    const found = hit ?? fac;
    if (!found) continue;
    const object = hit ? (hit.match[1] ?? 'app') : `${fac?.match[1] ?? 'create_app'}()`;
    const runsItself = /__name__\s*==\s*['"]__main__['"]/.test(text);
    return { file, module: moduleOf(file), object, hit: found, runsItself };
  }
  return null;
}

export function importsModule(
  view: RepoView,
  files: readonly string[],
  module: string,
): (LineMatch & { file: string }) | null {
  const pattern = new RegExp(`^\\s*(import\\s+${module}\\b|from\\s+${module}\\b)`);
  for (const file of files) {
    const text = view.readText(file);
    const hit = text === null ? null : firstLine(text, pattern);
    if (hit) return { ...hit, file };
  }
  return null;
}
