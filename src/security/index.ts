export { Sensitive, sensitive, REDACTED } from './sensitive.js';
export { redact, redactCredentials, createRedactor, MIN_SECRET_LENGTH } from './redact.js';
export type { Redactor } from './redact.js';
export { seal, open, KEY_BYTES } from './crypto.js';
export type { Sealed, KeyMaterial } from './crypto.js';
export { loadMasterKey, parseMasterKey, MASTER_KEY_ENV, MASTER_KEY_FILE } from './master-key.js';
export type { MasterKey, LoadMasterKeyOptions } from './master-key.js';
export { Keystore } from './keystore.js';
