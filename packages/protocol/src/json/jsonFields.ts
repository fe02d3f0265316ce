/**
 * Strict readers for JSON forms: each checks one field's type and spelling and throws
 * JSON_INVALID with `meta.path` naming the field ('operation.amount', 'signatures[2].signature').
 */
import { bytesToHex, decodeAddress, encodeAddress, isShardpayError, ShardpayError } from '@shardpay/crypto';
import { formatAmount, parseAmount } from '../amount.ts';
import { MAX_U64 } from '../types.ts';

const utf8Encoder = new TextEncoder();
const U64_PATTERN = /^(0|[1-9][0-9]{0,19})$/;
const LOWER_HEX_PATTERN = /^[0-9a-f]*$/;

/** Options of the JSON forms that hold addresses. */
export interface JsonOptions {
  /** The network's bech32m prefix ('sp', 'spd'); addresses of another network are refused. */
  addressPrefix: string;
}

/** Why a JSON form was refused; `meta.reason` of JSON_INVALID. */
export type JsonInvalidReason =
  | 'not_object'
  | 'missing_field'
  | 'unknown_field'
  | 'wrong_type'
  | 'out_of_range'
  | 'too_long'
  | 'too_many'
  | 'invalid_hex'
  | 'invalid_address'
  | 'invalid_amount'
  | 'invalid_integer'
  | 'invalid_value';

export function jsonInvalid(
  path: string,
  reason: JsonInvalidReason,
  message: string,
  cause?: unknown,
): ShardpayError {
  const where = path === '' ? 'value' : path;
  return new ShardpayError('JSON_INVALID', `${where}: ${message}`, {
    meta: { path, reason },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** The path of `key` inside the object at `path`. */
export function childPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** The path of element `index` of the array at `path`. */
export function indexPath(path: string, index: number): string {
  return `${path}[${index}]`;
}

/** A plain object with exactly `keys`: no key missing, no other key. */
export function readObject<K extends string>(
  value: unknown,
  path: string,
  keys: readonly K[],
): Record<K, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw jsonInvalid(path, 'not_object', 'expected an object');
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null)
    throw jsonInvalid(path, 'not_object', 'expected a plain object');
  const allowed = new Set<string>(keys);
  for (const key of Object.keys(value)) {
    if (!allowed.has(key)) throw jsonInvalid(childPath(path, key), 'unknown_field', 'unknown field');
  }
  for (const key of keys) {
    if (!Object.hasOwn(value, key)) throw jsonInvalid(childPath(path, key), 'missing_field', 'missing field');
  }
  return value as Record<K, unknown>;
}

/** A well-formed string of at most `maxBytes` UTF-8 bytes. */
export function readString(value: unknown, path: string, maxBytes: number): string {
  if (typeof value !== 'string') throw jsonInvalid(path, 'wrong_type', 'expected a string');
  if (!value.isWellFormed()) throw jsonInvalid(path, 'invalid_value', 'contains a lone surrogate');
  const length = utf8Encoder.encode(value).length;
  if (length > maxBytes)
    throw jsonInvalid(path, 'too_long', `${length} bytes is over the limit of ${maxBytes}`);
  return value;
}

/** A JSON number that is an integer in min..max. */
export function readInteger(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number') throw jsonInvalid(path, 'wrong_type', 'expected a number');
  if (!Number.isInteger(value) || value < min || value > max) {
    throw jsonInvalid(path, 'out_of_range', `expected an integer in ${min}..${max}`);
  }
  return value;
}

/** A u64 as a decimal string without sign or leading zeros ('0', '42'). */
export function readU64String(value: unknown, path: string): bigint {
  if (typeof value !== 'string') throw jsonInvalid(path, 'wrong_type', 'expected a decimal string');
  if (!U64_PATTERN.test(value)) {
    throw jsonInvalid(path, 'invalid_integer', 'expected decimal digits without sign or leading zeros');
  }
  const parsed = BigInt(value);
  if (parsed > MAX_U64) throw jsonInvalid(path, 'out_of_range', 'above 2^64-1');
  return parsed;
}

/** The JSON form of a u64 that is not money (nonce, height, timestamp). */
export function u64ToJson(value: bigint): string {
  return value.toString();
}

/** An amount as a decimal string ('12.500000'); zero is allowed here, payments refuse it later. */
export function readAmount(value: unknown, path: string): bigint {
  if (typeof value !== 'string')
    throw jsonInvalid(path, 'wrong_type', 'expected an amount as a decimal string');
  try {
    return parseAmount(value, { allowZero: true });
  } catch (error) {
    if (!isShardpayError(error)) throw error;
    throw jsonInvalid(path, 'invalid_amount', error.message, error);
  }
}

/** The JSON form of an amount: `formatAmount`, always 6 decimals. */
export function amountToJson(value: bigint): string {
  return formatAmount(value);
}

/** Lowercase hex of exactly `byteLength` bytes, no '0x'. */
export function readHex(value: unknown, path: string, byteLength: number): Uint8Array {
  if (typeof value !== 'string') throw jsonInvalid(path, 'wrong_type', 'expected a hex string');
  if (value.length !== byteLength * 2 || !LOWER_HEX_PATTERN.test(value)) {
    throw jsonInvalid(path, 'invalid_hex', `expected ${byteLength * 2} lowercase hex characters`);
  }
  const bytes = new Uint8Array(byteLength);
  for (let i = 0; i < byteLength; i++) bytes[i] = Number.parseInt(value.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/** The JSON form of bytes: lowercase hex. */
export function hexToJson(value: Uint8Array): string {
  return bytesToHex(value);
}

/** A bech32m address of the network `prefix`. */
export function readAddress(value: unknown, path: string, prefix: string): Uint8Array {
  if (typeof value !== 'string') throw jsonInvalid(path, 'wrong_type', 'expected a bech32m address');
  try {
    return decodeAddress(value, prefix);
  } catch (error) {
    if (!isShardpayError(error)) throw error;
    throw jsonInvalid(path, 'invalid_address', error.message, error);
  }
}

/** The JSON form of an address: bech32m with the network prefix. */
export function addressToJson(value: Uint8Array, prefix: string): string {
  return encodeAddress(value, prefix);
}

/** An array of at most `max` elements, each read by `read` with its own path. */
export function readArray<T>(
  value: unknown,
  path: string,
  max: number,
  read: (element: unknown, path: string) => T,
): T[] {
  if (!Array.isArray(value)) throw jsonInvalid(path, 'wrong_type', 'expected an array');
  if (value.length > max)
    throw jsonInvalid(path, 'too_many', `${value.length} elements is over the limit of ${max}`);
  return value.map((element, i) => read(element, indexPath(path, i)));
}

/** null, or a value read by `read`. */
export function readNullable<T>(
  value: unknown,
  path: string,
  read: (value: unknown, path: string) => T,
): T | null {
  return value === null ? null : read(value, path);
}

/** One of the string literals in `allowed`. */
export function readLiteral<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value !== 'string') throw jsonInvalid(path, 'wrong_type', 'expected a string');
  if (!(allowed as readonly string[]).includes(value)) {
    throw jsonInvalid(path, 'invalid_value', `expected one of ${allowed.join(', ')}`);
  }
  return value as T;
}
