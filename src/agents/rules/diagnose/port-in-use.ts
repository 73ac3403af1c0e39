import type { DiagnosisInput } from '../../agent.js';
import { noFix, quote, type DiagnosisRule } from './rule.js';

const IN_USE =
  /EADDRINUSE|address already in use|Connection in use|port \d+ is (?:already )?(?:in use|allocated)|Errno 98|Only one usage of each socket address/i;

/** Where each runtime prints the port it could not bind. */
const PORT_IN_LOG: readonly RegExp[] = [
  /EADDRINUSE[^\n]*?:(\d{2,5})\b/,
  /Connection in use: \([^,]+,\s*(\d{2,5})\)/,
  /:(\d{2,5}): bind: address already in use/,
  /port (\d{2,5}) is (?:already )?(?:in use|allocated)/i,
  /address already in use[^\n]*?(?:port\s+|:)(\d{2,5})\b/i,
];

/** A different unprivileged port on every attempt, so the same fix is never proposed twice. */
function nextPort(port: number, attempt: number): number {
  const base = port < 1024 ? 8000 : port;
  const next = base + attempt;
  return next > 65_535 ? 8000 + attempt : next;
}

export const portInUse: DiagnosisRule = {
  id: 'port_in_use',
  diagnose(input: DiagnosisInput) {
    if (!IN_USE.test(input.logTail)) return null;
    const seen = PORT_IN_LOG.map((p) => p.exec(input.logTail)?.[1]).find((p) => p !== undefined);
    const logged = seen === undefined ? null : Number(seen);
    const line = quote(input.logTail, IN_USE);
    if (logged !== null && logged !== input.module.port) {
      return noFix(
        `Port ${logged} is already in use on the target ("${line}"), but the manifest's port is ${input.module.port}: ` +
          'the app chooses that port itself (in its code or start command). Change it there, or free the port.',
      );
    }
    const port = nextPort(input.module.port, input.attempt);
    return {
      fix: { kind: 'set_port', port },
      reason:
        `Port ${input.module.port} is already in use on the target ("${line}"): another process holds it. ` +
        `Moving the app to port ${port}; the start command, PORT and the health check follow.`,
    };
  },
};
