import { makeCandidate, sourced } from '../../candidate.js';
import { classifyModuleType } from '../../module-type.js';
import { choosePort, conventionPort, dockerfilePort, dotenvPort, portsInCode } from '../../port.js';
import type { Provider } from '../../provider.js';
import type { RepoView } from '../../repo-view.js';
import { evidence, firstLine, matchLines } from '../../text.js';
import type { Candidate, Evidence, Sourced } from '../../types.js';

interface RubyApp {
  framework: string | null;
  start: (port: number) => string;
  port: number;
  what: string;
}

/** Gems stay inside the release (vendor/bundle) so no root is needed, and dev/test gems are skipped. */
function installCommand(view: RepoView): string {
  const steps = [
    'bundle config set --local path vendor/bundle',
    "bundle config set --local without 'development test'",
  ];
  if (view.exists('Gemfile.lock')) steps.unshift('bundle config set --local deployment true');
  return [...steps, 'bundle install'].join(' && ');
}

function rubyApp(view: RepoView, gems: Set<string>): RubyApp | null {
  if (gems.has('rails') || view.exists('config/application.rb')) {
    return {
      framework: 'rails',
      start: (p) => `bundle exec rails server -b 0.0.0.0 -p ${p} -e production`,
      port: 3000,
      what: 'Rails (puma)',
    };
  }
  if (gems.has('sinatra')) {
    const start = view.exists('config.ru')
      ? (p: number) => `bundle exec rackup -o 0.0.0.0 -p ${p}`
      : (p: number) => `bundle exec ruby app.rb -o 0.0.0.0 -p ${p}`;
    return { framework: 'sinatra', start, port: 4567, what: 'Sinatra' };
  }
  if (view.exists('config.ru')) {
    return {
      framework: 'rack',
      start: (p) => `bundle exec rackup -o 0.0.0.0 -p ${p}`,
      port: 9292,
      what: 'rackup',
    };
  }
  return null;
}

function detectRuby(view: RepoView): Candidate[] {
  const gemfile = view.readText('Gemfile');
  if (gemfile === null) return [];
  const gemLines = matchLines(gemfile, /^\s*gem\s+['"]([^'"]+)['"]/);
  const gems = new Set(gemLines.map((g) => g.match[1] ?? ''));
  const ev: Evidence[] = [evidence('Gemfile', `Gemfile lists ${gems.size} gems`, 2)];
  if (view.exists('Gemfile.lock')) ev.push(evidence('Gemfile.lock', 'dependencies are locked', 1));
  const app = rubyApp(view, gems);
  const fwLine = app ? gemLines.find((g) => g.match[1] === app.framework) : undefined;
  if (app && fwLine) ev.push(evidence('Gemfile', `gem ${app.framework}`, 3, fwLine.line));
  if (app?.framework === 'rails' && view.exists('config/application.rb')) {
    ev.push(evidence('config/application.rb', 'Rails application config', 2));
  }
  if (!app) ev.push(evidence('Gemfile', 'no Rails, Sinatra or config.ru: nothing to start', -2));

  const explicit = choosePort([
    ...portsInCode(view, {
      extensions: ['.rb', '.ru'],
      entryFiles: ['config/puma.rb', 'app.rb', 'config.ru'],
    }),
    dotenvPort(view),
    dockerfilePort(view),
  ]);
  const port = app ? (explicit ?? choosePort([conventionPort(app.port, app.what)])) : null;

  const rails = app?.framework === 'rails';
  const assets = rails && (view.exists('app/assets') || view.exists('app/javascript'));
  const build = assets
    ? sourced(
        'RAILS_ENV=production SECRET_KEY_BASE_DUMMY=1 bundle exec rails assets:precompile',
        'Rails app with app/assets or app/javascript',
      )
    : null;
  const test = view.exists('spec')
    ? sourced('bundle exec rspec', 'spec/ directory (RSpec)')
    : rails && view.exists('test')
      ? sourced('bundle exec rails test', 'test/ directory (Rails minitest)')
      : null;

  const versions: Record<string, Sourced<string>> = {};
  const pinned = view
    .readText('.ruby-version')
    ?.trim()
    .replace(/^ruby-/, '');
  const gemRuby = firstLine(gemfile, /^\s*ruby\s+['"]([\d.]+)['"]/);
  if (pinned) versions['ruby'] = sourced(pinned, `.ruby-version: ${pinned}`);
  else if (gemRuby?.match[1])
    versions['ruby'] = sourced(gemRuby.match[1], `Gemfile:${gemRuby.line}: ${gemRuby.text}`);

  // jsbundling/cssbundling run npm during assets:precompile, so the target needs Node too.
  const jsAssets = rails && view.exists('package.json');
  return [
    makeCandidate({
      provider: 'ruby',
      language: 'ruby',
      framework: app?.framework ?? null,
      packageManager: 'bundler',
      versions,
      install: sourced(installCommand(view), view.exists('Gemfile.lock') ? 'Gemfile.lock' : 'Gemfile'),
      build,
      start: app && port ? sourced(app.start(port.value), `${app.what} server`) : null,
      test,
      port,
      moduleType: classifyModuleType(view, {
        language: 'ruby',
        framework: app?.framework ?? null,
        deps: [...gems],
        serves: app !== null,
      }),
      systemDependencies: [
        'ruby',
        'ruby-dev',
        'ruby-bundler',
        'build-essential',
        ...(jsAssets ? ['nodejs', 'npm'] : []),
      ],
      evidence: ev,
    }),
  ];
}

export const rubyProvider: Provider = { id: 'ruby', detect: detectRuby };
