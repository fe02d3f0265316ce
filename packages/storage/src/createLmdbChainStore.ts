import { isShardpayError, ShardpayError } from '@shardpay/protocol';
import type { ChainStore } from './ChainStore.ts';
import { createChainStore } from './createChainStore.ts';
import { createLmdbKvBackend } from './createLmdbKvBackend.ts';
import type { KvBackend } from './KvBackend.ts';
import { StorageErrorCode } from './storageErrorCodes.ts';

export interface LmdbChainStoreOptions {
  /** A directory (created if missing) holding this validator's data for this shard. */
  path: string;
  chainId: string;
  shard: number;
}

/**
 * Opens (or creates) the LMDB chain store in `options.path`, resuming where it stopped. Every
 * write is a synchronous LMDB transaction flushed to disk before it returns. One process at a
 * time may open a directory.
 */
export function createLmdbChainStore(options: LmdbChainStoreOptions): ChainStore {
  let backend: KvBackend;
  try {
    backend = createLmdbKvBackend(options.path);
  } catch (error) {
    throw new ShardpayError(StorageErrorCode.STORE_OPEN_FAILED, `cannot open the store at ${options.path}`, {
      meta: { path: options.path },
      cause: error,
    });
  }
  try {
    return createChainStore(backend, { chainId: options.chainId, shard: options.shard });
  } catch (error) {
    void backend.close();
    if (isShardpayError(error)) throw error;
    throw new ShardpayError(StorageErrorCode.STORE_OPEN_FAILED, `cannot open the store at ${options.path}`, {
      meta: { path: options.path },
      cause: error,
    });
  }
}
