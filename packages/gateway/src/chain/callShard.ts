import { isShardpayError } from '@shardpay/crypto';
import { apiError } from '../http/apiErrors.ts';
import type { ChainClient } from './createChainClient.ts';

/**
 * `chain.call` for the read routes: a shard of genesis the gateway has no node for is, to the caller,
 * a shard that does not answer (`CHAIN_UNAVAILABLE`, 503), like every other read.
 */
export async function callShard<Result>(
  chain: ChainClient,
  shard: number,
  method: string,
  params: Record<string, unknown> = {},
): Promise<Result> {
  try {
    return await chain.call<Result>(shard, method, params);
  } catch (error) {
    if (isShardpayError(error, 'CHAIN_SHARD_UNKNOWN')) {
      throw apiError('CHAIN_UNAVAILABLE', `no node of shard ${shard} is configured`);
    }
    throw error;
  }
}
