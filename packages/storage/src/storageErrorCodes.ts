import { ERROR_CODE_DESCRIPTIONS } from '@shardpay/protocol';

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

/** A one-line meaning per code, for docs and logs: the protocol registry's, so the two never drift. */
export const STORAGE_ERROR_CODE_DESCRIPTIONS: Readonly<Record<StorageErrorCode, string>> = Object.fromEntries(
  Object.values(StorageErrorCode).map((code) => [code, ERROR_CODE_DESCRIPTIONS[code]]),
) as Record<StorageErrorCode, string>;
