import type { Operation } from '../types.ts';
import { MAX_MEMO_BYTES, MAX_REFERENCE_BYTES } from '../types.ts';
import type { ByteReader } from './ByteReader.ts';
import type { ByteWriter } from './ByteWriter.ts';
import { readAddress, writeAddress } from './fields.ts';
import { ObjectKind } from './objectKind.ts';
import { operationTags } from './tags.ts';
import { decodeTopLevel, encodeTopLevel } from './topLevel.ts';

/** Writes an operation: u8 tag, then the variant's fields. */
export function writeOperation(writer: ByteWriter, operation: Operation): void {
  writer.u8(operationTags.toTag(operation.type, 'operation.type'), 'operation.type');
  switch (operation.type) {
    case 'transfer':
      writeAddress(writer, operation.to, 'operation.to');
      writer.u64(operation.amount, 'operation.amount');
      writer.string(operation.memo, MAX_MEMO_BYTES, 'operation.memo');
      return;
    case 'pay':
      writeAddress(writer, operation.merchant, 'operation.merchant');
      writer.u64(operation.amount, 'operation.amount');
      writer.string(operation.paymentId, MAX_REFERENCE_BYTES, 'operation.paymentId');
      writer.string(operation.memo, MAX_MEMO_BYTES, 'operation.memo');
      return;
    case 'mint':
      writeAddress(writer, operation.to, 'operation.to');
      writer.u64(operation.amount, 'operation.amount');
      writer.string(operation.reference, MAX_REFERENCE_BYTES, 'operation.reference');
      return;
    case 'burn':
      writer.u64(operation.amount, 'operation.amount');
      writer.string(operation.payoutReference, MAX_REFERENCE_BYTES, 'operation.payoutReference');
      return;
  }
}

/** Reads an operation written by `writeOperation`. */
export function readOperation(reader: ByteReader): Operation {
  const type = reader.tag(operationTags.fromTag, 'operation');
  switch (type) {
    case 'transfer': {
      const to = readAddress(reader);
      const amount = reader.u64();
      const memo = reader.string(MAX_MEMO_BYTES);
      return { type, to, amount, memo };
    }
    case 'pay': {
      const merchant = readAddress(reader);
      const amount = reader.u64();
      const paymentId = reader.string(MAX_REFERENCE_BYTES);
      const memo = reader.string(MAX_MEMO_BYTES);
      return { type, merchant, amount, paymentId, memo };
    }
    case 'mint': {
      const to = readAddress(reader);
      const amount = reader.u64();
      const reference = reader.string(MAX_REFERENCE_BYTES);
      return { type, to, amount, reference };
    }
    case 'burn': {
      const amount = reader.u64();
      const payoutReference = reader.string(MAX_REFERENCE_BYTES);
      return { type, amount, payoutReference };
    }
  }
}

/** Canonical bytes of an operation on its own (kind 0x0d). */
export function encodeOperation(operation: Operation): Uint8Array {
  return encodeTopLevel(ObjectKind.operation, operation, writeOperation);
}

/** Decodes `encodeOperation` bytes; throws DECODE_ERROR on anything non-canonical. */
export function decodeOperation(bytes: Uint8Array): Operation {
  return decodeTopLevel(bytes, ObjectKind.operation, 'operation', readOperation);
}
