/** One example the demo deploys, and the port it gets (stable, so bookmarks and scripts keep working). */
export interface DemoApp {
  name: string;
  dir: string;
  port: number;
  /** The path the demo prints and its test fetches: one that answers 200 without credentials. */
  path: string;
  note?: string;
}

// Several examples default to the same port (3000 for Node, 8000 for Python and the static site):
// each gets its own with `--port`. crypto-api keeps 8000 because crypto-dashboard's manifest points
// CRYPTO_API_URL at http://127.0.0.1:8000. crypto-api comes before the dashboard that names it.
export const DEMO_APPS: readonly DemoApp[] = [
  { name: 'node-http', dir: 'examples/node-http', port: 3000, path: '/' },
  { name: 'python-http', dir: 'examples/python-http', port: 8001, path: '/' },
  { name: 'static-site', dir: 'examples/static-site', port: 8080, path: '/' },
  {
    name: 'crypto-api',
    dir: 'examples/crypto-api',
    port: 8000,
    path: '/health',
    note: 'GET /prices needs the X-API-Key header, see below',
  },
  { name: 'crypto-dashboard', dir: 'examples/crypto-dashboard', port: 3001, path: '/' },
];

export const demoUrl = (app: DemoApp): string => `http://127.0.0.1:${app.port}${app.path}`;
