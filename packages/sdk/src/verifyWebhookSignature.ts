import { bytesToHex, constantTimeEqual, hexToBytes, hmacSha256, utf8ToBytes } from '@shardpay/crypto';

/** Options of `verifyWebhookSignature`. */
export interface VerifyWebhookSignatureOptions {
  /** How far (seconds) the signature's `t` may be from `now`, either way. Default 300. */
  toleranceSeconds?: number;
  /** The receiver's clock (default: the current time). */
  now?: Date;
}

/**
 * Checks a webhook from the gateway: true when the `Shardpay-Signature` header has a timestamp `t`
 * within `toleranceSeconds` of `now` and a `v1` equal to hex HMAC-SHA256(secret, "{t}.{body}"),
 * compared in constant time. During a secret rotation the header has two `v1` values: either may
 * match. `body` must be the raw request body, byte for byte as received (not re-serialized JSON).
 *
 * @example
 * if (!verifyWebhookSignature(req.headers['shardpay-signature'], rawBody, secret)) return res.status(400).end();
 * const event = JSON.parse(rawBody); // de-duplicate on event.id: delivery is at least once
 */
export function verifyWebhookSignature(
  header: string | null | undefined,
  body: string,
  secret: string,
  options: VerifyWebhookSignatureOptions = {},
): boolean {
  if (typeof header !== 'string' || header.length > 4096) return false;
  let timestamp: number | undefined;
  const candidates: Uint8Array[] = [];
  for (const part of header.split(',')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    const key = part.slice(0, index).trim();
    const value = part.slice(index + 1).trim();
    if (key === 't' && /^[0-9]{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) candidates.push(hexToBytes(value));
  }
  if (timestamp === undefined || candidates.length === 0) return false;
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300)) return false;
  const expected = hmacSha256(utf8ToBytes(secret), utf8ToBytes(`${timestamp}.${body}`));
  let matched = false;
  // Every candidate is compared (no early exit), each in constant time.
  for (const candidate of candidates) {
    if (constantTimeEqual(expected, candidate)) matched = true;
  }
  return matched;
}

/** hex HMAC-SHA256(secret, "{t}.{body}"): what one `v1=` of the header holds (for tests and tools). */
export function webhookSignatureHex(secret: string, timestamp: number, body: string): string {
  return bytesToHex(hmacSha256(utf8ToBytes(secret), utf8ToBytes(`${timestamp}.${body}`)));
}
