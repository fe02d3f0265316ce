import { ShardpayError } from '@shardpay/crypto';

// ignoreBOM: a leading U+FEFF must stay in the string, or re-encoding would drop its bytes.
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Why a decode failed; `meta.reason` of a DECODE_ERROR. */
export type DecodeErrorReason =
  | 'not_bytes'
  | 'truncated'
  | 'trailing_bytes'
  | 'wrong_kind'
  | 'unknown_tag'
  | 'invalid_option'
  | 'length_over_limit'
  | 'count_over_limit'
  | 'invalid_utf8'
  /** A list that must be strictly ascending (multisig owners, signer indexes) is not. */
  | 'not_ascending'
  /** A small integer outside its range (a multisig threshold or owner index). */
  | 'out_of_range'
  /** A value the context forbids (an operation a multisig cannot execute). */
  | 'not_allowed';

/** The codec's DECODE_ERROR, with the reason and the byte offset where it was found. */
export function decodeError(reason: DecodeErrorReason, offset: number, message: string): ShardpayError {
  return new ShardpayError('DECODE_ERROR', `${message} (at byte ${offset})`, { meta: { reason, offset } });
}

/** Reads canonical fields from a byte string, refusing anything that is not canonical. */
export class ByteReader {
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  private offset = 0;

  constructor(bytes: Uint8Array) {
    if (!(bytes instanceof Uint8Array)) throw decodeError('not_bytes', 0, 'expected a Uint8Array');
    // A plain view, so that slices are plain copies even when given a Node Buffer.
    this.bytes = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get position(): number {
    return this.offset;
  }

  /** A view (not a copy) of bytes already read, from `start` up to the current position. */
  readSince(start: number): Uint8Array {
    return this.bytes.subarray(start, this.offset);
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  u8(): number {
    this.need(1);
    const value = this.view.getUint8(this.offset);
    this.offset += 1;
    return value;
  }

  u16(): number {
    this.need(2);
    const value = this.view.getUint16(this.offset);
    this.offset += 2;
    return value;
  }

  u32(): number {
    this.need(4);
    const value = this.view.getUint32(this.offset);
    this.offset += 4;
    return value;
  }

  u64(): bigint {
    this.need(8);
    const value = this.view.getBigUint64(this.offset);
    this.offset += 8;
    return value;
  }

  /** Exactly `length` bytes, copied. */
  fixedBytes(length: number): Uint8Array {
    this.need(length);
    const value = this.bytes.slice(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  /** A u16-length-prefixed UTF-8 string of at most `maxBytes`. */
  string(maxBytes: number): string {
    const start = this.offset;
    const length = this.u16();
    if (length > maxBytes) {
      throw decodeError(
        'length_over_limit',
        start,
        `string of ${length} bytes is over the limit of ${maxBytes}`,
      );
    }
    this.need(length);
    let value: string;
    try {
      value = utf8Decoder.decode(this.bytes.subarray(this.offset, this.offset + length));
    } catch {
      throw decodeError('invalid_utf8', this.offset, 'string is not well-formed UTF-8');
    }
    this.offset += length;
    return value;
  }

  /**
   * A u32 element count of at most `max`. `minElementBytes` rejects a count that the remaining
   * input cannot possibly hold before anything is allocated for it.
   */
  count(max: number, minElementBytes: number): number {
    const start = this.offset;
    const value = this.u32();
    if (value > max)
      throw decodeError('count_over_limit', start, `${value} elements is over the limit of ${max}`);
    if (value * minElementBytes > this.remaining) {
      throw decodeError(
        'truncated',
        start,
        `${value} elements cannot fit in the ${this.remaining} bytes left`,
      );
    }
    return value;
  }

  /** The presence byte of an optional value: exactly 0 or 1. */
  presence(): boolean {
    const start = this.offset;
    const value = this.u8();
    if (value > 1) throw decodeError('invalid_option', start, `option byte must be 0 or 1, got ${value}`);
    return value === 1;
  }

  /** A u8 tag, mapped through `tags` (index = tag value); unknown tags are refused. */
  tag<T>(tags: ReadonlyMap<number, T>, what: string): T {
    const start = this.offset;
    const value = this.u8();
    const mapped = tags.get(value);
    if (mapped === undefined) throw decodeError('unknown_tag', start, `unknown ${what} tag ${value}`);
    return mapped;
  }

  /** The leading object kind byte. */
  expectKind(kind: number, what: string): void {
    const value = this.u8();
    if (value !== kind)
      throw decodeError('wrong_kind', 0, `expected object kind ${kind} (${what}), got ${value}`);
  }

  /** Refuses bytes left after a complete value. */
  expectEnd(): void {
    if (this.offset !== this.bytes.length) {
      throw decodeError('trailing_bytes', this.offset, `${this.remaining} trailing bytes after the value`);
    }
  }

  private need(length: number): void {
    if (this.remaining < length) {
      throw decodeError('truncated', this.offset, `needed ${length} bytes, only ${this.remaining} left`);
    }
  }
}
