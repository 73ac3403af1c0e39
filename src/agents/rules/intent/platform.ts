import type { DeployWish, Matcher, PlatformWish } from './types.js';

function platform(wish: PlatformWish, pattern: RegExp): Matcher {
  return { pattern, read: () => ({ kind: 'platform', wish }) };
}

function deploy(wish: DeployWish, pattern: RegExp): Matcher {
  return { pattern, read: () => ({ kind: 'deploy', wish }) };
}

/** What a deployment through Automatos gives (or records) on its own. */
export const DEPLOY_MATCHERS: readonly Matcher[] = [
  deploy(
    'rollback',
    /\b(?:automatic\s+|auto[- ]?)?roll[- ]?backs?(?:\s+(?:on|if|when)\s+(?:failures?|it\s+fails|errors?))?\b/gi,
  ),
  deploy(
    'alerts',
    /\balert(?:s|ing)?(?:\s+(?:on|when|if)\s+(?:failures?|downtime|it\s+goes\s+down|errors?))?\b/gi,
  ),
  deploy('monitoring', /\b(?:health\s+|uptime\s+)?monitor(?:ing|ed)?\b|\buptime\s+checks?\b/gi),
  deploy(
    'restart',
    /\b(?:auto(?:matic(?:ally)?)?[- ]?restart(?:s|ed|ing)?(?:\s+(?:on|after|if\s+it)\s+(?:crash(?:es)?|failures?|fails?))?|restart(?:s|ed)?\s+(?:it\s+)?(?:on|after|if\s+it|when\s+it)\s+(?:crash(?:es)?|fail(?:s|ures?)?|dies)|keep\s+(?:it\s+)?(?:running|alive|up)|always\s+(?:on|running|up))\b/gi,
  ),
  deploy('systemd', /\b(?:as\s+a\s+)?systemd(?:\s+(?:service|unit))?\b/gi),
  deploy(
    'docker',
    /\b(?:in\s+(?:a\s+)?)?(?:docker(?:i[sz]ed)?(?:\s+containers?)?|containers?|containeri[sz]ed)\b/gi,
  ),
];

/** What it cannot provide; order matters where words overlap (a domain URL before "https"). */
export const PLATFORM_MATCHERS: readonly Matcher[] = [
  platform(
    'domain',
    /\b(?:(?:a|my|our|its\s+own)\s+)?(?:custom\s+)?(?:sub)?domain(?:\s+names?)?s?\b|\bdns\b|\b(?:on|at)\s+(?:https?:\/\/)?(?:[a-z0-9-]+\.)+(?:com|net|org|io|dev|app|ai|co|xyz|tech|cloud)\b/gi,
  ),
  platform(
    'tls',
    /\b(?:https|tls|ssl)(?:\s+(?:certificates?|certs?|termination|support|enabled|encryption))?\b|\blet'?s\s*encrypt(?:\s+certificates?)?\b|\bcertificates?\b/gi,
  ),
  platform(
    'database',
    /\b(?:(?:a|an|its\s+own|own)\s+)?(?:(?:postgres(?:ql)?|mysql|mariadb|mongo(?:db)?|redis|memcached|sqlite|cassandra|elasticsearch|rabbitmq|kafka)(?:\s+(?:databases?|db))?|databases?|db)(?:\s+(?:server|instance|backend|connection|cache|queue|broker))?\b/gi,
  ),
  platform(
    'cloud_target',
    /\b(?:kubernetes|k8s|aws\s+lambda|lambda|cloud\s+run|vercel|serverless|heroku|netlify)\b/gi,
  ),
  platform(
    'scaling',
    /\bauto[- ]?scal(?:e|es|ed|ing)(?:\s+(?:up\s+)?to\s+\d+(?:\s+(?:replicas|instances|pods|nodes|copies|containers))?)?\b|\b\d+\s+(?:replicas|instances|pods|copies|nodes)\b|\bscal(?:e|es|ing)\s+(?:out|up|horizontally)\b|\bload[- ]?balanc(?:er|ers|ing|ed)\b|\bhigh(?:ly)?[- ]availab(?:le|ility)\b/gi,
  ),
  platform(
    'backups',
    /\b(?:automatic\s+|automated\s+|daily\s+|nightly\s+|weekly\s+|regular\s+)?backups?\b/gi,
  ),
  platform(
    'schedule',
    /\b(?:cron(?:\s*jobs?)?|scheduled?(?:\s+(?:jobs?|tasks?))?|every\s+(?:\d+\s+)?(?:minutes?|hours?|days?|weeks?|nights?|morning)|hourly|daily|nightly|weekly)\b/gi,
  ),
  platform(
    'zero_downtime',
    /\b(?:zero[- ]downtime|no\s+downtime|blue[- ]green|canary|rolling)(?:\s+(?:deploy(?:ment)?s?|releases?|updates?|upgrades?))?\b/gi,
  ),
  platform(
    'firewall',
    /\bfirewall(?:\s+rules?)?\b|\bpublic(?:ly)?\s+(?:accessible|available|reachable)\b|\b(?:open|expose)\s+(?:it\s+)?(?:to\s+)?(?:the\s+)?(?:internet|world|public)\b|\bon\s+the\s+internet\b/gi,
  ),
  platform(
    'metrics',
    /\b(?:prometheus\s+)?metrics\b|\bprometheus\b|\b(?:distributed\s+)?tracing\b|\bopentelemetry\b|\bgrafana\b/gi,
  ),
  platform(
    'resources',
    /\b\d+(?:\.\d+)?\s*(?:gb|gib|mb|mib)\s+(?:of\s+)?(?:ram|memory)\b|\b\d+\s+(?:v?cpus?|cores?)\b|\b(?:memory|cpu|ram)\s+limits?\b|\bgpus?\b/gi,
  ),
];
