import { isShardpayError } from '@shardpay/crypto';
import { apiError } from '../http/apiErrors.ts';
import type { ChainClient } from './createChainClient.ts';

/**
 * Submits a client-signed transaction's hex to a node of `shard`. `TX_ALREADY_KNOWN` counts as
 * submitted: a transaction's id is the hash of its bytes, so it is this very transaction (a retry).
 * A node's refusal (`BAD_NONCE`…) and `CHAIN_UNAVAILABLE` are thrown for the API to answer.
 */
export async function submitClientTransaction(chain: ChainClient, shard: number, hex: string): Promise<void> {
  try {
    await chain.call(shard, 'shardpay_submitTransaction', { tx: hex });
  } catch (error) {
    if (isShardpayError(error, 'TX_ALREADY_KNOWN')) return;
    // A shard of genesis the gateway has no node for is, to the caller, a shard that does not answer.
    if (isShardpayError(error, 'CHAIN_SHARD_UNKNOWN')) {
      throw apiError('CHAIN_UNAVAILABLE', `no node of shard ${shard} is configured`);
    }
    throw error;
  }
}
