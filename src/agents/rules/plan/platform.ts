import type { Intent, PlatformWish } from '../intent/index.js';
import { met, unmet, type Handler } from './context.js';

type PlatformIntent = Extract<Intent, { kind: 'platform' }>;

/** Why each wish is beyond a deployment through Automatos, and what the operator can do instead. */
const PLATFORM_WHY: Readonly<Record<PlatformWish, string>> = {
  database:
    'Automatos deploys the application only; it does not provision databases, caches or queues. Run one separately and give the app its address as a secret (`automatos secrets set APP DATABASE_URL`).',
  tls: 'Automatos does not terminate TLS or obtain certificates: the app serves plain HTTP on its port. Put a reverse proxy with a certificate (Caddy, nginx with certbot) in front of it.',
  domain:
    "Automatos does not manage DNS or domains; point the domain at the target and a reverse proxy at the app's port.",
  scaling:
    'Automatos runs one instance of the app per target and does not scale or balance load (auto_scaling stays false: nothing would act on it). Deploy to several targets (--batch, labels) behind a load balancer.',
  backups:
    "Automatos keeps earlier releases for rollback (keep_releases), not backups of the app's data (backup_enabled stays false: nothing would act on it).",
  schedule:
    'Automatos runs long-lived processes and does not schedule jobs; use cron or a systemd timer on the target, or a scheduler inside the app.',
  zero_downtime:
    'A release restarts the app in place, so there is a short gap while the new process starts; deploy to several targets behind a load balancer to avoid it.',
  firewall:
    "Automatos does not change firewalls or publish ports; the app listens on its port on the target, and reaching it from outside is up to the host's network setup.",
  metrics:
    "Automatos does not collect the app's metrics or traces (only health checks); the app must export them and something must scrape them.",
  resources:
    'CPU, memory and GPU limits are not enforced by the process runtime; Automatos does not reserve resources on the target.',
  cloud_target:
    'Only local (a supervised process on the target) and docker deployments are supported; kubernetes, cloud_run, lambda and vercel are not yet.',
};

export const handlePlatform: Handler<PlatformIntent> = (intent) =>
  intent.negated
    ? met(intent.text, 'nothing to do: Automatos does not provide this anyway')
    : unmet(intent.text, PLATFORM_WHY[intent.wish]);
