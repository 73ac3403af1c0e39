export {
  registerRepository,
  removeRepository,
  repositorySecret,
  RegisterRepositorySchema,
} from './repositories.js';
export type { RegisterRepositoryInput } from './repositories.js';
export { handlePush } from './push.js';
export type { PushDelivery, PushResult } from './push.js';
