import { createHmac } from 'node:crypto';

/** The signed headers of one delivery attempt. */
export interface WebhookSignatureHeaders {
  'shardpay-signature': string;
  'shardpay-event-id': string;
}

/** hex HMAC-SHA256(secret, "{t}.{body}"): one `v1` value. */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * `Shardpay-Signature: t=<unix s>,v1=<hex>[,v1=<hex>…]`: one `v1` per secret (during a rotation the
 * new one first, then the old), all over the same timestamp and body.
 *
 * @example signWebhookPayload(body, [secret], 1767225600, 'evt_…')
 */
export function signWebhookPayload(
  body: string,
  secrets: readonly string[],
  timestamp: number,
  eventId: string,
): WebhookSignatureHeaders {
  const values = secrets.map((secret) => `v1=${webhookSignature(secret, timestamp, body)}`);
  return { 'shardpay-signature': [`t=${timestamp}`, ...values].join(','), 'shardpay-event-id': eventId };
}
