import type { Address, Hash } from '@shardpay/protocol';
import type { AccountTreeUpdate } from './AccountTree.ts';
import type { AccountRecord, ShardMeta } from './ShardState.ts';

/**
 * Everything one block (or genesis) changes in a shard's state. Execution returns it without touching
 * committed state; after the block is committed a store writes it atomically (`stateDiffToWrites` gives
 * its key/value form) and `commitStateDiff` advances the in-memory account tree.
 */
export interface StateDiff {
  /** The state root this diff applies on top of (ZERO_HASH for genesis). */
  previousStateRoot: Hash;
  /** The shard's meta after the block. */
  meta: ShardMeta;
  /** Every account whose balance or nonce changed, or that was created, with its new value. */
  accounts: Array<{ address: Address; account: AccountRecord }>;
  /** Incoming receipt ids consumed by the block. */
  consumedReceipts: Hash[];
  /** (merchant, paymentId) pairs accepted by the block. */
  payments: Array<{ merchant: Address; paymentId: string }>;
  /** (issuer, reference) pairs minted by the block. */
  mintReferences: Array<{ issuer: Address; reference: string }>;
  /** Records written by the block (see `records/`), each with its final value, in first-write order. */
  records: Array<{ key: Uint8Array; value: Uint8Array }>;
  /** Changed nodes of the account tree; in-memory only, stores ignore it. */
  accountTree: AccountTreeUpdate;
}
