import type { Operation } from '../types.ts';
import { MAX_MEMO_BYTES, MAX_REFERENCE_BYTES } from '../types.ts';
import {
  addressToJson,
  amountToJson,
  childPath,
  type JsonOptions,
  jsonInvalid,
  readAddress,
  readAmount,
  readObject,
  readString,
} from './jsonFields.ts';

export interface TransferOperationJson {
  type: 'transfer';
  to: string;
  amount: string;
  memo: string;
}

export interface PayOperationJson {
  type: 'pay';
  merchant: string;
  amount: string;
  paymentId: string;
  memo: string;
}

export interface MintOperationJson {
  type: 'mint';
  to: string;
  amount: string;
  reference: string;
}

export interface BurnOperationJson {
  type: 'burn';
  amount: string;
  payoutReference: string;
}

/** JSON form of an operation: addresses bech32m, amounts decimal strings. */
export type OperationJson = TransferOperationJson | PayOperationJson | MintOperationJson | BurnOperationJson;

/** The JSON form of an operation. */
export function operationToJson(operation: Operation, options: JsonOptions): OperationJson {
  const prefix = options.addressPrefix;
  switch (operation.type) {
    case 'transfer':
      return {
        type: 'transfer',
        to: addressToJson(operation.to, prefix),
        amount: amountToJson(operation.amount),
        memo: operation.memo,
      };
    case 'pay':
      return {
        type: 'pay',
        merchant: addressToJson(operation.merchant, prefix),
        amount: amountToJson(operation.amount),
        paymentId: operation.paymentId,
        memo: operation.memo,
      };
    case 'mint':
      return {
        type: 'mint',
        to: addressToJson(operation.to, prefix),
        amount: amountToJson(operation.amount),
        reference: operation.reference,
      };
    case 'burn':
      return {
        type: 'burn',
        amount: amountToJson(operation.amount),
        payoutReference: operation.payoutReference,
      };
  }
}

/** Reads an operation's JSON form strictly; throws JSON_INVALID with `meta.path`. */
export function operationFromJson(json: unknown, options: JsonOptions, path = ''): Operation {
  const prefix = options.addressPrefix;
  const type = readObjectType(json, path);
  switch (type) {
    case 'transfer': {
      const o = readObject(json, path, ['type', 'to', 'amount', 'memo']);
      return {
        type,
        to: readAddress(o.to, childPath(path, 'to'), prefix),
        amount: readAmount(o.amount, childPath(path, 'amount')),
        memo: readString(o.memo, childPath(path, 'memo'), MAX_MEMO_BYTES),
      };
    }
    case 'pay': {
      const o = readObject(json, path, ['type', 'merchant', 'amount', 'paymentId', 'memo']);
      return {
        type,
        merchant: readAddress(o.merchant, childPath(path, 'merchant'), prefix),
        amount: readAmount(o.amount, childPath(path, 'amount')),
        paymentId: readString(o.paymentId, childPath(path, 'paymentId'), MAX_REFERENCE_BYTES),
        memo: readString(o.memo, childPath(path, 'memo'), MAX_MEMO_BYTES),
      };
    }
    case 'mint': {
      const o = readObject(json, path, ['type', 'to', 'amount', 'reference']);
      return {
        type,
        to: readAddress(o.to, childPath(path, 'to'), prefix),
        amount: readAmount(o.amount, childPath(path, 'amount')),
        reference: readString(o.reference, childPath(path, 'reference'), MAX_REFERENCE_BYTES),
      };
    }
    case 'burn': {
      const o = readObject(json, path, ['type', 'amount', 'payoutReference']);
      return {
        type,
        amount: readAmount(o.amount, childPath(path, 'amount')),
        payoutReference: readString(
          o.payoutReference,
          childPath(path, 'payoutReference'),
          MAX_REFERENCE_BYTES,
        ),
      };
    }
  }
}

/** The `type` of an operation object, checked before its other fields (they depend on it). */
function readObjectType(json: unknown, path: string): Operation['type'] {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw jsonInvalid(path, 'not_object', 'expected an object');
  }
  const type: unknown = (json as Record<string, unknown>).type;
  const typePath = childPath(path, 'type');
  if (type === undefined) throw jsonInvalid(typePath, 'missing_field', 'missing field');
  if (type !== 'transfer' && type !== 'pay' && type !== 'mint' && type !== 'burn') {
    throw jsonInvalid(typePath, 'invalid_value', 'expected one of transfer, pay, mint, burn');
  }
  return type;
}
