/**
 * Strict readers for JSON-RPC params. Every refusal is a ShardpayError `INVALID_PARAMS` whose
 * `meta.path` names the field (`address`, `transaction.operation.amount`) and `meta.reason` says why,
 * so that a client can point at the field; the server maps it to JSON-RPC -32602.
 */
import { decodeAddress, hexToBytes, isShardpayError, ShardpayError } from '@shardpay/crypto';
import { MAX_U64 } from '@shardpay/protocol';

/** Why params were refused: `meta.reason` of INVALID_PARAMS. */
export type InvalidParamsReason =
  | 'not_object'
  | 'missing_field'
  | 'unknown_field'
  | 'wrong_type'
  | 'invalid_hex'
  | 'invalid_address'
  | 'wrong_network'
  | 'invalid_integer'
  | 'out_of_range'
  | 'too_long'
  | 'invalid_value'
  | 'invalid_transaction';

/** Hex characters a submitted transaction may hold: far above the largest canonical transaction. */
export const MAX_TRANSACTION_HEX_CHARS = 16_384;
/** Longest subscription id accepted by `shardpay_unsubscribe`. */
export const MAX_SUBSCRIPTION_ID_CHARS = 64;

const decimalPattern = /^(0|[1-9][0-9]{0,19})$/;
const hexPattern = /^[0-9a-fA-F]*$/;

/** The error every reader throws. */
export function invalidParams(
  path: string,
  reason: InvalidParamsReason,
  message: string,
  extra: { cause?: unknown; meta?: Record<string, unknown> } = {},
): ShardpayError {
  const where = path === '' ? 'params' : path;
  return new ShardpayError('INVALID_PARAMS', `${where}: ${message}`, {
    meta: { path, reason, ...extra.meta },
    ...(extra.cause === undefined ? {} : { cause: extra.cause }),
  });
}

/**
 * Params given by name: a plain object with every `required` key and no key outside
 * `required` + `optional`. Methods without required keys also take no params (absent, null or []).
 */
export function readParamsObject<R extends string, O extends string>(
  params: unknown,
  required: readonly R[],
  optional: readonly O[] = [],
): Record<R, unknown> & Partial<Record<O, unknown>> {
  if (required.length === 0 && (params === undefined || params === null || isEmptyArray(params))) {
    return {} as Record<R, unknown> & Partial<Record<O, unknown>>;
  }
  const expected = [...required, ...optional].join(', ');
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw invalidParams(
      '',
      'not_object',
      `expected params by name: an object with ${expected || 'no fields'}`,
    );
  }
  const allowed = new Set<string>([...required, ...optional]);
  for (const key of Object.keys(params)) {
    if (!allowed.has(key)) {
      throw invalidParams(key, 'unknown_field', `unknown field (expected ${expected || 'no fields'})`);
    }
  }
  for (const key of required) {
    if (!Object.hasOwn(params, key)) throw invalidParams(key, 'missing_field', 'missing field');
  }
  return params as Record<R, unknown> & Partial<Record<O, unknown>>;
}

function isEmptyArray(value: unknown): boolean {
  return Array.isArray(value) && value.length === 0;
}

/** Hex (either case, no `0x`) of exactly `byteLength` bytes. */
export function readFixedHex(value: unknown, path: string, byteLength: number): Uint8Array {
  if (typeof value !== 'string')
    throw invalidParams(path, 'wrong_type', `expected ${byteLength * 2} hex characters`);
  if (value.length !== byteLength * 2 || !hexPattern.test(value)) {
    throw invalidParams(path, 'invalid_hex', `expected ${byteLength * 2} hex characters without 0x`);
  }
  return hexToBytes(value);
}

/** Hex (either case, no `0x`) of at most `maxChars` characters and at least one byte. */
export function readHexBytes(value: unknown, path: string, maxChars: number): Uint8Array {
  if (typeof value !== 'string') throw invalidParams(path, 'wrong_type', 'expected a hex string');
  if (value.length > maxChars) {
    throw invalidParams(path, 'too_long', `${value.length} hex characters is over the limit of ${maxChars}`);
  }
  if (value.length === 0 || value.length % 2 !== 0 || !hexPattern.test(value)) {
    throw invalidParams(path, 'invalid_hex', 'expected an even number of hex characters without 0x');
  }
  return hexToBytes(value);
}

/** A 32-byte id (transaction, receipt) as 64 hex characters. */
export function readHashParam(value: unknown, path: string): Uint8Array {
  return readFixedHex(value, path, 32);
}

/** A bech32m address of the network `prefix`. */
export function readAddressParam(value: unknown, path: string, prefix: string): Uint8Array {
  if (typeof value !== 'string')
    throw invalidParams(path, 'wrong_type', `expected a bech32m address (${prefix}1…)`);
  try {
    return decodeAddress(value, prefix);
  } catch (error) {
    if (!isShardpayError(error)) throw error;
    const reason = error.code === 'ADDRESS_WRONG_NETWORK' ? 'wrong_network' : 'invalid_address';
    throw invalidParams(path, reason, error.message, { cause: error, meta: { code: error.code } });
  }
}

/** A block height: a u64 as a decimal string or a safe non-negative integer, or "latest". */
export function readHeightParam(value: unknown, path: string): bigint | 'latest' {
  if (value === 'latest') return 'latest';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw invalidParams(path, 'out_of_range', 'a height is a non-negative integer (or a decimal string)');
    }
    return BigInt(value);
  }
  if (typeof value !== 'string') {
    throw invalidParams(path, 'wrong_type', 'expected "latest" or a height as a decimal string');
  }
  if (!decimalPattern.test(value)) {
    throw invalidParams(
      path,
      'invalid_integer',
      'expected "latest" or decimal digits without sign or leading zeros',
    );
  }
  const height = BigInt(value);
  if (height > MAX_U64) throw invalidParams(path, 'out_of_range', 'a height is at most 2^64-1');
  return height;
}

/** A JSON boolean. */
export function readBooleanParam(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw invalidParams(path, 'wrong_type', 'expected true or false');
  return value;
}

/** One of the string literals in `allowed`. */
export function readLiteralParam<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalidParams(
      path,
      typeof value === 'string' ? 'invalid_value' : 'wrong_type',
      `expected one of ${allowed.join(', ')}`,
    );
  }
  return value as T;
}

/** A non-empty string of at most `maxChars` characters. */
export function readShortString(value: unknown, path: string, maxChars: number): string {
  if (typeof value !== 'string') throw invalidParams(path, 'wrong_type', 'expected a string');
  if (value.length === 0 || value.length > maxChars) {
    throw invalidParams(path, 'too_long', `expected 1 to ${maxChars} characters`);
  }
  return value;
}

/**
 * Runs a protocol reader (JSON form or canonical decoder) and turns its refusal (JSON_INVALID,
 * DECODE_ERROR, an address error…) into INVALID_PARAMS, keeping the protocol's path and code.
 */
export function translateReadError<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!isShardpayError(error) || error.code === 'INVALID_PARAMS') throw error;
    const innerPath = typeof error.meta.path === 'string' && error.meta.path !== '' ? error.meta.path : path;
    // JSON_INVALID messages already start with the path.
    const message = error.message.startsWith(`${innerPath}:`)
      ? error.message
      : `${innerPath}: ${error.message}`;
    throw new ShardpayError('INVALID_PARAMS', message, {
      cause: error,
      meta: {
        path: innerPath,
        reason: 'invalid_transaction' satisfies InvalidParamsReason,
        code: error.code,
        ...(typeof error.meta.reason === 'string' ? { detail: error.meta.reason } : {}),
      },
    });
  }
}
