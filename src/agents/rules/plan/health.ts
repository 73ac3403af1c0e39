import type { Intent } from '../intent/index.js';
import { met, type Handler } from './context.js';

type HealthIntent = Extract<Intent, { kind: 'health' }>;

export const handleHealth: Handler<HealthIntent> = (intent, ctx) => {
  const current = ctx.module.health_check ?? {};
  if (intent.negated) {
    ctx.module.health_check = { ...current, enabled: false };
    return met(intent.text, 'health_check.enabled: false (a release is not verified over HTTP)');
  }
  const endpoint = intent.endpoint ?? current.endpoint ?? '/health';
  ctx.module.health_check = { ...current, enabled: true, endpoint };
  return met(
    intent.text,
    `health_check: GET ${endpoint} after each release (the app must answer 200); a failing check rolls the release back`,
  );
};
