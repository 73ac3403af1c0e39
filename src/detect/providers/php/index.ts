import { makeCandidate, sourced } from '../../candidate.js';
import { getString, getStringMap, isRecord } from '../../json.js';
import { classifyModuleType } from '../../module-type.js';
import { choosePort, conventionPort, dockerfilePort, dotenvPort } from '../../port.js';
import type { Provider } from '../../provider.js';
import type { RepoView } from '../../repo-view.js';
import { evidence } from '../../text.js';
import type { Candidate, Evidence, Sourced } from '../../types.js';

/** Extensions Laravel and most Composer packages expect; Debian splits them out of php-cli. */
const PHP_EXTENSIONS = ['php-mbstring', 'php-xml', 'php-curl', 'php-zip', 'unzip'];

function detectPhp(view: RepoView): Candidate[] {
  const composer = view.readJson('composer.json');
  const docroot = view.exists('public/index.php') ? 'public' : view.exists('index.php') ? '.' : null;
  if (!isRecord(composer) && !docroot) return [];
  const require = getStringMap(composer, 'require');
  const requireDev = getStringMap(composer, 'require-dev');
  const ev: Evidence[] = [];
  if (isRecord(composer))
    ev.push(
      evidence(
        'composer.json',
        `composer.json${getString(composer, 'name') ? ` for ${getString(composer, 'name')}` : ''}`,
        2,
      ),
    );
  if (view.exists('composer.lock')) ev.push(evidence('composer.lock', 'dependencies are locked', 1));

  const laravel = 'laravel/framework' in require;
  const symfony = !laravel && 'symfony/framework-bundle' in require;
  const framework = laravel ? 'laravel' : symfony ? 'symfony' : null;
  if (laravel) ev.push(evidence('composer.json', 'requires laravel/framework', 3));
  if (laravel && view.exists('artisan')) ev.push(evidence('artisan', 'artisan console present', 2));
  if (symfony) ev.push(evidence('composer.json', 'requires symfony/framework-bundle', 3));
  if (docroot)
    ev.push(evidence(`${docroot === '.' ? '' : 'public/'}index.php`, `front controller in ${docroot}`, 1));

  const port = choosePort([
    dotenvPort(view),
    dockerfilePort(view),
    conventionPort(8000, laravel ? 'php artisan serve' : 'the PHP built-in server (as used here)'),
  ]);
  const p = port?.value ?? 8000;
  let start: Sourced<string> | null = null;
  if (laravel) start = sourced(`php artisan serve --host=0.0.0.0 --port=${p}`, 'Laravel artisan serve');
  else if (docroot)
    start = sourced(`php -S 0.0.0.0:${p} -t ${docroot}`, `PHP built-in server with document root ${docroot}`);
  else ev.push(evidence('composer.json', 'no index.php or framework: nothing to serve', -2));

  const test = laravel
    ? sourced('php artisan test', 'Laravel test runner')
    : 'phpunit/phpunit' in requireDev
      ? sourced('vendor/bin/phpunit', 'phpunit in require-dev')
      : null;
  const versions: Record<string, Sourced<string>> = {};
  if (require['php'])
    versions['php'] = sourced(require['php'], `composer.json require.php: ${require['php']}`);
  const hasComposer = isRecord(composer);
  return [
    makeCandidate({
      provider: 'php',
      language: 'php',
      framework,
      packageManager: hasComposer ? 'composer' : null,
      versions,
      install: hasComposer
        ? sourced('composer install --no-dev --optimize-autoloader --no-interaction', 'composer.json')
        : null,
      build: null,
      start,
      test,
      port: start ? port : null,
      moduleType: classifyModuleType(view, {
        language: 'php',
        framework,
        deps: Object.keys(require),
        serves: start !== null,
      }),
      systemDependencies: ['php-cli', ...(hasComposer ? ['composer', ...PHP_EXTENSIONS] : [])],
      evidence: ev,
    }),
  ];
}

export const phpProvider: Provider = { id: 'php', detect: detectPhp };
