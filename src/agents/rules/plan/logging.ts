import type { Intent } from '../intent/index.js';
import { met, unmet, type Handler } from './context.js';

type LoggingIntent = Extract<Intent, { kind: 'logging' }>;

const CAPTURED = "the app's stdout and stderr are kept in its log file on the target (shared/logs)";

/**
 * The level is recorded in monitoring.logging_level. A level other than the default also goes into
 * LOG_LEVEL, which many apps and logging libraries read; one the prompt set explicitly wins.
 */
export const handleLogging: Handler<LoggingIntent> = (intent, ctx) => {
  if (intent.negated) {
    return unmet(intent.text, `Automatos cannot switch the app's logging off: ${CAPTURED}`);
  }
  const { level } = intent;
  ctx.module.monitoring = { ...(ctx.module.monitoring ?? {}), logging_level: level };
  const env = { ...(ctx.module.environment_variables ?? {}) };
  let how = `monitoring.logging_level: ${level}`;
  if (level !== 'INFO') {
    env['LOG_LEVEL'] ??= level;
    ctx.module.environment_variables = env;
    how += `; LOG_LEVEL=${env['LOG_LEVEL']} in the app's environment (used if the app reads it)`;
  }
  if (intent.debugMode) {
    ctx.notes.push(
      "The framework's own debug mode is not switched on: it exposes an interactive debugger. Set it explicitly (e.g. FLASK_DEBUG=1) if that is really wanted.",
    );
  }
  return met(intent.text, `${how}; ${CAPTURED}`);
};
