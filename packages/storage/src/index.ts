/**
 * @shardpay/storage: one validator's data for one shard (blocks, certificates, opaque state,
 * outgoing receipts, the transaction index, the consensus WAL, meta) behind one `ChainStore`
 * interface, on LMDB or in memory. Layer 2: depends on `@shardpay/protocol` and `lmdb`; knows
 * nothing of consensus or of what state entries mean. See ../README.md.
 */
export type {
  BlockCommit,
  ChainStore,
  CommitOutcome,
  GenesisCommit,
  LastSignedRecord,
  MetaWrite,
  ReceiptLocation,
  ScanStateOptions,
  SigningStep,
  StateEntry,
  StateWrite,
  TxLocation,
  TxStage,
  TxStatusRecord,
  TxStatusUpdate,
} from './ChainStore.ts';
export {
  createChainStore,
  MAX_META_NAME_BYTES,
  MAX_STATE_KEY_BYTES,
  STORE_FORMAT_VERSION,
} from './createChainStore.ts';
export { createLmdbChainStore, type LmdbChainStoreOptions } from './createLmdbChainStore.ts';
export { createMemoryChainStore, type MemoryChainStoreOptions } from './createMemoryChainStore.ts';
export { createMemoryKvBackend, type MemoryKvBackend } from './createMemoryKvBackend.ts';
export type { KeyRange, KvBackend, KvEntry, KvReader, KvWriter, TableName } from './KvBackend.ts';
export { TABLE_NAMES } from './KvBackend.ts';
export { STORAGE_ERROR_CODE_DESCRIPTIONS, StorageErrorCode } from './storageErrorCodes.ts';
export type { StoreIdentity } from './storeEncoding.ts';
