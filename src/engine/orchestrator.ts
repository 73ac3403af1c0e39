import { userInfo } from 'node:os';
import { AuditLog, checkpointPath, deriveAuditKeys } from '../audit/index.js';
import { AutomatosError } from '../core/index.js';
import { GuardedExecutor, LocalExecutor, SshExecutor, TargetRateLimiter } from '../exec/index.js';
import type { Actor, Executor, GuardedTarget } from '../exec/index.js';
import { createPolicyEngine, PROFILES } from '../policy/index.js';
import type { PolicyEngine, Profile } from '../policy/index.js';
import { createAgents, loadAgentConfig } from '../agents/index.js';
import type { Agents } from '../agents/index.js';
import { ApiKeys, Keystore, loadMasterKey } from '../security/index.js';
import { openStore } from '../store/index.js';
import type { Store, Target } from '../store/index.js';
import { LOCAL_TARGET, localPolicyContext, localSandboxMode } from './local-target.js';
import { InProcessEventBus } from './events/index.js';
import type { EventBus } from './events/index.js';
import { loadPolicyConfig } from './policy-file.js';

export interface OrchestratorOptions {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  /** PostgreSQL instead of the embedded SQLite file (`AUTOMATOS_DATABASE_URL` / `--database-url`). */
  databaseUrl?: string;
  /** Default: an in-process bus. */
  bus?: EventBus;
}

export interface ResolveOptions {
  /** Accept an unknown host key once and pin it (the operator's `--trust-host-key`). */
  trustHostKey?: boolean;
}

const asProfile = (value: string): Profile => {
  if ((PROFILES as readonly string[]).includes(value)) return value as Profile;
  throw new AutomatosError(
    'AUT_STORE',
    `stored policy profile "${value}" is not one of ${PROFILES.join(', ')}`,
  );
};

/**
 * The composition root: one store, one audit log, one policy engine and one guarded executor per
 * process, and one executor (connection pool) per target, opened on first use.
 */
export class Orchestrator {
  private readonly executors = new Map<string, Executor>();
  private agentsInstance: Agents | undefined;

  private constructor(
    readonly store: Store,
    readonly audit: AuditLog,
    readonly keystore: Keystore,
    readonly guard: GuardedExecutor,
    /** The policy the guard applies, for reviewing a whole plan before any of it runs. */
    readonly policy: PolicyEngine,
    readonly bus: EventBus,
    /** API keys of the HTTP server (digests under a key derived from the master key). */
    readonly apiKeys: ApiKeys,
    readonly dataDir: string,
    private readonly env: NodeJS.ProcessEnv,
    /** `local` has no stored policy: the policy file's `profile` and `writable_roots` are its own. */
    readonly localPolicy: { profile: Profile; writableRoots?: readonly string[] },
  ) {}

  static async open(options: OrchestratorOptions): Promise<Orchestrator> {
    const env = options.env ?? process.env;
    const masterKey = loadMasterKey({ dataDir: options.dataDir, env });
    const policyConfig = await loadPolicyConfig(options.dataDir, env);
    const store = await openStore(
      options.databaseUrl === undefined ? { dataDir: options.dataDir } : { databaseUrl: options.databaseUrl },
    );
    // Keyed chain and signed checkpoints: the keys come from the master key, never from the database.
    const audit = new AuditLog(store, {
      keys: deriveAuditKeys(masterKey.key),
      checkpoints: { file: checkpointPath(options.dataDir) },
    });
    const policy = createPolicyEngine(policyConfig);
    const guard = new GuardedExecutor({
      policy,
      audit,
      limiter: new TargetRateLimiter(),
    });
    const bus = options.bus ?? new InProcessEventBus();
    return new Orchestrator(
      store,
      audit,
      new Keystore(store, masterKey.key),
      guard,
      policy,
      bus,
      new ApiKeys(store, masterKey.key),
      options.dataDir,
      env,
      {
        profile: policyConfig.profile ?? 'standard',
        ...(policyConfig.writableRoots === undefined ? {} : { writableRoots: policyConfig.writableRoots }),
      },
    );
  }

  /** The built-in `local` target, or a registered SSH target, ready for the guard. */
  async target(name: string, options: ResolveOptions = {}): Promise<GuardedTarget> {
    // The orchestrator's own data dir (master key, database) is masked in every sandbox: a target
    // may be this very machine, reached over SSH.
    const protectedPaths = [this.dataDir];
    if (name === LOCAL_TARGET) {
      return {
        ...localPolicyContext(this.localPolicy.profile),
        executor: this.executorFor(name, () => new LocalExecutor()),
        sandbox: localSandboxMode(this.env),
        protectedPaths,
      };
    }
    const target = await this.store.targets.get(name);
    const executor = this.executorFor(name, () => this.sshExecutor(target, options));
    return {
      name,
      executor,
      profile: asProfile(target.policyProfile),
      home: target.user === 'root' ? '/root' : `/home/${target.user}`,
      ...(target.root === null ? {} : { writableRoots: [target.root, '/tmp', '/var/tmp'] }),
      sandbox: target.sandbox,
      protectedPaths,
    };
  }

