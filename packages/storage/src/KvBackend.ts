/**
 * The small ordered key-value interface both stores sit on: named tables of byte keys (sorted as
 * unsigned bytes, shorter first on a common prefix) to byte values, synchronous reads, and one
 * atomic synchronous write transaction at a time. All chain logic lives above it, in
 * `createChainStore`, so the LMDB and in-memory stores differ only here.
 */

/** The tables of a chain store. Names are part of the on-disk format: never rename one. */
export const TABLE_NAMES = [
  'system',
  'meta',
  'blocks',
  'headers',
  'blockHashes',
  'heightsByHash',
  'certificates',
  'receipts',
  'receiptIndex',
  'txIndex',
  'txStatus',
  'state',
  'wal',
] as const;

export type TableName = (typeof TABLE_NAMES)[number];

/** Keys in `[from, to)` (no upper bound when `to` is absent), ascending unless `reverse`. */
export interface KeyRange {
  from: Uint8Array;
  to?: Uint8Array;
  reverse?: boolean;
  limit?: number;
}

export interface KvEntry {
  key: Uint8Array;
  value: Uint8Array;
}

/** Reads return fresh copies the caller may keep and mutate. */
export interface KvReader {
  get(table: TableName, key: Uint8Array): Uint8Array | undefined;
  range(table: TableName, range: KeyRange): KvEntry[];
}

/** Writes inside a transaction; `get` sees the transaction's own writes. Values are copied. */
export interface KvWriter {
  get(table: TableName, key: Uint8Array): Uint8Array | undefined;
  put(table: TableName, key: Uint8Array, value: Uint8Array): void;
  remove(table: TableName, key: Uint8Array): void;
}

export interface KvBackend extends KvReader {
  /**
   * Runs `body` in one write transaction and commits it: all of its writes or (if `body` throws,
   * which rethrows here) none. Durable when it returns, if the backend is durable at all.
   */
  transact<T>(body: (writer: KvWriter) => T): T;
  close(): Promise<void>;
}
