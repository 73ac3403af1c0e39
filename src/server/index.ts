export { buildServer, DEFAULT_BODY_LIMIT } from './app.js';
export type { ServerOptions, RouteInfo } from './app.js';
export type { Access } from './auth/access.js';
export type { Limit, RateLimitOptions } from './auth/rate-limits.js';
export { statusFor } from './errors.js';
export type { ApiErrorCode, ErrorBody } from './errors.js';
export { bootstrapAdminKey, ADMIN_KEY_ENV } from './bootstrap.js';
export type { BootstrapResult } from './bootstrap.js';
