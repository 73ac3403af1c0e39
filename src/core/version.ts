import { readFileSync } from 'node:fs';

// Read once from package.json so `--version`, the API and MCP cannot drift from the published version.
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};
export const VERSION = pkg.version;
