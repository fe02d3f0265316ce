import type { MultisigInnerOperation, Operation, OperationType } from '../types.ts';
import { MAX_MEMO_BYTES, MAX_REFERENCE_BYTES } from '../types.ts';
import {
  type EscrowOrTimelockOperationJson,
  escrowOrTimelockFromJson,
  escrowOrTimelockToJson,
  type IndexedSignatureJson,
  type IssuerControlOperationJson,
  indexedSignaturesToJson,
  issuerControlFromJson,
  issuerControlToJson,
  type MultisigCreateOperationJson,
  type MultisigUpdateOperationJson,
  multisigCreateFromJson,
  multisigCreateToJson,
  multisigUpdateFromJson,
  multisigUpdateToJson,
  readIndexedSignatures,
} from './commerceOperationJson.ts';
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
  readU64String,
  u64ToJson,
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

/** JSON form of the operations a multisig account can execute. */
export type MultisigInnerOperationJson =
  | TransferOperationJson
  | PayOperationJson
  | BurnOperationJson
  | MultisigUpdateOperationJson;

export interface MultisigExecuteOperationJson {
  type: 'multisig_execute';
  account: string;
  accountNonce: string;
  operation: MultisigInnerOperationJson;
  signatures: IndexedSignatureJson[];
}

/**
 * JSON form of an operation: addresses bech32m, amounts decimal strings, keys, hashes and
 * signatures lowercase hex, heights, nonces, salts and milliseconds decimal strings.
 */
export type OperationJson =
  | TransferOperationJson
  | PayOperationJson
  | MintOperationJson
  | BurnOperationJson
  | EscrowOrTimelockOperationJson
  | MultisigCreateOperationJson
  | MultisigExecuteOperationJson
  | MultisigUpdateOperationJson
  | IssuerControlOperationJson;

const OPERATION_TYPES: readonly OperationType[] = [
  'transfer',
  'pay',
  'mint',
  'burn',
  'escrow_lock',
  'escrow_release',
  'escrow_refund',
  'escrow_dispute',
  'escrow_settle',
  'timelock_create',
  'timelock_claim',
  'timelock_cancel',
  'multisig_create',
  'multisig_execute',
  'multisig_update',
  'issuer_control',
];

/** What a multisig account can execute (the codec refuses the rest too). */
const MULTISIG_INNER_TYPES: ReadonlySet<OperationType> = new Set([
  'transfer',
  'pay',
  'burn',
  'multisig_update',
]);

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
    case 'escrow_lock':
    case 'escrow_release':
    case 'escrow_refund':
    case 'escrow_dispute':
    case 'escrow_settle':
    case 'timelock_create':
    case 'timelock_claim':
    case 'timelock_cancel':
      return escrowOrTimelockToJson(operation, options);
    case 'multisig_create':
      return multisigCreateToJson(operation);
    case 'multisig_update':
      return multisigUpdateToJson(operation);
    case 'multisig_execute':
      return {
        type: 'multisig_execute',
        account: addressToJson(operation.account, prefix),
        accountNonce: u64ToJson(operation.accountNonce),
        operation: operationToJson(operation.operation, options) as MultisigInnerOperationJson,
        signatures: indexedSignaturesToJson(operation.signatures),
      };
    case 'issuer_control':
      return issuerControlToJson(operation, options);
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
    case 'escrow_lock':
    case 'escrow_release':
    case 'escrow_refund':
    case 'escrow_dispute':
    case 'escrow_settle':
    case 'timelock_create':
    case 'timelock_claim':
    case 'timelock_cancel':
      return escrowOrTimelockFromJson(json, type, options, path);
    case 'multisig_create':
      return multisigCreateFromJson(json, path);
    case 'multisig_update':
      return multisigUpdateFromJson(json, path);
    case 'multisig_execute': {
      const o = readObject(json, path, ['type', 'account', 'accountNonce', 'operation', 'signatures']);
      return {
        type,
        account: readAddress(o.account, childPath(path, 'account'), prefix),
        accountNonce: readU64String(o.accountNonce, childPath(path, 'accountNonce')),
        operation: multisigInnerFromJson(o.operation, options, childPath(path, 'operation')),
        signatures: readIndexedSignatures(o.signatures, childPath(path, 'signatures')),
      };
    }
    case 'issuer_control':
      return issuerControlFromJson(json, options, path);
  }
}

/** The nested operation of `multisig_execute`: transfer, pay, burn or multisig_update only. */
function multisigInnerFromJson(json: unknown, options: JsonOptions, path: string): MultisigInnerOperation {
  const type = readObjectType(json, path);
  if (!MULTISIG_INNER_TYPES.has(type)) {
    throw jsonInvalid(
      childPath(path, 'type'),
      'invalid_value',
      'a multisig account executes only transfer, pay, burn or multisig_update',
    );
  }
  return operationFromJson(json, options, path) as MultisigInnerOperation;
}

/** The `type` of an operation object, checked before its other fields (they depend on it). */
function readObjectType(json: unknown, path: string): Operation['type'] {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw jsonInvalid(path, 'not_object', 'expected an object');
  }
  const type: unknown = (json as Record<string, unknown>).type;
  const typePath = childPath(path, 'type');
  if (type === undefined) throw jsonInvalid(typePath, 'missing_field', 'missing field');
  if (!(OPERATION_TYPES as readonly unknown[]).includes(type)) {
    throw jsonInvalid(typePath, 'invalid_value', `expected one of ${OPERATION_TYPES.join(', ')}`);
  }
  return type as OperationType;
}
