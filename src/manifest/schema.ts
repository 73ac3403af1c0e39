import { z } from 'zod';

/**
 * The ai-module.yaml schema: the single source for validation, the TypeScript types and the shipped
 * JSON Schema. Fields and defaults follow the original system's files; our extensions (marked
 * "extension") are additive and optional so those files keep validating.
 */

export const MODULE_TYPES = [
  'web_app',
  'api',
  'microservice',
  'data_pipeline',
  'ml_model',
  'automation',
  'infrastructure',
] as const;
export const ModuleTypeSchema = z.enum(MODULE_TYPES);
export type ModuleType = z.infer<typeof ModuleTypeSchema>;

export const DEPLOYMENT_TARGETS = ['local', 'docker', 'kubernetes', 'cloud_run', 'lambda', 'vercel'] as const;
/** Targets we can run today; the rest parse but are refused at plan time with a clear message. */
export const SUPPORTED_DEPLOYMENT_TARGETS: readonly DeploymentTarget[] = ['local', 'docker'];
export const DeploymentTargetSchema = z.enum(DEPLOYMENT_TARGETS);
export type DeploymentTarget = z.infer<typeof DeploymentTargetSchema>;

export const RUNTIMES = ['auto', 'process', 'systemd', 'docker'] as const;
export const RuntimeSchema = z.enum(RUNTIMES);
export type Runtime = z.infer<typeof RuntimeSchema>;

export const LOGGING_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'] as const;

/** App and target names: they become directory, unit and container names. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
// semver.org's recommended expression, anchored.
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CPU = /^(\d+m|\d+(\.\d+)?)$/;
const QUANTITY = /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|K|M|G|T)?$/;

// `what` is kept for readability at the call sites; the parser writes the operator-facing message.
const nonEmpty = (_what: string) => z.string().trim().min(1, { message: 'must not be empty' });
const envName = z.string().regex(ENV_NAME, {
  message: 'must be an environment variable name: letters, digits and _, not starting with a digit',
});
const stringList = z.array(nonEmpty('an entry')).default([]);

/** YAML users write `WORKERS: 4` or `DEBUG: false`; the env file holds strings, so scalars are kept as text. */
const envValue = z.union([z.string(), z.number(), z.boolean()]).transform((value) => String(value));

export const ResourcesSchema = z.strictObject({
  cpu: z
    .string()
    .regex(CPU, { message: 'must be a CPU quantity such as "100m", "0.5" or "2"' })
    .default('100m'),
  memory: z
    .string()
    .regex(QUANTITY, { message: 'must be a memory quantity such as "128Mi" or "1Gi"' })
    .default('128Mi'),
  storage: z
    .string()
    .regex(QUANTITY, { message: 'must be a storage quantity such as "1Gi" or "500Mi"' })
    .default('1Gi'),
  gpu: z.boolean().default(false),
});

export const HEALTH_CHECK_TYPES = ['http', 'tcp', 'command'] as const;

export const HealthCheckSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    endpoint: z
      .string()
      .regex(/^\/\S*$/, { message: 'must be a path starting with "/", such as "/health"' })
      .default('/health'),
    interval: z.number().int().min(1).max(86_400).default(30),
    timeout: z.number().int().min(1).max(3_600).default(10),
    retries: z.number().int().min(0).max(100).default(3),
    /** extension: how to probe; `http` (default) GETs the endpoint, `tcp` connects, `command` runs one. */
    type: z.enum(HEALTH_CHECK_TYPES).default('http'),
    /** extension: the HTTP status that counts as healthy. */
    expected_status: z.number().int().min(100).max(599).default(200),
    /** extension: seconds to wait after start before the first probe counts. */
    start_period: z.number().int().min(0).max(3_600).default(0),
    /** extension: the command for `type: command`; exit 0 is healthy. */
    command: nonEmpty('health_check.command').optional(),
  })
  .superRefine((check, ctx) => {
    // Cross-field rule: a command probe with no command would be "healthy" by never running anything.
    if (check.type === 'command' && check.command === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['command'],
        message: 'is required when health_check.type is "command"; add e.g. command: "./healthcheck.sh"',
        params: { code: 'missing_health_command' },
      });
    }
  });

export const SecuritySchema = z.strictObject({
  enable_auth: z.boolean().default(false),
  auth_type: z.enum(['jwt', 'api_key', 'basic', 'oauth2']).default('jwt'),
  rate_limiting: z.boolean().default(true),
  input_validation: z.boolean().default(true),
  cors_enabled: z.boolean().default(true),
  allowed_origins: z.array(nonEmpty('an origin')).default([]),
});

