/**
 * Policy decisions per second over the test corpus, against a floor of only parsing the same
 * commands with tree-sitter (`parseShell`). Run: npx tsx bench/policy-check.ts
 */
import { createPolicyEngine, parseShell } from '../src/policy/index.js';
import { ALLOWED } from '../test/policy/corpus-allowed.js';
import { DENIED } from '../test/policy/corpus-denied.js';

const corpus = [...DENIED.map(([command]) => command), ...ALLOWED];
const ctx = { cwd: '/opt/automatos/apps/web/releases/2' };
const engine = createPolicyEngine();
const ROUNDS = 20;

async function measure(run: (command: string) => Promise<void>): Promise<number> {
  for (const command of corpus) await run(command); // warm-up (loads the grammar, JIT)
  const start = process.hrtime.bigint();
  for (let round = 0; round < ROUNDS; round += 1) for (const command of corpus) await run(command);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return (ROUNDS * corpus.length) / seconds;
}

const parseOnly = await measure(async (command) => {
  (await parseShell(command)).delete();
});
const check = await measure(async (command) => {
  await engine.check(command, ctx);
});

console.table([
  { step: 'parseShell only (floor)', 'commands/s': Math.round(parseOnly), ratio: 1 },
  {
    step: 'engine.check (standard)',
    'commands/s': Math.round(check),
    ratio: Number((parseOnly / check).toFixed(2)),
  },
]);
console.log(`${corpus.length} commands x ${ROUNDS} rounds; ratio = time per check / time per parse`);
