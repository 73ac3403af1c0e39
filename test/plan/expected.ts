// Exact command strings the plan tests expect for the app `shop` under /opt/automatos/apps.
import { shellQuote } from '../../src/plan/index.js';
import { sandboxLauncher } from '../../src/sandbox/index.js';

export const APP = '/opt/automatos/apps/shop';
const PID = `${APP}/run/shop.pid`;
const CHILD = `${APP}/run/shop.child.pid`;
export const PROCESS_STOP =
  `if [ -f ${PID} ]; then p=$(cat ${PID}); ` +
  `kill -s TERM -- "-$p" 2>/dev/null || kill -s TERM "$p" 2>/dev/null; ` +
  `i=0; while [ $i -lt 150 ] && [ -f ${PID} ] && kill -s 0 "$p" 2>/dev/null; do sleep 0.1; i=$((i+1)); done; ` +
  `kill -s KILL -- "-$p" 2>/dev/null; fi; ` +
  `if [ -f ${CHILD} ]; then c=$(cat ${CHILD}); ` +
  `kill -s TERM -- "-$c" 2>/dev/null && sleep 1; kill -s KILL -- "-$c" 2>/dev/null; fi; ` +
  `rm -f ${PID} ${CHILD}`;
/**
 * The app starts under its supervisor inside the sandbox of its release: the launcher (tested on
 * its own in test/sandbox) with the start command, which loads the env file inside, as "$1".
 */
export const processStartFor = (release: string): string =>
  `bash --noprofile --norc -n -c 'npm start' || exit 2; ` +
  `if [ -f ${PID} ] && kill -s 0 "$(cat ${PID})" 2>/dev/null; then ` +
  `echo "shop is already running (supervisor pid $(cat ${PID})); stop it first" >&2; exit 1; fi; ` +
  `rm -f ${PID} ${CHILD}; ` +
  `setsid ${APP}/run/supervise.sh ${APP} shop -- sh -c ${shellQuote(launcherFor(release))} automatos-sandbox ` +
  `'set -a && . ${APP}/shared/.env && set +a && npm start' < /dev/null > /dev/null 2>&1 & ` +
  `i=0; while [ $i -lt 100 ] && [ ! -s ${PID} ]; do sleep 0.1; i=$((i+1)); done; ` +
  `test -s ${PID}`;

const launcherFor = (release: string): string =>
  sandboxLauncher(
    {
      writable: [`${APP}/releases/${release}`, `${APP}/shared`],
      readonly: [`${APP}/shared/.env`, `${APP}/shared/logs`],
      masked: ['/opt/automatos/apps/*/shared'],
      keep: [`${APP}/shared`],
      dieWithParent: false,
      home: `${APP}/shared/home`,
    },
    'bash',
  );
export const WRITE_SUPERVISOR = `umask 077 && cat > ${APP}/run/supervise.sh.next && chmod 0755 ${APP}/run/supervise.sh.next && mv -f ${APP}/run/supervise.sh.next ${APP}/run/supervise.sh`;
