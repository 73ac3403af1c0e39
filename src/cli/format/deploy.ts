/** What the deploy summary needs: the engine's outcome, or one rebuilt from the API's workflow. */
export interface OutcomeSummary {
  workflowId: string;
  app: string;
  releaseId: string | null;
  status: string;
  targets: readonly {
    target: string;
    status: string;
    serving: string | null;
    url: string | null;
    error: string | null;
  }[];
}

/** The lines after a deployment: its status, then each target's status and what it serves. */
export function formatOutcome(outcome: OutcomeSummary): string {
  const lines = [
    `${outcome.app} release ${outcome.releaseId ?? '-'}: ${outcome.status} (workflow ${outcome.workflowId})`,
  ];
  for (const t of outcome.targets) {
    const serving =
      t.serving === null ? 'nothing serving' : `serving ${t.serving}${t.url === null ? '' : ` at ${t.url}`}`;
    lines.push(
      `  ${t.target.padEnd(12)} ${t.status.padEnd(12)} ${serving}${t.error === null ? '' : `\n    ${t.error.replace(/\n/g, '\n    ')}`}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** How to follow and stop a workflow that runs somewhere else. */
export const followHints = (id: string): string =>
  `  follow it:  automatos workflows logs ${id} --follow\n  stop it:    automatos workflows stop ${id}\n`;
