import type { GatewayClient } from './createGatewayClient.ts';
import { GatewayError, isGatewayError } from './GatewayError.ts';
import type { GatewayPayment } from './gatewayTypes.ts';

export interface WaitForPaymentOptions {
  /** Give up after this long (default 120 s): WAIT_TIMEOUT with the last status in `meta`. */
  timeoutMs?: number;
  /** Told of every status change, e.g. to show progress. */
  onStatus?: (payment: GatewayPayment) => void;
  signal?: AbortSignal;
}

/** Statuses after which a payment never changes again. */
const terminal = new Set(['credited', 'refunded']);

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Polls `GET /v1/payments/:id` (with backoff, 200 ms × 1.5 up to 1 s) until its status is one of
 * `wanted` or terminal (credited, refunded). A gateway that stops answering for a while is waited for
 * until the deadline.
 *
 * @example await waitForPayment(gateway, payment.id, ['credited', 'refunded'])
 */
export async function waitForPayment(
  client: GatewayClient,
  paymentId: string,
  wanted: readonly string[],
  options: WaitForPaymentOptions = {},
): Promise<GatewayPayment> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  let delay = 200;
  let last: GatewayPayment | undefined;
  for (;;) {
    try {
      const payment = await client.getPayment(paymentId);
      if (payment.status !== last?.status) options.onStatus?.(payment);
      last = payment;
      if (wanted.includes(payment.status) || terminal.has(payment.status)) return payment;
    } catch (error) {
      if (!isGatewayError(error, 'GATEWAY_UNREACHABLE')) throw error;
    }
    if (options.signal?.aborted || Date.now() + delay > deadline) {
      throw new GatewayError(
        'WAIT_TIMEOUT',
        `payment ${paymentId} did not become ${wanted.join(' or ')} within ${Math.round(timeoutMs / 1000)} s (last status: ${last?.status ?? 'unknown'}); it may still complete — check it later`,
        {
          status: 0,
          type: 'api_error',
          param: null,
          requestId: null,
          paymentId,
          lastStatus: last?.status ?? null,
        },
      );
    }
    await sleep(delay, options.signal);
    delay = Math.min(Math.round(delay * 1.5), 1000);
  }
}
