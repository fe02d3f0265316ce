import type { GatewayClient } from './createGatewayClient.ts';
import { GatewayError, isGatewayError } from './GatewayError.ts';
import type { GatewayCashout, GatewayPurchase } from './gatewayTypes.ts';

export interface WaitForRampOptions<Item> {
  /** Give up after this long (default 120 s): WAIT_TIMEOUT with the last status in `meta`. */
  timeoutMs?: number;
  /** Told of every status change, e.g. to show progress. */
  onStatus?: (item: Item) => void;
  signal?: AbortSignal;
}

/** Where a purchase stops on its own: done, failed, or waiting for the cardholder (3-D Secure). */
export const PURCHASE_STOP_STATUSES = ['succeeded', 'failed', 'requires_action'] as const;

/**
 * Where a cash-out stops on its own: paid, refunded, or back to `awaiting_burn` (its burn expired
 * unincluded, or none was sent yet: nothing happens until one is).
 */
export const CASHOUT_STOP_STATUSES = ['paid', 'refunded', 'awaiting_burn'] as const;

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Polls `read` (200 ms × 1.5 up to 1 s) until its status is in `stop`; a gateway briefly away is waited for. */
async function pollUntil<Item extends { id: string; status: string }>(
  what: string,
  id: string,
  read: () => Promise<Item>,
  stop: readonly string[],
  options: WaitForRampOptions<Item>,
): Promise<Item> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  let delay = 200;
  let last: Item | undefined;
  for (;;) {
    try {
      const item = await read();
      if (item.status !== last?.status) options.onStatus?.(item);
      last = item;
      if (stop.includes(item.status)) return item;
    } catch (error) {
      if (!isGatewayError(error, 'GATEWAY_UNREACHABLE')) throw error;
    }
    if (options.signal?.aborted || Date.now() + delay > deadline) {
      throw new GatewayError(
        'WAIT_TIMEOUT',
        `${what} ${id} did not become ${stop.join(' or ')} within ${Math.round(timeoutMs / 1000)} s (last status: ${last?.status ?? 'unknown'}); it may still complete — check it later`,
        { status: 0, type: 'api_error', param: null, requestId: null, id, lastStatus: last?.status ?? null },
      );
    }
    await sleep(delay, options.signal);
    delay = Math.min(Math.round(delay * 1.5), 1000);
  }
}

/**
 * Polls `GET /v1/purchases/:id` until it is `succeeded`, `failed` or `requires_action` (or one of
 * `stop` when given).
 *
 * @example const done = await waitForPurchase(gateway, purchase.id, { onStatus: (p) => console.log(p.status) })
 */
export function waitForPurchase(
  client: GatewayClient,
  id: string,
  options: WaitForRampOptions<GatewayPurchase> & { stop?: readonly string[] } = {},
): Promise<GatewayPurchase> {
  return pollUntil(
    'purchase',
    id,
    () => client.getPurchase(id),
    options.stop ?? PURCHASE_STOP_STATUSES,
    options,
  );
}

/**
 * Polls `GET /v1/cashouts/:id` until it is `paid`, `refunded` or `awaiting_burn` (or one of `stop`).
 * The last status is in a WAIT_TIMEOUT's `meta.lastStatus`.
 */
export function waitForCashout(
  client: GatewayClient,
  id: string,
  options: WaitForRampOptions<GatewayCashout> & { stop?: readonly string[] } = {},
): Promise<GatewayCashout> {
  return pollUntil(
    'cash-out',
    id,
    () => client.getCashout(id),
    options.stop ?? CASHOUT_STOP_STATUSES,
    options,
  );
}
