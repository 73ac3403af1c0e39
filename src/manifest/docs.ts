/**
 * One short explanation per field, keyed by dotted path. The JSON Schema's descriptions and the
 * comments in rendered templates both come from here, and a test checks that every schema field
 * has an entry, so editor tooltips and `automatos init` output never drift apart.
 */
export const FIELD_DOCS: Readonly<Record<string, string>> = {
  name: 'App name: lowercase letters, digits and "-", at most 63 characters; becomes the directory and service name.',
  version: 'Version of this app, as semver (e.g. "1.0.0").',
  description: 'One line saying what the app does.',
  module_type:
    'Kind of module: web_app, api, microservice, data_pipeline, ml_model, automation or infrastructure.',
  build_command: 'Shell command run in the release directory to install dependencies and build.',
  start_command:
    'Shell command that starts the app in the foreground; it must listen on `port` if it serves HTTP.',
  test_command: 'Shell command run after the build; a failure stops the deployment. null to skip.',
  dependencies: 'Runtime packages, for information and tier-2 planning; build_command installs them.',
  dev_dependencies: 'Build- and test-time packages, for information.',
  system_dependencies: 'OS packages the target needs (e.g. "python3", "libpq-dev").',
  secrets: 'Names of secrets (stored encrypted by automatos) injected as environment variables.',
  environment_variables: 'Plain environment variables for the app (NAME: value). Never put secrets here.',
  deployment_target:
    'Where the app runs: local (a supervised process on the target) or docker; kubernetes, cloud_run, lambda and vercel are not supported yet.',
  port: 'TCP port the app listens on (1-65535).',
  resources: 'Resource limits for the app.',
  'resources.cpu': 'CPU limit: millicores ("500m") or cores ("0.5", "2").',
  'resources.memory': 'Memory limit, e.g. "128Mi", "1Gi".',
  'resources.storage': 'Disk space for the app, e.g. "1Gi".',
  'resources.gpu': 'Whether the app needs a GPU.',
  health_check: 'How automatos decides the app is up after a release and while it runs.',
  'health_check.enabled': 'false skips verification after release (and rollback on failure).',
  'health_check.endpoint': 'HTTP path probed when type is http.',
  'health_check.interval': 'Seconds between probes while monitoring (1-86400).',
  'health_check.timeout': 'Seconds before one probe counts as failed (1-3600); keep it at most interval.',
  'health_check.retries': 'Failed probes in a row before the app counts as unhealthy (0-100).',
  'health_check.type':
    'http (GET the endpoint), tcp (connect to port) or command (run `command`, exit 0 is healthy).',
  'health_check.expected_status': 'HTTP status that counts as healthy (100-599).',
  'health_check.start_period': 'Seconds after start before failed probes count (0-3600), for slow starters.',
  'health_check.command': 'Command run on the target when type is command; exit status 0 means healthy.',
  security: 'Security features the app itself provides; recorded with the deployment.',
  'security.enable_auth': 'Whether the app requires authentication.',
  'security.auth_type': 'jwt, api_key, basic or oauth2.',
  'security.rate_limiting': 'Whether the app rate-limits its clients.',
  'security.input_validation': 'Whether the app validates its input.',
  'security.cors_enabled': 'Whether the app sends CORS headers.',
  'security.allowed_origins': 'Origins allowed by CORS, e.g. "https://example.com"; empty means none listed.',
  monitoring: 'Metrics, logging and alerting.',
  'monitoring.metrics_enabled': 'Whether metrics are collected.',
  'monitoring.logging_level': 'DEBUG, INFO, WARNING, ERROR or CRITICAL.',
  'monitoring.tracing_enabled': 'Whether request tracing is on.',
  'monitoring.alerts_enabled': 'Whether health transitions raise alerts.',
  auto_scaling: 'Whether to scale out automatically (recorded; not acted on yet).',
  backup_enabled: 'Whether the app data should be backed up (recorded; not acted on yet).',
  rollback_enabled: 'Whether a failed health check after release switches back to the previous release.',
  custom_config: 'Free-form settings for your own tooling; automatos keeps but does not read them.',
  runtime: 'How the app is run: auto (systemd where available, else process), process, systemd or docker.',
  hooks: 'Extra shell commands run in the release directory.',
  'hooks.pre_build': 'Run before build_command.',
  'hooks.post_build': 'Run after build_command (and test_command).',
  'hooks.pre_release': 'Run before the new release becomes current.',
  'hooks.post_release': 'Run after the new release is started.',
  keep_releases: 'How many releases to keep on each target for rollback (1-100).',
  writable_paths:
    "Absolute paths the app's commands may write besides its release dir, its shared/ dir and a private /tmp; everything else is read-only in the sandbox.",
};

/** A line the user can paste when a required field is missing. */
export const REQUIRED_EXAMPLES: Readonly<Record<string, string>> = {
  name: 'name: my-app',
  version: 'version: "1.0.0"',
  description: 'description: "What this app does"',
  module_type: 'module_type: web_app',
  build_command: 'build_command: "npm ci && npm run build"',
  start_command: 'start_command: "npm start"',
};
