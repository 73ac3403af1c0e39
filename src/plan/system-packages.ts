import { AutomatosError } from '../core/index.js';
import { argv, chain, either, script, type Command } from './command.js';
import { shellQuote } from './quote.js';
import type { PackageManager, TargetFacts } from './types.js';

/**
 * Install system packages only when one is missing: the query is cheap and read-only, the install
 * runs (with a package index refresh for apt) only when the query fails.
 */
export function installSystemPackages(packages: readonly string[], target: TargetFacts): Command {
  const pm = target.packageManager;
  if (pm === null) {
    throw new AutomatosError(
      'AUT_PLAN_UNSUPPORTED',
      `target ${target.name} has no supported package manager (apt-get, dnf or apk), but the manifest's ` +
        `system_dependencies asks for: ${packages.join(', ')}. Install them on the host yourself and ` +
        'remove them from system_dependencies.',
      { details: { target: target.name, packages } },
    );
  }
  const asRoot = (...words: string[]): Command =>
    target.isRoot ? argv(...words) : argv('sudo', '-n', ...words);
  return either(query(pm, packages), install(pm, packages, asRoot));
}

function query(pm: PackageManager, packages: readonly string[]): Command {
  switch (pm) {
    case 'apt': {
      // `dpkg-query -W` alone succeeds for removed packages whose config files remain ("rc").
      const names = packages.map(shellQuote).join(' ');
      return script(
        `[ "$(dpkg-query -W -f='\${Status}\\n' ${names} 2>/dev/null | grep -c '^install ok installed$')" -eq ${packages.length} ]`,
        'system_dependencies',
      );
    }
    case 'dnf':
      return argv('rpm', '-q', ...packages);
    case 'apk':
      return argv('apk', 'info', '-e', ...packages);
  }
}

function install(
  pm: PackageManager,
  packages: readonly string[],
  asRoot: (...w: string[]) => Command,
): Command {
  switch (pm) {
    case 'apt':
      return chain(
        asRoot('apt-get', 'update', '-q'),
        asRoot('apt-get', 'install', '-y', '-q', '--no-install-recommends', ...packages),
      );
    case 'dnf':
      return asRoot('dnf', 'install', '-y', '-q', ...packages);
    case 'apk':
      return asRoot('apk', 'add', '--no-cache', ...packages);
  }
}
