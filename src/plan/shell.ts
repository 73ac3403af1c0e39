import { argv, chain, script, type Command } from './command.js';

/** `set -a; . FILE; set +a`: export every variable of the app's env file to what follows. */
export function withEnvFile(envFile: string, command: Command): Command {
  return chain(argv('set', '-a'), argv('.', envFile), argv('set', '+a'), command);
}

/** A command the manifest author wrote; `origin` names the field so errors and audits can point at it. */
export function userScript(text: string, origin: string): Command {
  return script(text.trim(), origin);
}
