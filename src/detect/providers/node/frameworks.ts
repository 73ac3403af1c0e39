/**
 * Node frameworks, most specific first: meta-frameworks (Next, Nuxt, Remix…) depend on React or
 * Vite themselves, so Vite must only win when nothing above it matched.
 */
export interface NodeFramework {
  id: string;
  label: string;
  /** Any of these in dependencies or devDependencies marks the framework. */
  deps: readonly string[];
  port: number;
  /** A start script matching this runs a dev server, which must not be deployed. */
  devServer?: RegExp;
  /** A script that is the production start for this framework, preferred over `start`. */
  prodScript?: string;
  /** Production start when the package has no usable start script. */
  fallbackStart: string | null;
  /** Built assets served by a static server rather than by a Node process. */
  staticDir?: string;
}

const BIN = './node_modules/.bin';

export const NODE_FRAMEWORKS: readonly NodeFramework[] = [
  {
    id: 'next',
    label: 'Next.js',
    deps: ['next'],
    port: 3000,
    devServer: /\bnext dev\b/,
    fallbackStart: `${BIN}/next start -H 0.0.0.0 -p 3000`,
  },
  {
    id: 'nuxt',
    label: 'Nuxt',
    deps: ['nuxt'],
    port: 3000,
    devServer: /\b(nuxt|nuxi) dev\b/,
    fallbackStart: 'node .output/server/index.mjs',
  },
  {
    id: 'react-router',
    label: 'React Router (framework mode)',
    deps: ['@react-router/dev', '@react-router/serve'],
    port: 3000,
    devServer: /\breact-router dev\b/,
    fallbackStart: `${BIN}/react-router-serve ./build/server/index.js`,
  },
  {
    id: 'remix',
    label: 'Remix',
    deps: ['@remix-run/node', '@remix-run/serve', '@remix-run/dev'],
    port: 3000,
    devServer: /\bremix( vite:)? dev\b/,
    fallbackStart: `${BIN}/remix-serve ./build/server/index.js`,
  },
  {
    id: 'astro',
    label: 'Astro',
    deps: ['astro'],
    port: 4321,
    devServer: /\bastro dev\b/,
    fallbackStart: null,
    staticDir: 'dist',
  },
  {
    id: 'nestjs',
    label: 'NestJS',
    deps: ['@nestjs/core'],
    port: 3000,
    devServer: /\bnest start --watch\b/,
    prodScript: 'start:prod',
    fallbackStart: 'node dist/main',
  },
  { id: 'fastify', label: 'Fastify', deps: ['fastify'], port: 3000, fallbackStart: null },
  { id: 'express', label: 'Express', deps: ['express'], port: 3000, fallbackStart: null },
  { id: 'koa', label: 'Koa', deps: ['koa'], port: 3000, fallbackStart: null },
  { id: 'hapi', label: 'hapi', deps: ['@hapi/hapi'], port: 3000, fallbackStart: null },
  {
    id: 'vite',
    label: 'Vite',
    deps: ['vite'],
    port: 4173,
    devServer: /^vite( dev)?( |$)/,
    fallbackStart: `${BIN}/vite preview --host 0.0.0.0 --port 4173`,
  },
  {
    id: 'create-react-app',
    label: 'Create React App',
    deps: ['react-scripts'],
    port: 3000,
    devServer: /\breact-scripts start\b/,
    fallbackStart: null,
    staticDir: 'build',
  },
];

/** Dev tooling that alone does not make a package.json a deployable app. */
export const TOOLING = new Set([
  'prettier',
  'eslint',
  'typescript',
  'husky',
  'lint-staged',
  'stylelint',
  'markdownlint-cli',
  '@commitlint/cli',
  '@commitlint/config-conventional',
  'commitizen',
  'cspell',
  'editorconfig-checker',
  'npm-run-all',
  'concurrently',
  'standard-version',
  'semantic-release',
  'esbuild',
  'sass',
  'tailwindcss',
  'postcss',
  'autoprefixer',
]);

/** Static builds are served by Python's http.server: present on nearly every host, no npm download at start. */
export function staticServe(dir: string, port: number): string {
  return `python3 -m http.server ${port} --bind 0.0.0.0 --directory ${dir}`;
}