export const MonitoringSchema = z.strictObject({
  metrics_enabled: z.boolean().default(true),
  logging_level: z.enum(LOGGING_LEVELS).default('INFO'),
  tracing_enabled: z.boolean().default(false),
  alerts_enabled: z.boolean().default(false),
});

// An extra writable path: absolute, normalized, two levels deep at least, and outside the trees
// whose files the system runs or reads as configuration (cron spools, package databases, dotfiles).
const FORBIDDEN_WRITABLE =
  /^\/(?:|bin|boot|dev|etc|lib|lib32|lib64|libx32|proc|root|run|sbin|sys|usr|var\/spool|var\/mail|var\/lib\/(?:dpkg|apt|systemd|rpm)|var\/cache\/apt)(?:\/|$)/;
const shallow = (path: string): boolean => path.split('/').filter((part) => part !== '').length < 2;
const inHomeTop = (path: string): boolean => {
  const parts = path.split('/').filter((part) => part !== '');
  return parts[0] === 'home' && (parts.length < 3 || parts.slice(2).some((part) => part.startsWith('.')));
};
const writablePath = z
  .string()
  .max(4096)
  .refine((path) => path.startsWith('/'), { message: 'must be an absolute path' })
  .refine((path) => ![...path].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f), {
    message: 'must not contain control characters',
  })
  .refine((path) => !path.split('/').some((part) => part === '..' || part === '.'), {
    message: 'must not contain "." or ".." components',
  })
  .refine((path) => !FORBIDDEN_WRITABLE.test(path.replace(/\/+$/, '/')), {
    message: 'must not be /, a system directory (/etc, /usr, /bin, /proc, /var/spool, …) or inside one',
  })
  .refine((path) => !shallow(path), { message: 'must be at least two levels deep, such as /srv/data' })
  .refine((path) => !inHomeTop(path), {
    message:
      'must be inside a home directory, and not in a dot directory (/home/USER/data, not /home/USER/.config)',
  });

export const HooksSchema = z.strictObject({
  pre_build: stringList,
  post_build: stringList,
  pre_release: stringList,
  post_release: stringList,
});

export const AiModuleSchema = z.strictObject({
  name: z
    .string()
    .max(63, { message: 'must be at most 63 characters (it becomes a directory and service name)' })
    .regex(DNS_LABEL, {
      message:
        'must be DNS-label-safe: lowercase letters, digits and "-", starting and ending with a letter or digit',
    }),
  version: z.string().regex(SEMVER, { message: 'must be a semantic version such as "1.0.0"' }),
  description: nonEmpty('description'),
  module_type: ModuleTypeSchema,
  build_command: nonEmpty('build_command'),
  start_command: nonEmpty('start_command'),
  test_command: nonEmpty('test_command').nullable().default(null),
  dependencies: stringList,
  dev_dependencies: stringList,
  system_dependencies: stringList,
  secrets: z.array(envName).default([]),
  environment_variables: z.record(envName, envValue).default({}),
  deployment_target: DeploymentTargetSchema.default('local'),
  port: z.number().int().min(1).max(65_535).default(8000),
  resources: ResourcesSchema.prefault({}),
  health_check: HealthCheckSchema.prefault({}),
  security: SecuritySchema.prefault({}),
  monitoring: MonitoringSchema.prefault({}),
  auto_scaling: z.boolean().default(false),
  backup_enabled: z.boolean().default(false),
  rollback_enabled: z.boolean().default(true),
  custom_config: z.record(z.string(), z.unknown()).default({}),
  /** extension: how the app is run on the target; `auto` picks systemd where the host has it, else process. */
  runtime: RuntimeSchema.default('auto'),
  /** extension: commands run in the release directory around build and release. */
  hooks: HooksSchema.prefault({}),
  /** extension: how many releases to keep on each target for rollback. */
  keep_releases: z.number().int().min(1).max(100).default(5),
  /**
   * extension: absolute paths the app's commands may write besides its release dir, its shared/
   * dir and a private /tmp (the sandbox keeps the rest of the filesystem read-only).
   */
  writable_paths: z.array(writablePath).max(32).default([]),
});

/** A manifest after validation, every default filled in. */
export type AiModule = z.output<typeof AiModuleSchema>;

/**
 * The normalized manifest as the API shows it: `AiModuleSchema` without its one transform (numbers
 * and booleans in `environment_variables` become strings), so it can check and describe output.
 */
export const AiModuleOutputSchema = AiModuleSchema.extend({
  environment_variables: z.record(envName, z.string()),
});
/** What a user may write: optional fields may be left out. */
export type AiModuleInput = z.input<typeof AiModuleSchema>;
