import { AutomatosError } from '../../core/index.js';
import type { ServerContext } from '../context.js';

/**
 * A local directory or file:// URL reads the orchestrator's own disk (any repository on it, or
 * any directory as a tier-2 source): refused unless the operator allows it with --allow-local-sources.
 * Remote URLs are validated again (transports, option smuggling) by the source module before git runs.
 */
export function checkSource(ctx: ServerContext, url: string, field = 'repository_url'): void {
  const remote = /^(https|ssh):\/\//i.test(url) || /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:(?!\/\/)/.test(url);
  if (!remote && !ctx.allowLocalSources) {
    throw new AutomatosError(
      'AUT_SOURCE_INVALID',
      `${field} must be a remote git URL (https://, ssh:// or user@host:path); directories and ` +
        'file:// URLs on the orchestrator are refused unless the server runs with --allow-local-sources',
      { details: { field } },
    );
  }
}
