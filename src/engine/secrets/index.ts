export {
  AppNameSchema,
  SecretNameSchema,
  SecretValueSchema,
  checkAppName,
  checkSecretName,
} from './names.js';
export { setAppSecret, removeAppSecret, listAppSecrets } from './manage.js';
