import { HASH_BYTES } from '../codec/limits.ts';
import type { Receipt, ReceiptOperation } from '../types.ts';
import { MAX_CHAIN_ID_BYTES, MAX_MEMO_BYTES, MAX_REFERENCE_BYTES } from '../types.ts';
import {
  addressToJson,
  amountToJson,
  childPath,
  hexToJson,
  type JsonOptions,
  readAddress,
  readAmount,
  readHex,
  readInteger,
  readLiteral,
  readNullable,
  readObject,
  readString,
  readU64String,
  u64ToJson,
} from './jsonFields.ts';

/** JSON form of a cross-shard receipt. */
export interface ReceiptJson {
  chainId: string;
  sourceShard: number;
  targetShard: number;
  sourceHeight: string;
  index: number;
  kind: Receipt['kind'];
  txId: string;
  operation: Receipt['operation'];
  from: string;
  to: string;
  amount: string;
  paymentId: string;
  memo: string;
  refundOf: string | null;
}

const RECEIPT_OPERATIONS: readonly ReceiptOperation[] = [
  'transfer',
  'pay',
  'mint',
  'escrow_release',
  'escrow_settle',
  'timelock_claim',
];

const receiptKeys = [
  'chainId',
  'sourceShard',
  'targetShard',
  'sourceHeight',
  'index',
  'kind',
  'txId',
  'operation',
  'from',
  'to',
  'amount',
  'paymentId',
  'memo',
  'refundOf',
] as const;

/** The JSON form of a receipt. */
export function receiptToJson(receipt: Receipt, options: JsonOptions): ReceiptJson {
  return {
    chainId: receipt.chainId,
    sourceShard: receipt.sourceShard,
    targetShard: receipt.targetShard,
    sourceHeight: u64ToJson(receipt.sourceHeight),
    index: receipt.index,
    kind: receipt.kind,
    txId: hexToJson(receipt.txId),
    operation: receipt.operation,
    from: addressToJson(receipt.from, options.addressPrefix),
    to: addressToJson(receipt.to, options.addressPrefix),
    amount: amountToJson(receipt.amount),
    paymentId: receipt.paymentId,
    memo: receipt.memo,
    refundOf: receipt.refundOf === null ? null : hexToJson(receipt.refundOf),
  };
}

/** Reads a receipt's JSON form strictly; throws JSON_INVALID with `meta.path`. */
export function receiptFromJson(json: unknown, options: JsonOptions, path = ''): Receipt {
  const o = readObject(json, path, receiptKeys);
  const at = (key: string) => childPath(path, key);
  return {
    chainId: readString(o.chainId, at('chainId'), MAX_CHAIN_ID_BYTES),
    sourceShard: readInteger(o.sourceShard, at('sourceShard'), 0, 0xffff),
    targetShard: readInteger(o.targetShard, at('targetShard'), 0, 0xffff),
    sourceHeight: readU64String(o.sourceHeight, at('sourceHeight')),
    index: readInteger(o.index, at('index'), 0, 0xffff_ffff),
    kind: readLiteral(o.kind, at('kind'), ['credit', 'refund']),
    txId: readHex(o.txId, at('txId'), HASH_BYTES),
    operation: readLiteral(o.operation, at('operation'), RECEIPT_OPERATIONS),
    from: readAddress(o.from, at('from'), options.addressPrefix),
    to: readAddress(o.to, at('to'), options.addressPrefix),
    amount: readAmount(o.amount, at('amount')),
    paymentId: readString(o.paymentId, at('paymentId'), MAX_REFERENCE_BYTES),
    memo: readString(o.memo, at('memo'), MAX_MEMO_BYTES),
    refundOf: readNullable(o.refundOf, at('refundOf'), (value, p) => readHex(value, p, HASH_BYTES)),
  };
}
