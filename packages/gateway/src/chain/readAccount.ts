import { decodeAddress, isShardpayError } from '@shardpay/crypto';
import { type NetworkConfig, shardOfAddress } from '@shardpay/protocol';
import { apiError } from '../http/apiErrors.ts';
import type { ChainClient } from './createChainClient.ts';

/** An account as a node of its home shard last committed it (money and counters as decimal strings). */
export interface AccountReading {
  address: string;
  shard: number;
  /** Decimal string with 6 decimals. */
  balance: string;
  /** The next nonce by committed state. */
  nonce: string;
  /** The next nonce counting the node's mempool (what a new transaction should use). */
  pendingNonce: string;
  /** The shard height the account was read at. */
  height: string;
}

/**
 * The home shard of a bech32m `address` on `network`; a malformed address or one of another network is
 * `ADDRESS_INVALID` naming `param`, so callers answer a 400 on it.
 */
export function homeShardOf(network: NetworkConfig, address: string, param = 'address'): number {
  try {
    return shardOfAddress(network, decodeAddress(address, network.addressPrefix));
  } catch (error) {
    if (isShardpayError(error)) throw apiError('ADDRESS_INVALID', error.message, param);
    throw error;
  }
}

/**
 * Reads `address` from a node of its home shard (`shardpay_getAccount`): the one place the gateway
 * asks for a balance, so the public account route, wallet balances and the faucet agree.
 */
export async function readAccount(
  chain: ChainClient,
  network: NetworkConfig,
  address: string,
  param = 'address',
): Promise<AccountReading> {
  const shard = homeShardOf(network, address, param);
  let account: Record<string, unknown>;
  try {
    account = await chain.call<Record<string, unknown>>(shard, 'shardpay_getAccount', { address });
  } catch (error) {
    // A shard of genesis the gateway has no node for is, to the caller, a shard that does not answer.
    if (isShardpayError(error, 'CHAIN_SHARD_UNKNOWN')) {
      throw apiError('CHAIN_UNAVAILABLE', `no node of shard ${shard} is configured`);
    }
    throw error;
  }
  const { balance, nonce, height } = account;
  const pendingNonce = account.pendingNonce ?? nonce;
  if (
    typeof balance !== 'string' ||
    typeof nonce !== 'string' ||
    typeof height !== 'string' ||
    typeof pendingNonce !== 'string'
  ) {
    // A node answering another shape is a bug or a version skew: a 500 whose details go to the log.
    throw new Error(`shardpay_getAccount answered an unexpected shape for shard ${shard}`);
  }
  return { address, shard, balance, nonce, pendingNonce, height };
}
