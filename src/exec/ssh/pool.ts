import type { Client, ClientChannel } from 'ssh2';
import { AutomatosError } from '../../core/index.js';
import { SSH_DEFAULTS, describeTarget, type SshTargetConfig } from './config.js';
import { openConnection } from './connection.js';
import { channelError } from './errors.js';
import { HostKeyPolicy } from './host-key.js';
import { Slots } from './slots.js';

export interface PoolStats {
  /** Connections opened so far (1 for many commands on a healthy target). */
  connects: number;
  /** Command channels opened (kill helpers included). */
  channels: number;
  /** Most command channels open at once. */
  peakChannels: number;
}

const OPEN_RETRIES = 4;
const isOpenRefused = (error: unknown): boolean =>
  error instanceof Error && error.message.startsWith('(SSH) Channel open failure');

/**
 * One target's SSH connection: opened on first use, shared by every command, capped at `maxChannels`
 * concurrent command channels (FIFO queue beyond), reopened after the server dropped it, closed after
 * `idleTimeoutMs` without use.
 */
export class SshPool {
  readonly where: string;
  readonly slots: Slots;
  readonly stats: PoolStats = { connects: 0, channels: 0, peakChannels: 0 };
  private readonly hostKeys: HostKeyPolicy;
  private client: Client | undefined;
  private connecting: Promise<Client> | undefined;
  private users = 0;
  private openChannels = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly config: SshTargetConfig) {
    this.where = describeTarget(config);
    this.slots = new Slots(config.maxChannels ?? SSH_DEFAULTS.maxChannels);
    this.hostKeys = new HostKeyPolicy(this.where, config.hostKey);
  }

  /** Marks the pool busy (no idle close) until the returned function is called. */
  hold(): () => void {
    this.users += 1;
    clearTimeout(this.idleTimer);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.users -= 1;
      if (this.users === 0) this.scheduleIdleClose();
    };
  }

  /**
   * Opens an exec channel running `command` (a connection found dead before use is reopened once).
   * `onOpen` runs synchronously in ssh2's callback: a fast command's exit status can arrive in the
   * same packet batch, before a promise continuation could attach listeners.
   */
  async exec(command: string, onOpen?: (channel: ClientChannel) => void): Promise<ClientChannel> {
    for (let attempt = 0; ; attempt += 1) {
      const client = await this.connection();
      try {
        const channel = await execOn(client, command, (opened) => {
          this.countChannel(opened);
          onOpen?.(opened);
        });
        return channel;
      } catch (error) {
        // "Not connected" is thrown before anything is sent, so retrying cannot run the command twice.
        if (attempt === 0 && error instanceof NotConnected) {
          this.forget(client);
          continue;
        }
        // A refused channel open comes before the exec request: nothing ran. sshd frees a session
        // slot only once it reaped the session's child, a moment after we saw the channel close, so
        // under load the next open can hit MaxSessions; wait a little and open again.
        if (attempt < OPEN_RETRIES && isOpenRefused(error)) {
          await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
          continue;
        }
        throw channelError(error, this.where);
      }
    }
  }

  /** A TCP connection to host:port opened by the target (direct-tcpip through the pooled connection). */
  async forwardOut(host: string, port: number): Promise<ClientChannel> {
    const client = await this.connection();
    return new Promise((resolve, reject) => {
      client.forwardOut('127.0.0.1', 0, host, port, (error, channel) => {
        if (error) {
          reject(
            new AutomatosError(
              'AUT_EXEC_CONNECT',
              `Cannot connect to ${host}:${port} from ${this.where}: ${error.message}`,
              {
                details: { host, port, target: this.config.name },
                transient: true,
                cause: error,
              },
            ),
          );
          return;
        }
        const release = this.hold();
        channel.once('close', release);
        resolve(channel);
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    const client = this.client ?? (await this.connecting?.catch(() => undefined));
    this.client = undefined;
    if (client !== undefined) await endClient(client);
  }

  private connection(): Promise<Client> {
    if (this.closed) {
      return Promise.reject(
        new AutomatosError('AUT_EXEC_CLOSED', `The executor for ${this.where} is closed`, {
          details: { target: this.config.name },
        }),
      );
    }
    if (this.client !== undefined) return Promise.resolve(this.client);
    this.connecting ??= this.open();
    return this.connecting;
  }

  private async open(): Promise<Client> {
    try {
      const client = await openConnection(this.config, this.hostKeys, this.where, (lost) =>
        this.forget(lost),
      );
      this.stats.connects += 1;
      this.client = client;
      return client;
    } finally {
      this.connecting = undefined;
    }
  }

  private forget(client: Client | undefined): void {
    if (client !== undefined && this.client === client) this.client = undefined;
  }

  private countChannel(channel: ClientChannel): void {
    this.stats.channels += 1;
    this.openChannels += 1;
    this.stats.peakChannels = Math.max(this.stats.peakChannels, this.openChannels);
    channel.once('close', () => {
      this.openChannels -= 1;
    });
  }

  private scheduleIdleClose(): void {
    clearTimeout(this.idleTimer);
    const client = this.client;
    if (client === undefined) return;
    this.idleTimer = setTimeout(() => {
      if (this.users > 0 || this.client !== client) return;
      this.client = undefined;
      void endClient(client);
    }, this.config.idleTimeoutMs ?? SSH_DEFAULTS.idleTimeoutMs);
    this.idleTimer.unref();
  }
}

class NotConnected extends Error {}

function execOn(
  client: Client,
  command: string,
  onOpen: (channel: ClientChannel) => void,
): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    try {
      client.exec(command, (error, channel) => {
        if (error) return reject(error);
        onOpen(channel);
        resolve(channel);
      });
    } catch (error) {
      reject(new NotConnected(error instanceof Error ? error.message : String(error)));
    }
  });
}

function endClient(client: Client): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      client.destroy();
      resolve();
    }, 2000);
    client.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    client.end();
  });
}
