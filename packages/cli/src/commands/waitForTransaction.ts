import { ShardpayError } from '@shardpay/crypto';
import { type GatewayClient, type GatewayTransaction, isGatewayError } from '@shardpay/sdk';

/**
 * Polls `GET /v1/transactions/:tx_id` until the status is one of `wanted` (or refunded), within
 * `timeoutMs`; a transaction not found yet, or a gateway briefly away, counts as still pending.
 */
export async function waitForTransaction(
  client: GatewayClient,
  txId: string,
  wanted: readonly string[],
  options: { timeoutMs: number; onStatus?: (status: string) => void },
): Promise<GatewayTransaction> {
  const deadline = Date.now() + options.timeoutMs;
  let delay = 200;
  let last: string | undefined;
  for (;;) {
    try {
      const transaction = await client.transaction(txId);
      if (transaction.status !== last) options.onStatus?.(transaction.status);
      last = transaction.status;
      if (wanted.includes(transaction.status) || transaction.status === 'refunded') return transaction;
    } catch (error) {
      if (!isGatewayError(error, 'RESOURCE_MISSING') && !isGatewayError(error, 'GATEWAY_UNREACHABLE'))
        throw error;
    }
    if (Date.now() + delay > deadline) {
      throw new ShardpayError(
        'WAIT_TIMEOUT',
        `transaction ${txId} did not become ${wanted.join(' or ')} within ${Math.round(options.timeoutMs / 1000)} s (last status: ${last ?? 'unknown'}); it may still complete: shardpay tx ${txId}`,
        { meta: { type: 'api_error', txId, lastStatus: last ?? null } },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(Math.round(delay * 1.5), 1000);
  }
}

/** `--timeout SEC` in milliseconds (default 120 s). */
export function timeoutMsOf(value: string | boolean | undefined): number {
  if (value === undefined) return 120_000;
  if (typeof value !== 'string' || !/^[1-9][0-9]{0,5}$/.test(value)) {
    throw new ShardpayError('USAGE', '--timeout takes a whole number of seconds (at least 1)', {
      meta: { flag: 'timeout' },
    });
  }
  return Number(value) * 1000;
}
