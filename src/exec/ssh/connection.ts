import { Client, type ConnectConfig } from 'ssh2';
import type { AutomatosError } from '../../core/index.js';
import { SSH_DEFAULTS, type SshTargetConfig } from './config.js';
import { connectError } from './errors.js';
import type { HostKeyPolicy } from './host-key.js';

/**
 * Opens one authenticated ssh2 connection, or fails with a named error (refused, auth, host key,
 * timeout). `onDrop` fires once when a ready connection is lost.
 */
export function openConnection(
  config: SshTargetConfig,
  hostKeys: HostKeyPolicy,
  where: string,
  onDrop: (client: Client) => void,
): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let refusal: AutomatosError | undefined;
    let ready = false;
    let dropped = false;
    const drop = (): void => {
      if (ready && !dropped) {
        dropped = true;
        onDrop(client);
      }
    };
    client.on('ready', () => {
      ready = true;
      resolve(client);
    });
    client.on('error', (error) => {
      if (!ready) reject(connectError(error, where, refusal));
      drop();
    });
    client.on('close', () => {
      if (!ready) reject(connectError(new Error('connection closed during handshake'), where, refusal));
      drop();
    });
    const options: ConnectConfig = {
      host: config.host,
      port: config.port ?? SSH_DEFAULTS.port,
      username: config.user,
      readyTimeout: config.readyTimeoutMs ?? SSH_DEFAULTS.readyTimeoutMs,
      keepaliveInterval: config.keepaliveIntervalMs ?? SSH_DEFAULTS.keepaliveIntervalMs,
      keepaliveCountMax: config.keepaliveCountMax ?? SSH_DEFAULTS.keepaliveCountMax,
      hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
        hostKeys.check(key).then(
          (rejected) => {
            refusal = rejected;
            verify(rejected === undefined);
          },
          () => verify(false),
        );
      },
      ...('agent' in config.auth
        ? { agent: config.auth.agent }
        : { privateKey: config.auth.privateKey, passphrase: config.auth.passphrase }),
    };
    try {
      client.connect(options);
      // Commands are many small request/reply exchanges: Nagle + delayed ACK would add ~40 ms each.
      client.setNoDelay(true);
    } catch (error) {
      reject(connectError(error, where));
    }
  });
}
