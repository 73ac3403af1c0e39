import { getString } from './json.js';
import type { RepoView } from './repo-view.js';
import { parseToml, tomlString } from './toml.js';
import type { Language } from './types.js';

/** Name, version and description as the project declares them, with the file they came from. */
export interface ProjectMeta {
  file: string;
  name: string | null;
  version: string | null;
  description: string | null;
}

type Reader = (view: RepoView) => ProjectMeta | null;

const packageJson: Reader = (view) => {
  const pkg = view.readJson('package.json');
  if (pkg === null) return null;
  const meta = (k: string) => getString(pkg, k);
  return {
    file: 'package.json',
    name: meta('name'),
    version: meta('version'),
    description: meta('description'),
  };
};

const pyproject: Reader = (view) => {
  const text = view.readText('pyproject.toml');
  if (text === null) return null;
  const doc = parseToml(text);
  const table = doc.tables['project'] ?? doc.tables['tool.poetry'];
  const meta = (k: string) => tomlString(table, k);
  return {
    file: 'pyproject.toml',
    name: meta('name'),
    version: meta('version'),
    description: meta('description'),
  };
};

const cargo: Reader = (view) => {
  const text = view.readText('Cargo.toml');
  if (text === null) return null;
  const table = parseToml(text).tables['package'];
  const meta = (k: string) => tomlString(table, k);
  return {
    file: 'Cargo.toml',
    name: meta('name'),
    version: meta('version'),
    description: meta('description'),
  };
};

const composer: Reader = (view) => {
  const json = view.readJson('composer.json');
  if (json === null) return null;
  const meta = (k: string) => getString(json, k);
  return {
    file: 'composer.json',
    name: meta('name'),
    version: meta('version'),
    description: meta('description'),
  };
};

const pom: Reader = (view) => {
  const text = view.readText('pom.xml');
  if (text === null) return null;
  const top = text.replace(/<(parent|dependencies|dependencyManagement|build|profiles)>[\s\S]*?<\/\1>/g, '');
  const tag = (t: string) => top.match(new RegExp(`<${t}>\\s*([^<]+?)\\s*</${t}>`))?.[1] ?? null;
  return {
    file: 'pom.xml',
    name: tag('artifactId'),
    version: tag('version'),
    description: tag('description'),
  };
};

const goMod: Reader = (view) => {
  const module = view.readText('go.mod')?.match(/^module\s+(\S+)/m)?.[1];
  return module
    ? { file: 'go.mod', name: module.split('/').pop() ?? null, version: null, description: null }
    : null;
};

const BY_LANGUAGE: Partial<Record<Language, Reader>> = {
  node: packageJson,
  python: pyproject,
  rust: cargo,
  php: composer,
  java: pom,
  go: goMod,
};
const ALL: readonly Reader[] = [packageJson, pyproject, cargo, composer, pom, goMod];

/** The candidate's own project file first; a mixed repo's other files only fill gaps. */
export function projectMeta(view: RepoView, language: Language): ProjectMeta | null {
  const own = BY_LANGUAGE[language];
  const readers = own
    ? [own]
    : language === 'docker' || language === 'shell' || language === 'static'
      ? ALL
      : [];
  for (const read of readers) {
    const meta = read(view);
    if (meta && (meta.name || meta.description)) return meta;
  }
  return null;
}
