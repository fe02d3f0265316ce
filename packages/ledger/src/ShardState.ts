import type { Address, Hash } from '@shardpay/protocol';

/** An account as the chain sees it: a balance and the next nonce it accepts. */
export interface Account {
  balance: bigint;
  nonce: bigint;
}

/** An account as stored: plus its leaf in the account tree, given in creation order and never moved. */
export interface AccountRecord extends Account {
  leafIndex: number;
}

/** One shard's summary after a block: its height, counters and the roots that commit to its state. */
export interface ShardMeta {
  /** Height of the last applied block (0 after genesis). */
  height: bigint;
  /** Accounts that exist; leaf indices are 0 … accountCount − 1. */
  accountCount: number;
  /** Everything created on this shard: genesis balances plus mints by its issuers. */
  minted: bigint;
  /** Everything destroyed on this shard by burns. */
  burned: bigint;
  /** Running hash over the append-only sets (consumed receipts, payment ids, mint references). */
  journalHash: Hash;
  /** Root of the account tree. */
  accountsRoot: Hash;
  /** The state root a header carries: commits to all of the above. */
  stateRoot: Hash;
}

/**
 * Synchronous reads of one shard's committed state. A store implements it (the in-memory one of this
 * package, or the node's LMDB adapter through `createKeyValueStateReader`); execution never writes
 * through it — changes come back as a `StateDiff`.
 */
export interface ShardStateReader {
  /** The shard's meta, or undefined before genesis was committed. */
  getMeta(): ShardMeta | undefined;
  getAccount(address: Address): AccountRecord | undefined;
  isReceiptConsumed(receiptId: Hash): boolean;
  isPaymentIdUsed(merchant: Address, paymentId: string): boolean;
  isMintReferenceUsed(issuer: Address, reference: string): boolean;
  /**
   * A record of the operations that keep state besides balances (escrows, time locks, multisig accounts,
   * issuer controls: see `records/`), by its key; undefined if never written.
   */
  getRecord(key: Uint8Array): Uint8Array | undefined;
  /** Visits every account once, in any order (used to rebuild the account tree at start). */
  forEachAccount(visit: (address: Address, account: AccountRecord) => void): void;
}