  /** The environment this orchestrator was opened with (settings such as AUTOMATOS_LOCAL_SANDBOX). */
  get environment(): NodeJS.ProcessEnv {
    return this.env;
  }

  /**
   * The tier-2 planner and diagnoser configured for this process (AUTOMATOS_LLM_* or the data dir's
   * config.yaml; `rules` by default), made on first use so a bad LLM setting only stops what needs it.
   */
  agents(): Agents {
    this.agentsInstance ??= createAgents(loadAgentConfig(this.env, this.dataDir));
    return this.agentsInstance;
  }

  /** The clear value of an app's secret, or null when it is not set. Only the env file gets it. */
  async secret(app: string, name: string): Promise<string | null> {
    const entry = await this.store.appSecrets.find(app, name);
    return entry === undefined ? null : (await this.keystore.getSecret(entry.keyId)).reveal();
  }

  /** Encrypts and stores a secret value, replacing (and deleting) any previous one. */
  async setSecret(app: string, name: string, value: string, actor: Actor): Promise<void> {
    const keyId = await this.keystore.putSecret(`secret:${app}:${name}`, value);
    const previous = await this.store.appSecrets.set(app, name, keyId);
    if (previous !== null) await this.keystore.remove(previous);
    await this.audit.append({ ...actor, action: 'secret.set', details: { app, name } });
  }

  async removeSecret(app: string, name: string, actor: Actor): Promise<void> {
    await this.keystore.remove(await this.store.appSecrets.remove(app, name));
    await this.audit.append({ ...actor, action: 'secret.remove', details: { app, name } });
  }

  /** Drops a cached executor (after the target's settings changed) and closes its connection. */
  async forget(name: string): Promise<void> {
    const executor = this.executors.get(name);
    this.executors.delete(name);
    await executor?.close();
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.executors.values()].map((executor) => executor.close()));
    this.executors.clear();
    this.audit.close();
    await this.bus.close();
    await this.store.close();
  }

  private executorFor(name: string, create: () => Executor): Executor {
    let executor = this.executors.get(name);
    if (executor === undefined) {
      executor = create();
      this.executors.set(name, executor);
    }
    return executor;
  }

  private sshExecutor(target: Target, options: ResolveOptions): Executor {
    const keyId = target.auth.kind === 'key' ? target.auth.keyId : null;
    const agent = this.env['SSH_AUTH_SOCK'];
    if (keyId === null && (agent === undefined || agent === '')) {
      throw new AutomatosError(
        'AUT_SSH_AUTH',
        `target ${target.name} authenticates with ssh-agent, but SSH_AUTH_SOCK is not set in this environment`,
        { details: { target: target.name } },
      );
    }
    return new LazySshExecutor(target.name, async () => {
      const auth =
        keyId === null
          ? { agent: agent ?? '' }
          : { privateKey: (await this.keystore.getKey(keyId)).reveal() };
      return new SshExecutor({
        name: target.name,
        host: target.host,
        port: target.port,
        user: target.user,
        auth,
        hostKey: {
          ...(target.hostKeyFingerprint === null ? {} : { fingerprint: target.hostKeyFingerprint }),
          trustOnFirstUse: options.trustHostKey === true,
          onTrust: (fingerprint) => this.pinHostKey(target.name, fingerprint),
        },
      });
    });
  }

  private async pinHostKey(name: string, fingerprint: string): Promise<void> {
    await this.store.targets.update(name, { hostKeyFingerprint: fingerprint });
    await this.audit.append({
      principal: `cli:${userInfo().username}`,
      source: 'cli',
      action: 'target.host_key.trust',
      target: name,
      details: { fingerprint },
    });
  }
}

/** Decrypts the target's private key only when the first command needs the connection. */
class LazySshExecutor implements Executor {
  private inner: Promise<SshExecutor> | undefined;

  constructor(
    readonly target: string,
    private readonly create: () => Promise<SshExecutor>,
  ) {}

  private get executor(): Promise<SshExecutor> {
    this.inner ??= this.create();
    return this.inner;
  }

  async run(...args: Parameters<Executor['run']>) {
    return (await this.executor).run(...args);
  }

  async upload(...args: Parameters<Executor['upload']>) {
    return (await this.executor).upload(...args);
  }

  async connect(...args: Parameters<Executor['connect']>) {
    return (await this.executor).connect(...args);
  }

  async close(): Promise<void> {
    if (this.inner !== undefined) await (await this.inner).close();
  }
}

export const cliActor = (): Actor => ({ principal: `cli:${userInfo().username}`, source: 'cli' });
