import { AutomatosError } from '../../core/index.js';
import { redactUrl } from '../../source/index.js';
import { isApiKeyFormat, sensitive, type Sensitive } from '../../security/index.js';
import type { CommandContext } from '../context.js';

export const URL_ENV = 'AUTOMATOS_URL';
export const KEY_ENV = 'AUTOMATOS_API_KEY';

export interface RemoteSettings {
  /** The server's base URL, always ending in `/` so paths resolve under a proxy prefix too. */
  base: URL;
  key: Sensitive<string>;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

function parseBase(raw: string): URL {
  const usage = (why: string) =>
    new AutomatosError(
      'AUT_USAGE',
      `${URL_ENV} must be the server's http:// or https:// address, such as http://127.0.0.1:8080 — ${why}`,
    );
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw usage(`got ${JSON.stringify(redactUrl(raw))}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw usage(`got ${url.protocol}//`);
  // The key goes in a header, never in the URL, where proxies and shells would log it.
  if (url.username !== '' || url.password !== '') throw usage('put no credentials in it; set ' + KEY_ENV);
  if (url.search !== '' || url.hash !== '') throw usage('it must have no query or fragment');
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/**
 * Remote mode: AUTOMATOS_URL names a server and AUTOMATOS_API_KEY authenticates to it. Null when
 * AUTOMATOS_URL is unset or empty (the command runs embedded). The key is only ever read from the
 * environment: on a command line it would show in `ps` and in shell history.
 */
export function remoteSettings(ctx: CommandContext): RemoteSettings | null {
  const raw = ctx.io.env[URL_ENV]?.trim() ?? '';
  if (raw === '') return null;
  const base = parseBase(raw);
  if (ctx.storeOption !== undefined) {
    throw new AutomatosError(
      'AUT_USAGE',
      `${ctx.storeOption} selects the embedded store, but ${URL_ENV} sends this command to ${base.origin}: ` +
        `drop ${ctx.storeOption}, or unset ${URL_ENV} to run it embedded`,
    );
  }
  const key = ctx.io.env[KEY_ENV]?.trim() ?? '';
  if (key === '') {
    throw new AutomatosError(
      'AUT_USAGE',
      `${URL_ENV} is set (${base.origin}) but ${KEY_ENV} is not: set it to an API key of that server ` +
        '(`automatos keys create` on the server prints one)',
    );
  }
  if (!isApiKeyFormat(key)) {
    throw new AutomatosError(
      'AUT_USAGE',
      `${KEY_ENV} does not look like an Automatos API key (atm_<id>_<secret>); its value is not shown`,
    );
  }
  if (base.protocol === 'http:' && !LOOPBACK.test(base.hostname)) {
    ctx.io.err(
      `warning: ${URL_ENV} is plain http:// to ${base.hostname}: the API key and secrets travel unencrypted; ` +
        'serve with --tls-cert/--tls-key and use https://\n',
    );
  }
  return { base, key: sensitive(key) };
}
