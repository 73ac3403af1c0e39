import { cliActor, registerRepository, removeRepository } from '../../engine/index.js';
import type { Repository } from '../../store/index.js';
import type { CommandContext } from '../context.js';
import { printJson } from '../io.js';
import { withOrchestrator } from '../orchestrator.js';

export interface ReposAddOptions {
  url: string;
  provider: 'github' | 'gitlab';
  branch: string;
  targets: string;
  json?: boolean;
}

const shown = (r: Repository) => ({
  name: r.name,
  url: r.url,
  provider: r.provider,
  branch: r.branch,
  targets: r.targets,
  createdAt: r.createdAt,
});

/** Registers a repository for webhook deploys; the webhook secret is printed once, here only. */
export async function reposAddCommand(
  ctx: CommandContext,
  name: string,
  opts: ReposAddOptions,
): Promise<number> {
  const secretFromEnv = ctx.io.env['AUTOMATOS_WEBHOOK_SECRET'];
  const { repository, secret } = await withOrchestrator(ctx, (orch) =>
    registerRepository(
      orch,
      {
        name,
        url: opts.url,
        provider: opts.provider,
        branch: opts.branch,
        targets: opts.targets
          .split(',')
          .map((t) => t.trim())
          .filter((t) => t !== ''),
        ...(secretFromEnv === undefined || secretFromEnv === '' ? {} : { secret: secretFromEnv }),
      },
      cliActor(),
    ),
  );
  const path = `/webhooks/${repository.provider}`;
  if (opts.json === true) {
    printJson(ctx.io, { ...shown(repository), webhook: { path, secret } });
    return 0;
  }
  ctx.io.out(
    `registered ${repository.name}: pushes to ${repository.branch} of ${repository.url} deploy to ${repository.targets.join(', ')}\n` +
      `  webhook URL:    https://<your automatos server>${path}  (content type application/json)\n` +
      `  webhook secret: ${secret}\n` +
      `  (shown once; ${repository.provider === 'github' ? 'GitHub: "Secret"' : 'GitLab: "Secret token"'})\n`,
  );
  return 0;
}

export async function reposListCommand(ctx: CommandContext, opts: { json?: boolean }): Promise<number> {
  const repos = await withOrchestrator(ctx, (orch) => orch.store.repositories.list());
  if (opts.json === true) {
    printJson(ctx.io, repos.map(shown));
    return 0;
  }
  ctx.io.out('NAME                 PROVIDER  BRANCH          TARGETS             URL\n');
  for (const r of repos) {
    ctx.io.out(
      `${r.name.padEnd(20)} ${r.provider.padEnd(9)} ${r.branch.padEnd(15)} ${r.targets.join(',').padEnd(19)} ${r.url}\n`,
    );
  }
  return 0;
}

export async function reposRemoveCommand(ctx: CommandContext, name: string): Promise<number> {
  await withOrchestrator(ctx, (orch) => removeRepository(orch, name, cliActor()));
  ctx.io.out(`removed ${name} and its webhook secret\n`);
  return 0;
}
