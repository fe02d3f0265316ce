import { ShardpayError } from '@shardpay/crypto';

/** Timings of webhook delivery (docs/gateway.md "Webhooks"). Tests shrink them. */
export interface WebhookSettings {
  /** Retry after a failed attempt: random(0, min(retryCapMs, retryBaseMs · 2^attempt)) (full jitter). */
  retryBaseMs: number;
  retryCapMs: number;
  /** A delivery not succeeded this long after its event was created is given up (`failed`). */
  maxAgeMs: number;
  /** How often the sender looks for new events and due deliveries. */
  pollIntervalMs: number;
  /** How long a replica owns a delivery it is sending; a crashed replica's are retried after it. */
  leaseMs: number;
  /** One POST's time limit. */
  requestTimeoutMs: number;
}

export const defaultWebhookSettings: WebhookSettings = {
  retryBaseMs: 10_000,
  retryCapMs: 60 * 60_000,
  maxAgeMs: 3 * 24 * 3600_000,
  pollIntervalMs: 1000,
  leaseMs: 60_000,
  requestTimeoutMs: 10_000,
};

const variables: ReadonlyArray<[keyof WebhookSettings, string, number, number]> = [
  ['retryBaseMs', 'SHARDPAY_WEBHOOK_RETRY_BASE_MS', 1, 3600_000],
  ['retryCapMs', 'SHARDPAY_WEBHOOK_RETRY_CAP_MS', 1, 24 * 3600_000],
  ['maxAgeMs', 'SHARDPAY_WEBHOOK_MAX_AGE_MS', 1, 30 * 24 * 3600_000],
  ['pollIntervalMs', 'SHARDPAY_WEBHOOK_POLL_MS', 10, 60_000],
  ['leaseMs', 'SHARDPAY_WEBHOOK_LEASE_MS', 100, 3600_000],
  ['requestTimeoutMs', 'SHARDPAY_WEBHOOK_TIMEOUT_MS', 100, 10_000],
];

/**
 * The webhook timings from the environment (defaults for what is unset). Meant for tests and
 * devnets: production keeps the defaults (10 s base, 1 h cap, 3 days).
 */
export function loadWebhookSettings(env: NodeJS.ProcessEnv): WebhookSettings {
  const settings = { ...defaultWebhookSettings };
  for (const [field, name, min, max] of variables) {
    const text = env[name];
    if (text === undefined || text === '') continue;
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new ShardpayError('CONFIG_INVALID', `${name} must be an integer in ${min}..${max}`, {
        meta: { variable: name },
      });
    }
    settings[field] = value;
  }
  // The lease must outlive a request, or a second replica could send while the first still waits.
  settings.leaseMs = Math.max(settings.leaseMs, settings.requestTimeoutMs + 500);
  return settings;
}

/**
 * The delay before the attempt after `failedAttempts` failures: exponential backoff with full
 * jitter, random(0, min(cap, base · 2^(failedAttempts − 1))). `random` is in [0, 1).
 */
export function webhookRetryDelayMs(
  settings: WebhookSettings,
  failedAttempts: number,
  random: () => number,
): number {
  const exponent = Math.min(Math.max(failedAttempts - 1, 0), 40);
  const ceiling = Math.min(settings.retryCapMs, settings.retryBaseMs * 2 ** exponent);
  return Math.floor(random() * ceiling);
}
