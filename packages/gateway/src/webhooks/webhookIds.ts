import { randomBytes } from 'node:crypto';

/** Typed ids of webhook objects: endpoints `we_`, deliveries `whd_`, attempts `wha_` (16 random bytes). */
export type WebhookIdPrefix = 'we' | 'whd' | 'wha';

export function createWebhookId(prefix: WebhookIdPrefix): string {
  return `${prefix}_${randomBytes(16).toString('base64url')}`;
}

/** The id pattern of `prefix`, for route schemas. */
export function webhookIdPattern(prefix: WebhookIdPrefix): string {
  return `^${prefix}_[A-Za-z0-9_-]{22}$`;
}

/** A signing secret: `whsec_` + 32 random bytes (base64url). */
export function createWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}
