import { makeCandidate, sourced } from '../../candidate.js';
import { classifyModuleType } from '../../module-type.js';
import { inferPort } from '../../port.js';
import type { Provider } from '../../provider.js';
import type { RepoView } from '../../repo-view.js';
import { evidence } from '../../text.js';
import { parseToml, tomlString } from '../../toml.js';
import type { Candidate, Evidence, Sourced } from '../../types.js';

const RUST_FRAMEWORKS: readonly { id: string; crate: string; port: number }[] = [
  { id: 'actix-web', crate: 'actix-web', port: 8080 },
  { id: 'axum', crate: 'axum', port: 3000 },
  { id: 'rocket', crate: 'rocket', port: 8000 },
  { id: 'warp', crate: 'warp', port: 3030 },
];

function detectRust(view: RepoView): Candidate[] {
  const text = view.readText('Cargo.toml');
  if (text === null) return [];
  const cargo = parseToml(text);
  const pkg = cargo.tables['package'];
  const name = tomlString(pkg, 'name');
  const ev: Evidence[] = [evidence('Cargo.toml', `Cargo.toml for crate ${name ?? '(workspace)'}`, 2)];
  if (view.exists('Cargo.lock')) ev.push(evidence('Cargo.lock', 'dependencies are locked', 1));
  const crates = Object.keys(cargo.tables['dependencies'] ?? {});
  const fw = RUST_FRAMEWORKS.find((f) => crates.includes(f.crate)) ?? null;
  if (fw) ev.push(evidence('Cargo.toml', `depends on ${fw.crate}`, 3));

  // An explicit [[bin]] names the binary; otherwise src/main.rs builds one named after the package.
  const binName = tomlString(cargo.arrays['bin']?.[0], 'name') ?? (view.exists('src/main.rs') ? name : null);
  if (binName)
    ev.push(
      evidence(view.exists('src/main.rs') ? 'src/main.rs' : 'Cargo.toml', `binary target ${binName}`, 2),
    );
  else ev.push(evidence('Cargo.toml', 'no binary target (library crate): nothing to start', -2));

  const port = binName
    ? inferPort(view, {
        commands: [],
        extensions: ['.rs'],
        entryFiles: ['src/main.rs'],
        convention: fw ? { port: fw.port, what: fw.id } : null,
      })
    : null;
  const versions: Record<string, Sourced<string>> = {};
  const channel =
    view.readText('rust-toolchain.toml')?.match(/channel\s*=\s*"([^"]+)"/)?.[1] ??
    view.readText('rust-toolchain')?.trim();
  const rv = tomlString(pkg, 'rust-version');
  if (channel) versions['rust'] = sourced(channel, 'rust-toolchain');
  else if (rv) versions['rust'] = sourced(rv, `Cargo.toml rust-version: ${rv}`);

  const locked = view.exists('Cargo.lock') ? ' --locked' : '';
  return [
    makeCandidate({
      provider: 'rust',
      language: 'rust',
      framework: fw?.id ?? null,
      packageManager: 'cargo',
      versions,
      install: sourced(`cargo fetch${locked}`, 'Cargo.toml'),
      build: sourced(`cargo build --release${locked}`, 'Cargo.toml'),
      start: binName ? sourced(`./target/release/${binName}`, `binary target ${binName}`) : null,
      test: sourced('cargo test', 'cargo test (standard tool)'),
      port,
      moduleType: classifyModuleType(view, {
        language: 'rust',
        framework: fw?.id ?? null,
        deps: crates,
        serves: fw !== null || (port !== null && !port.source.startsWith('convention')),
      }),
      systemDependencies: ['cargo', 'build-essential'],
      evidence: ev,
    }),
  ];
}

export const rustProvider: Provider = { id: 'rust', detect: detectRust };
