import { isShardpayError, ShardpayError } from '@shardpay/crypto';
import { ByteReader } from './ByteReader.ts';
import { ByteWriter } from './ByteWriter.ts';

/** Writes `kind` then `value` with `write`; any malformed input surfaces as ENCODE_ERROR. */
export function encodeTopLevel<T>(
  kind: number,
  value: T,
  write: (writer: ByteWriter, value: T) => void,
): Uint8Array {
  const writer = new ByteWriter();
  writer.u8(kind, 'kind');
  try {
    write(writer, value);
  } catch (error) {
    if (isShardpayError(error)) throw error;
    // A missing nested object (say `operation: undefined`) fails as a TypeError while reading it.
    throw new ShardpayError('ENCODE_ERROR', 'cannot encode a malformed value', {
      meta: { field: 'value', reason: 'malformed_value' },
      cause: error,
    });
  }
  return writer.finish();
}

/** Reads `kind`, then one value with `read`, then requires the input to end there. */
export function decodeTopLevel<T>(
  bytes: Uint8Array,
  kind: number,
  what: string,
  read: (reader: ByteReader) => T,
): T {
  const reader = new ByteReader(bytes);
  reader.expectKind(kind, what);
  const value = read(reader);
  reader.expectEnd();
  return value;
}
