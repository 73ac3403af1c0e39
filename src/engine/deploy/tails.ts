import { redactCredentials } from '../../security/index.js';
import type { DeployEvents, LogStreamName, Phase, StepStatus } from './events.js';

/** What a diagnoser reads of a failed step: its last lines, bounded, whatever the step printed. */
export const TAIL_LINES = 60;
export const TAIL_CHARS = 6000;

/**
 * Passes every event on and keeps the last lines each (target, step) wrote, so that when a step
 * fails the diagnoser gets its tail without reading the store. Lines arrive already redacted of the
 * app's secrets (runPlanned); credential-shaped text is redacted again on the way out.
 */
export class TailingEvents implements DeployEvents {
  private readonly tails = new Map<string, string[]>();

  constructor(private readonly inner: DeployEvents) {}

  step(target: string, step: Phase, status: StepStatus, detail?: string): void {
    if (status === 'running') this.tails.delete(`${target}\u0000${step}`);
    this.inner.step(target, step, status, detail);
  }

  log(target: string, step: Phase, stream: LogStreamName, text: string): void {
    const key = `${target}\u0000${step}`;
    const lines = this.tails.get(key) ?? [];
    for (const line of text.replace(/\n$/, '').split('\n'))
      lines.push(stream === 'stderr' ? `! ${line}` : line);
    this.tails.set(key, lines.slice(-TAIL_LINES));
    this.inner.log(target, step, stream, text);
  }

  /** The last lines of a step on a target (stderr lines marked `! `), at most TAIL_CHARS. */
  tail(target: string, step: Phase): string {
    const text = redactCredentials((this.tails.get(`${target}\u0000${step}`) ?? []).join('\n'));
    return text.length > TAIL_CHARS ? text.slice(-TAIL_CHARS) : text;
  }
}
