import type { DiagnosisInput } from '../../agent.js';
import type { Diagnosis } from '../../diagnosis.js';
import { PYTHON_PACKAGES } from './packages.js';
import { noFix, quote, type DiagnosisRule } from './rule.js';

const PACKAGE_NAME = /^(?:@[a-z0-9][\w.-]*\/)?[A-Za-z0-9][\w.-]*$/;

/** The install the build already uses, so the fix installs the same way and stays inside the release. */
function pythonInstaller(build: string): string | null {
  if (/\.venv\/bin\//.test(build)) return '.venv/bin/pip install';
  return /(\S*pip3?|python3? -m pip) install/.exec(build)?.[1]?.concat(' install') ?? null;
}

function nodeInstaller(build: string): string {
  if (/\bpnpm\b/.test(build)) return 'pnpm add';
  if (/\byarn\b/.test(build)) return 'yarn add';
  if (/\bbun\b/.test(build)) return 'bun add';
  return 'npm install --no-save';
}

function install(input: DiagnosisInput, installer: string, pkg: string, line: string): Diagnosis {
  const build = input.module.build_command;
  if (
    new RegExp(`\\s(?:install|add)(?:\\s+--no-save)?\\s+${pkg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`).test(
      build,
    )
  ) {
    return noFix(
      `"${line}": the build already installs ${pkg} and it is still missing; the import name may not be the package name. Add the right package to the app's dependencies.`,
    );
  }
  return {
    fix: { kind: 'set_command', field: 'build_command', value: `${build} && ${installer} ${pkg}` },
    reason: `"${line}": ${pkg} is not installed. Installing it in the build (${installer} ${pkg}); add it to the app's dependencies to keep it.`,
  };
}

function python(input: DiagnosisInput): Diagnosis | null {
  const pattern = /ModuleNotFoundError: No module named '([\w.]+)'|ImportError: No module named '?([\w.]+)'?/;
  const m = pattern.exec(input.logTail);
  const name = m?.[1] ?? m?.[2];
  if (!name) return null;
  const top = name.split('.')[0] ?? name;
  const pkg = PYTHON_PACKAGES[top] ?? top.replace(/_/g, '-');
  const line = quote(input.logTail, pattern);
  const installer = pythonInstaller(input.module.build_command);
  if (!PACKAGE_NAME.test(pkg) || installer === null) {
    return noFix(`"${line}": the build installs no Python dependencies. Add ${pkg} to requirements.txt.`);
  }
  return install(input, installer, pkg, line);
}

function node(input: DiagnosisInput): Diagnosis | null {
  const pattern = /Cannot find (?:module|package) ['"]([^'"]+)['"]/;
  const name = pattern.exec(input.logTail)?.[1];
  if (!name) return null;
  const line = quote(input.logTail, pattern);
  if (/^[./]/.test(name)) {
    return noFix(
      `"${line}": a file of the app itself is missing; the build may not produce it (is there a build script?) or the path is wrong.`,
    );
  }
  const pkg = name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : (name.split('/')[0] ?? name);
  if (!PACKAGE_NAME.test(pkg))
    return noFix(`"${line}": ${pkg} is not a package name Automatos will install.`);
  return install(input, nodeInstaller(input.module.build_command), pkg, line);
}

/** Go modules missing from go.sum: `go mod tidy` before the build records them. */
function go(input: DiagnosisInput): Diagnosis | null {
  const pattern = /no required module provides package|missing go\.sum entry/;
  if (!pattern.test(input.logTail)) return null;
  const build = input.module.build_command;
  const line = quote(input.logTail, pattern);
  if (build.startsWith('go mod tidy'))
    return noFix(`"${line}" even after go mod tidy: add the module to go.mod.`);
  return {
    fix: { kind: 'set_command', field: 'build_command', value: `go mod tidy && ${build}` },
    reason: `"${line}": go.mod or go.sum is incomplete. Running go mod tidy before the build; commit its result to keep it.`,
  };
}

function ruby(input: DiagnosisInput): Diagnosis | null {
  const pattern = /cannot load such file -- ([\w/.-]+)/;
  const gem = pattern.exec(input.logTail)?.[1];
  if (!gem) return null;
  return noFix(
    `"${quote(input.logTail, pattern)}": add the gem that provides ${gem} to the Gemfile; bundle install in deployment mode does not change it.`,
  );
}

export const missingModule: DiagnosisRule = {
  id: 'missing_module',
  diagnose: (input) => python(input) ?? node(input) ?? go(input) ?? ruby(input),
};
