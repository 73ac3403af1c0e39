import type { Language } from '../../../detect/index.js';

export type AuthType = 'basic' | 'api_key' | 'jwt' | 'oauth2';
export type LogLevel = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';
export type CommandField = 'start_command' | 'build_command' | 'test_command';
export type ModuleTypeHint = 'web_app' | 'api' | 'microservice' | 'data_pipeline' | 'ml_model' | 'automation';

/** One word of a stack phrase: "Python", "Flask", "web server", "gunicorn". */
export interface StackHint {
  word: string;
  language?: Language;
  framework?: string;
  moduleType?: ModuleTypeHint;
  /** A program the start command should run (`gunicorn`), when the prompt names one. */
  server?: string;
  /** A file the start command should come from ("using the Procfile"). */
  file?: string;
}

/** Wishes the orchestrator cannot provide; each has its own explanation. */
export type PlatformWish =
  | 'database'
  | 'tls'
  | 'domain'
  | 'scaling'
  | 'backups'
  | 'schedule'
  | 'zero_downtime'
  | 'firewall'
  | 'metrics'
  | 'resources'
  | 'cloud_target';

/** Wishes the orchestrator does provide (or records) without the app's help. */
export type DeployWish = 'rollback' | 'monitoring' | 'alerts' | 'restart' | 'docker' | 'systemd';

/** Security features only the app itself can implement. */
export type AppFeature = 'rate_limiting' | 'cors';

export type IntentData =
  | { kind: 'stack'; hints: StackHint[] }
  | { kind: 'command'; field: CommandField; command: string }
  | { kind: 'env'; name: string; value: string }
  | { kind: 'port'; port: number }
  | { kind: 'health'; endpoint: string | null }
  | { kind: 'workers'; count: number }
  | { kind: 'tests' }
  | { kind: 'auth'; authType: AuthType | null }
  | { kind: 'feature'; feature: AppFeature }
  | { kind: 'logging'; level: LogLevel; debugMode: boolean }
  | { kind: 'platform'; wish: PlatformWish }
  | { kind: 'deploy'; wish: DeployWish }
  | { kind: 'behaviour' }
  | { kind: 'unknown' };

export type IntentKind = IntentData['kind'];

/** A wish read from the prompt: what it asks for and the words it was read from. */
export type Intent = IntentData & {
  /** The prompt's own words for it, shown to the operator as the requirement. */
  text: string;
  /** Offsets in the normalized prompt; requirements are listed in prompt order. */
  start: number;
  end: number;
  /** Preceded by "without", "no", "skip", "don't" …: the user asked for its absence. */
  negated: boolean;
};

/** One row of a matcher table: a pattern and what a match means (null: not this after all). */
export interface Matcher {
  pattern: RegExp;
  read(match: RegExpExecArray): IntentData | null;
}
