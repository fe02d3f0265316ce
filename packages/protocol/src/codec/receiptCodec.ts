import type { Receipt } from '../types.ts';
import { MAX_MEMO_BYTES, MAX_REFERENCE_BYTES } from '../types.ts';
import type { ByteReader } from './ByteReader.ts';
import type { ByteWriter } from './ByteWriter.ts';
import {
  readAddress,
  readChainId,
  readHash,
  readOptionalHash,
  writeAddress,
  writeChainId,
  writeHash,
  writeOptionalHash,
} from './fields.ts';
import { ObjectKind } from './objectKind.ts';
import { receiptKindTags, receiptOperationTags } from './tags.ts';
import { decodeTopLevel, encodeTopLevel } from './topLevel.ts';

export function writeReceipt(writer: ByteWriter, receipt: Receipt): void {
  writeChainId(writer, receipt.chainId);
  writer.u16(receipt.sourceShard, 'sourceShard');
  writer.u16(receipt.targetShard, 'targetShard');
  writer.u64(receipt.sourceHeight, 'sourceHeight');
  writer.u32(receipt.index, 'index');
  writer.u8(receiptKindTags.toTag(receipt.kind, 'kind'), 'kind');
  writeHash(writer, receipt.txId, 'txId');
  writer.u8(receiptOperationTags.toTag(receipt.operation, 'operation'), 'operation');
  writeAddress(writer, receipt.from, 'from');
  writeAddress(writer, receipt.to, 'to');
  writer.u64(receipt.amount, 'amount');
  writer.string(receipt.paymentId, MAX_REFERENCE_BYTES, 'paymentId');
  writer.string(receipt.memo, MAX_MEMO_BYTES, 'memo');
  writeOptionalHash(writer, receipt.refundOf, 'refundOf');
}

export function readReceipt(reader: ByteReader): Receipt {
  const chainId = readChainId(reader);
  const sourceShard = reader.u16();
  const targetShard = reader.u16();
  const sourceHeight = reader.u64();
  const index = reader.u32();
  const kind = reader.tag(receiptKindTags.fromTag, 'receipt kind');
  const txId = readHash(reader);
  const operation = reader.tag(receiptOperationTags.fromTag, 'receipt operation');
  const from = readAddress(reader);
  const to = readAddress(reader);
  const amount = reader.u64();
  const paymentId = reader.string(MAX_REFERENCE_BYTES);
  const memo = reader.string(MAX_MEMO_BYTES);
  const refundOf = readOptionalHash(reader);
  return {
    chainId,
    sourceShard,
    targetShard,
    sourceHeight,
    index,
    kind,
    txId,
    operation,
    from,
    to,
    amount,
    paymentId,
    memo,
    refundOf,
  };
}

/** Canonical bytes of a cross-shard receipt (kind 0x03); its id is their sha256. */
export function encodeReceipt(receipt: Receipt): Uint8Array {
  return encodeTopLevel(ObjectKind.receipt, receipt, writeReceipt);
}

/** Decodes `encodeReceipt` bytes; throws DECODE_ERROR on anything non-canonical. */
export function decodeReceipt(bytes: Uint8Array): Receipt {
  return decodeTopLevel(bytes, ObjectKind.receipt, 'receipt', readReceipt);
}
