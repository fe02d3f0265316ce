import { ShardpayError } from '@shardpay/crypto';
import { MAX_U64 } from '../types.ts';

const utf8Encoder = new TextEncoder();

/** Throws the codec's ENCODE_ERROR: `value` cannot be written as `field`. */
export function encodeError(field: string, reason: string, message: string): ShardpayError {
  return new ShardpayError('ENCODE_ERROR', `cannot encode ${field}: ${message}`, { meta: { field, reason } });
}

/**
 * Appends canonical fields to a growing buffer. Every write validates its value first, so an
 * encoding that succeeds always decodes back to the same value.
 */
export class ByteWriter {
  private buffer = new Uint8Array(256);
  private view = new DataView(this.buffer.buffer);
  private length = 0;

  /** The bytes written, in an array of exactly their size (so `.buffer` holds nothing else). */
  finish(): Uint8Array {
    return this.length === this.buffer.length ? this.buffer : this.buffer.slice(0, this.length);
  }

  u8(value: number, field: string): void {
    this.assertUint(value, 0xff, field);
    this.reserve(1);
    this.view.setUint8(this.length, value);
    this.length += 1;
  }

  u16(value: number, field: string): void {
    this.assertUint(value, 0xffff, field);
    this.reserve(2);
    this.view.setUint16(this.length, value);
    this.length += 2;
  }

  u32(value: number, field: string): void {
    this.assertUint(value, 0xffff_ffff, field);
    this.reserve(4);
    this.view.setUint32(this.length, value);
    this.length += 4;
  }

  u64(value: bigint, field: string): void {
    if (typeof value !== 'bigint') throw encodeError(field, 'not_bigint', 'expected a bigint');
    if (value < 0n || value > MAX_U64) throw encodeError(field, 'out_of_range', 'outside 0..2^64-1');
    this.reserve(8);
    this.view.setBigUint64(this.length, value);
    this.length += 8;
  }

  /** Exactly `length` raw bytes (addresses, hashes, keys, signatures). */
  fixedBytes(value: Uint8Array, length: number, field: string): void {
    if (!(value instanceof Uint8Array)) throw encodeError(field, 'not_bytes', 'expected a Uint8Array');
    if (value.length !== length) {
      throw encodeError(field, 'wrong_length', `expected ${length} bytes, got ${value.length}`);
    }
    this.reserve(length);
    this.buffer.set(value, this.length);
    this.length += length;
  }

  /** u16 byte length, then UTF-8; at most `maxBytes`. */
  string(value: string, maxBytes: number, field: string): void {
    if (typeof value !== 'string') throw encodeError(field, 'not_string', 'expected a string');
    // A lone surrogate would be encoded as U+FFFD and decode to a different string.
    if (!value.isWellFormed()) throw encodeError(field, 'invalid_utf16', 'contains a lone surrogate');
    const bytes = utf8Encoder.encode(value);
    if (bytes.length > maxBytes) {
      throw encodeError(field, 'length_over_limit', `${bytes.length} bytes is over the limit of ${maxBytes}`);
    }
    this.u16(bytes.length, field);
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** An array's u32 element count, checked against its bound. */
  count(value: readonly unknown[], max: number, field: string): void {
    if (!Array.isArray(value)) throw encodeError(field, 'not_array', 'expected an array');
    if (value.length > max) {
      throw encodeError(field, 'count_over_limit', `${value.length} elements is over the limit of ${max}`);
    }
    this.u32(value.length, field);
  }

  /** The presence byte of an optional value: 1 when present, 0 when absent. */
  presence(isPresent: boolean, field: string): void {
    this.u8(isPresent ? 1 : 0, field);
  }

  private assertUint(value: number, max: number, field: string): void {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
      throw encodeError(field, 'out_of_range', `expected an integer in 0..${max}, got ${String(value)}`);
    }
  }

  private reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < needed) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
    this.view = new DataView(grown.buffer);
  }
}
