import type { Intent, StackHint } from '../intent/index.js';
import { evidenceFiles, met, stackName, unmet, type Handler } from './context.js';

type StackIntent = Extract<Intent, { kind: 'stack' }>;

function versionOf(hint: StackHint): string | null {
  return /\d+(?:\.\d+)*/.exec(hint.word)?.[0] ?? null;
}

/**
 * A stack phrase is met when the module runs what it names: the language, the framework, the
 * server program. Module-type words ("API", "web server") set module_type and never fail.
 */
export const handleStack: Handler<StackIntent> = (intent, ctx) => {
  const c = ctx.base;
  const misses: string[] = [];
  const remarks: string[] = [];
  let checked = 0;
  for (const hint of intent.hints) {
    if (hint.moduleType !== undefined && hint.language === undefined) {
      if (ctx.module.module_type !== hint.moduleType) ctx.module.module_type = hint.moduleType;
      continue;
    }
    if (hint.server !== undefined || hint.file !== undefined || hint.language !== undefined) checked += 1;
    if (hint.server !== undefined) {
      if (!new RegExp(`\\b${hint.server}\\b`).test(ctx.module.start_command)) misses.push(hint.server);
      continue;
    }
    if (hint.file !== undefined) {
      if (!c?.evidence.some((e) => e.file === hint.file)) misses.push(hint.word);
      continue;
    }
    if (hint.language === undefined) continue;
    if (c === null) {
      misses.push(hint.word);
      continue;
    }
    if (hint.framework !== undefined ? c.framework !== hint.framework : c.language !== hint.language) {
      misses.push(hint.word);
    }
    const version = versionOf(hint);
    if (version !== null) {
      remarks.push(
        `${hint.word}: the target's installed ${hint.language} is used; Automatos does not install version ${version}`,
      );
    }
  }
  if (intent.negated) {
    return misses.length === checked
      ? met(intent.text, `not used: the module runs ${c ? stackName(c) : 'the commands from the prompt'}`)
      : unmet(
          intent.text,
          `the repository is ${c ? stackName(c) : 'unknown'}, which the prompt asked not to use`,
        );
  }
  const runs = `start_command: ${ctx.module.start_command}`;
  if (misses.length === 0) {
    const from = c ? `detected ${stackName(c)} (${evidenceFiles(c)}); ` : '';
    return met(
      intent.text,
      `${from}module_type: ${ctx.module.module_type}; ${runs}${remarks.length ? `; ${remarks.join('; ')}` : ''}`,
    );
  }
  const what = c ? `${stackName(c)} (${evidenceFiles(c)})` : 'no known stack';
  const server = intent.hints.find((h) => h.server !== undefined && misses.includes(h.server));
  const why = server
    ? `the start command does not run ${server.server} (${runs}); add ${server.server} to the app's dependencies so detection starts the app with it`
    : `the repository looks like ${what}, not ${misses.join(', ')}; deploying what was detected. If detection is wrong, write ai-module.yaml (automatos init).`;
  return unmet(intent.text, why);
};
