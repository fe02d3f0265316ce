import { isShardpayError, type ShardpayError } from '@shardpay/crypto';

/**
 * Whether `error` refuses a transaction or receipt (a coded ShardpayError), as opposed to a broken
 * invariant (LEDGER_STATE_INVALID) or a bug, which must stop execution instead of skipping one item.
 */
export function isRefusal(error: unknown): error is ShardpayError {
  return isShardpayError(error) && error.code !== 'LEDGER_STATE_INVALID';
}
