import type { Block, BlockHeader, CommitCertificate, Hash, Receipt } from '@shardpay/protocol';

/**
 * One state write: set `key` to `value`, or delete it when `value` is null. State is opaque to the
 * store (the ledger's state adapter gives keys their meaning); keys sort as unsigned bytes.
 */
export type StateWrite = readonly [key: Uint8Array, value: Uint8Array | null];

/** One meta write: set the named value, or delete it when `value` is null. */
export type MetaWrite = readonly [name: string, value: Uint8Array | null];

/** Where a transaction was included: block height and position in `block.transactions`. */
export interface TxLocation {
  height: bigint;
  index: number;
}

/** An outgoing receipt with where it was emitted: source height and position in that block's receipts. */
export interface ReceiptLocation {
  receipt: Receipt;
  height: bigint;
  index: number;
}

/**
 * Cross-shard stages a shard records against an original transaction id: `credited` (the target
 * credited the receipt), `refused` (the target refused it and emitted a refund receipt),
 * `refunded` (the source consumed that refund receipt).
 */
export type TxStage = 'credited' | 'refused' | 'refunded';

/** A stage reached by the transaction `txId`, written in the same commit as the block that reached it. */
export interface TxStatusUpdate {
  /** The original transaction's id (a refund receipt carries the same). */
  txId: Hash;
  stage: TxStage;
  /** The incoming receipt whose consumption reached this stage. */
  receiptId: Hash;
}

/** The latest stage of a transaction on this shard, and the height of the block that reached it. */
export interface TxStatusRecord {
  stage: TxStage;
  height: bigint;
  receiptId: Hash;
}

/** A state entry returned by a prefix scan. */
export interface StateEntry {
  key: Uint8Array;
  value: Uint8Array;
}

/** Paging for `scanState`: resume after a key, return at most `limit` entries. */
export interface ScanStateOptions {
  /** Return only keys strictly greater than this one (the last key of the previous page). */
  startAfter?: Uint8Array;
  /** At most this many entries (default: all). */
  limit?: number;
}

/** The consensus steps at which a validator signs, in the order they happen within a round. */
export type SigningStep = 'propose' | 'prevote' | 'precommit';

/**
 * The last message this validator signed. Persisted before the message leaves the process, so a
 * restarted validator never signs a different message for a (height, round, step) it already signed.
 */
export interface LastSignedRecord {
  height: bigint;
  round: number;
  step: SigningStep;
  /** The exact bytes that were signed: signing them again after a restart is allowed, anything else is not. */
  signBytes: Uint8Array;
}

/** Everything one committed block changes; `commitBlock` writes all of it in one transaction. */
export interface BlockCommit {
  block: Block;
  /** The 2f+1 precommits for `block` (its height, chain, shard and header id). */
  certificate: CommitCertificate;
  /** The state changes of executing the block. Consumed inside the transaction, in order. */
  stateWrites?: Iterable<StateWrite>;
  /** The block's outgoing receipts in order: `receipts[i].index === i`, `sourceHeight` the block's height. */
  receipts?: readonly Receipt[];
  /** Ids of `block.transactions` in order, when the caller already has them; computed otherwise. */
  txIds?: readonly Hash[];
  /** Cross-shard stages reached by this block, recorded at its height. */
  statusUpdates?: readonly TxStatusUpdate[];
  /** Meta values to change atomically with the block. */
  metaWrites?: Iterable<MetaWrite>;
}

/** The genesis state of the shard; `commitGenesis` writes it in one transaction, before block 1. */
export interface GenesisCommit {
  /** The hash block 1 names as its parent. */
  genesisHash: Hash;
  stateWrites?: Iterable<StateWrite>;
  metaWrites?: Iterable<MetaWrite>;
}

/** `committed`: the commit was written. `unchanged`: an identical commit was already stored (a replay). */
export type CommitOutcome = 'committed' | 'unchanged';

/**
 * One validator's data for one shard: blocks, commit certificates, opaque state, outgoing receipts,
 * the transaction index, the consensus WAL and meta values.
 *
 * Reads are synchronous. Every write method is one atomic transaction which, in the LMDB store, is
 * flushed to disk before the method returns. Reads of missing records return `undefined`; every
 * refusal is a `ShardpayError` with a `StorageErrorCode`.
 */
export interface ChainStore {
  readonly chainId: string;
  readonly shard: number;

  /** Height of the latest committed block; 0n before block 1 (genesis is height 0). */
  latestHeight(): bigint;
  /** Header id of the latest committed block, or the genesis hash (or undefined) before block 1. */
  latestHash(): Hash | undefined;
  /** The hash recorded by `commitGenesis`, if any. */
  genesisHash(): Hash | undefined;

  getBlock(height: bigint): Block | undefined;
  getHeader(height: bigint): BlockHeader | undefined;
  /** Header id of the block at `height`. */
  getBlockHash(height: bigint): Hash | undefined;
  /** Height of the block whose header id is `hash`. */
  getHeightByHash(hash: Hash): bigint | undefined;
  getBlockByHash(hash: Hash): Block | undefined;
  getCertificate(height: bigint): CommitCertificate | undefined;

  /** An outgoing receipt by id, with its source height and index. */
  getReceipt(receiptId: Hash): ReceiptLocation | undefined;
  /** All outgoing receipts of the block at `height`, in order ([] if none); undefined above the latest height. */
  getBlockReceipts(height: bigint): Receipt[] | undefined;

  getTxLocation(txId: Hash): TxLocation | undefined;
  getTxStatus(txId: Hash): TxStatusRecord | undefined;

  getState(key: Uint8Array): Uint8Array | undefined;
  /** State entries whose key starts with `prefix` (empty: all), in ascending key order. */
  scanState(prefix: Uint8Array, options?: ScanStateOptions): StateEntry[];

  getMeta(name: string): Uint8Array | undefined;
  /** Sets (or, with null, deletes) one meta value. Durable before it returns. */
  setMeta(name: string, value: Uint8Array | null): void;

  /** Writes genesis state once; a replay with the same hash is a no-op, another hash is STORE_CONFLICT. */
  commitGenesis(genesis: GenesisCommit): CommitOutcome;
  /**
   * Writes one block and everything it changes, atomically. The height must be the next one
   * (STORE_HEIGHT_GAP). Committing a stored height again is a no-op if block, certificate and
   * receipts are byte-identical, STORE_CONFLICT otherwise. Durable before it returns.
   */
  commitBlock(commit: BlockCommit): CommitOutcome;

  /** Appends a consensus WAL record for `height`; durable before it returns. Returns its sequence number. */
  appendWal(height: bigint, record: Uint8Array): number;
  /** The WAL records of `height`, in append order. */
  readWal(height: bigint): Uint8Array[];
  /** Deletes the WAL records of every height below `belowHeight`; returns how many were deleted. */
  pruneWal(belowHeight: bigint): number;

  getLastSigned(): LastSignedRecord | undefined;
  /**
   * Records the message about to be signed; durable before it returns. Refuses a (height, round,
   * step) below the stored one (STORE_SIGN_REGRESSION) and different bytes for the same one
   * (STORE_DOUBLE_SIGN); the same bytes again are a no-op.
   */
  setLastSigned(record: LastSignedRecord): void;

  /** Releases the store; later calls throw STORE_CLOSED. Safe to call twice. */
  close(): Promise<void>;
}
