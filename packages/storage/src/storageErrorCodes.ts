/**
 * The `ShardpayError` codes that `@shardpay/storage` throws. Callers match on these, never on the
 * message text. `meta` carries the details named in each description.
 */
export const StorageErrorCode = {
  STORE_CLOSED: 'STORE_CLOSED',
  STORE_OPEN_FAILED: 'STORE_OPEN_FAILED',
  STORE_FORMAT_UNSUPPORTED: 'STORE_FORMAT_UNSUPPORTED',
  STORE_IDENTITY_MISMATCH: 'STORE_IDENTITY_MISMATCH',
  STORE_INVALID_ARGUMENT: 'STORE_INVALID_ARGUMENT',
  STORE_HEIGHT_GAP: 'STORE_HEIGHT_GAP',
  STORE_CONFLICT: 'STORE_CONFLICT',
  STORE_PARENT_MISMATCH: 'STORE_PARENT_MISMATCH',
  STORE_CERTIFICATE_MISMATCH: 'STORE_CERTIFICATE_MISMATCH',
  STORE_SIGN_REGRESSION: 'STORE_SIGN_REGRESSION',
  STORE_DOUBLE_SIGN: 'STORE_DOUBLE_SIGN',
  STORE_WRITE_FAILED: 'STORE_WRITE_FAILED',
  STORE_CORRUPT: 'STORE_CORRUPT',
} as const;

/** One of the storage error codes. */
export type StorageErrorCode = (typeof StorageErrorCode)[keyof typeof StorageErrorCode];

/** A one-line meaning per code, for docs and logs. */
export const STORAGE_ERROR_CODE_DESCRIPTIONS: Readonly<Record<StorageErrorCode, string>> = {
  STORE_CLOSED: 'The store was closed; open it again to use it.',
  STORE_OPEN_FAILED: 'The store directory could not be opened (see cause and meta.path).',
  STORE_FORMAT_UNSUPPORTED: 'The store was written in a format this version does not read (see meta.format).',
  STORE_IDENTITY_MISMATCH: 'The store or the object belongs to another chain id or shard (see meta).',
  STORE_INVALID_ARGUMENT: 'An argument is malformed or out of range (see meta.field, meta.reason).',
  STORE_HEIGHT_GAP:
    'The block height is not the next one after the latest stored (see meta.height, meta.latestHeight).',
  STORE_CONFLICT: 'A different record is already stored for this height or genesis (see meta.reason).',
  STORE_PARENT_MISMATCH:
    "The block's parent hash is not the hash of the stored previous header (or genesis).",
  STORE_CERTIFICATE_MISMATCH: 'The commit certificate does not name this block (see meta.reason).',
  STORE_SIGN_REGRESSION: 'A last-signed record would move back in (height, round, step).',
  STORE_DOUBLE_SIGN: 'A different message was already signed for this (height, round, step).',
  STORE_WRITE_FAILED: 'A write transaction failed and was rolled back; nothing of it was stored (see cause).',
  STORE_CORRUPT: 'Stored bytes are missing or do not decode (see meta.table, meta.reason).',
};
