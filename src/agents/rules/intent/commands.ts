import type { CommandField, Matcher } from './types.js';

/** Only quoted commands are taken: `start it with \`python3 serve.py\``; unquoted text is too ambiguous. */
const QUOTED = String.raw`(?:\x60([^\x60]+)\x60|"([^"]+)")`;
const HOW = String.raw`\s+(?:with|using|via|by running)\s+`;
const NAMED = String.raw`[\s_-]command\s*(?:is|=|:|of)?\s*`;

function command(field: CommandField, pattern: string): Matcher {
  return {
    pattern: new RegExp(pattern, 'gi'),
    read: (m) => {
      const text = (m[1] ?? m[2] ?? '').trim();
      return text === '' || text.length > 2000 ? null : { kind: 'command', field, command: text };
    },
  };
}

/** Most specific first: "run the tests with `pytest -q`" is a test command, not a start command. */
export const COMMAND_MATCHERS: readonly Matcher[] = [
  command(
    'test_command',
    String.raw`\b(?:(?:run\s+)?(?:the\s+)?tests?(?:\s+it)?${HOW}|test${NAMED})${QUOTED}`,
  ),
  command('build_command', String.raw`\b(?:build(?:\s+it)?${HOW}|build${NAMED})${QUOTED}`),
  command(
    'start_command',
    String.raw`\b(?:(?:start|run|launch|serve)(?:\s+it|\s+the\s+(?:app|server|service))?${HOW}|start${NAMED})${QUOTED}`,
  ),
];
