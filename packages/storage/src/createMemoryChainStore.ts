import type { ChainStore } from './ChainStore.ts';
import { createChainStore } from './createChainStore.ts';
import { createMemoryKvBackend, type MemoryKvBackend } from './createMemoryKvBackend.ts';

export interface MemoryChainStoreOptions {
  chainId: string;
  shard: number;
  /**
   * The data to open. Omitted: a fresh, empty store. A backend outlives the stores opened on it,
   * so opening a new store on the backend of a dropped one models a validator restart.
   */
  backend?: MemoryKvBackend;
}

/**
 * Opens an in-memory chain store (tests, simulations). Same behaviour as the LMDB store, without
 * durability.
 *
 * @example
 *   const backend = createMemoryKvBackend();
 *   const store = createMemoryChainStore({ chainId: 'shardpay-devnet', shard: 0, backend });
 *   // …later, "restart": createMemoryChainStore({ chainId: 'shardpay-devnet', shard: 0, backend })
 */
export function createMemoryChainStore(options: MemoryChainStoreOptions): ChainStore {
  return createChainStore(options.backend ?? createMemoryKvBackend(), {
    chainId: options.chainId,
    shard: options.shard,
  });
}
