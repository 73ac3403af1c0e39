import { AutomatosError, type ErrorCode } from '../../core/index.js';

interface Ssh2Error extends Error {
  code?: string;
  level?: string;
}

/** Translates an ssh2/socket failure while connecting into a named error; never includes key material. */
export function connectError(error: unknown, where: string, refusal?: AutomatosError): AutomatosError {
  if (refusal !== undefined) return refusal;
  if (error instanceof AutomatosError) return error;
  const e = (error instanceof Error ? error : new Error(String(error))) as Ssh2Error;
  const details = { target: where, code: e.code, level: e.level };
  const make = (code: ErrorCode, message: string, transient: boolean): AutomatosError =>
    new AutomatosError(code, message, { details, transient, cause: e });
  if (e.code === 'ECONNREFUSED') {
    return make(
      'AUT_SSH_REFUSED',
      `Connection to ${where} refused: is sshd running and the port right?`,
      true,
    );
  }
  if (e.level === 'client-authentication') {
    return make(
      'AUT_SSH_AUTH',
      `Authentication to ${where} failed: the server did not accept the key (check the user and authorized_keys)`,
      false,
    );
  }
  if (/privateKey|private key|passphrase/i.test(e.message)) {
    return make(
      'AUT_SSH_AUTH',
      `Cannot use the private key for ${where}: wrong passphrase or not a key`,
      false,
    );
  }
  if (e.level === 'client-timeout' || e.code === 'ETIMEDOUT') {
    return make('AUT_SSH_TIMEOUT', `Timed out connecting to ${where}: ${e.message}`, true);
  }
  if (e.level === 'client-dns' || e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') {
    return make('AUT_SSH_CONNECTION', `Cannot resolve the host of ${where}: ${e.message}`, true);
  }
  if (e.level === 'agent') {
    return make('AUT_SSH_AUTH', `The ssh-agent could not sign for ${where}: ${e.message}`, false);
  }
  return make('AUT_SSH_CONNECTION', `Cannot connect to ${where}: ${e.message}`, true);
}

/** A channel could not be opened or the connection broke while a command ran. */
export function channelError(error: unknown, where: string): AutomatosError {
  if (error instanceof AutomatosError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AutomatosError('AUT_SSH_CHANNEL', `SSH channel to ${where} failed: ${message}`, {
    details: { target: where },
    transient: true,
    cause: error,
  });
}
