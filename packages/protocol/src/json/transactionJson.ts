import { PUBLIC_KEY_BYTES, SIGNATURE_BYTES } from '../codec/limits.ts';
import type { Transaction, TransactionBody } from '../types.ts';
import { MAX_CHAIN_ID_BYTES } from '../types.ts';
import {
  amountToJson,
  childPath,
  hexToJson,
  type JsonOptions,
  readAmount,
  readHex,
  readInteger,
  readObject,
  readString,
  readU64String,
  u64ToJson,
} from './jsonFields.ts';
import { type OperationJson, operationFromJson, operationToJson } from './operationJson.ts';

/** JSON form of a transaction body: u64s as decimal strings, the fee as an amount, the key as hex. */
export interface TransactionBodyJson {
  chainId: string;
  shard: number;
  nonce: string;
  fee: string;
  expiryHeight: string;
  publicKey: string;
  operation: OperationJson;
}

/** JSON form of a signed transaction: the body plus a hex signature. */
export interface TransactionJson extends TransactionBodyJson {
  signature: string;
}

const bodyKeys = ['chainId', 'shard', 'nonce', 'fee', 'expiryHeight', 'publicKey', 'operation'] as const;

/** The JSON form of a transaction body (a signature on the input is left out). */
export function transactionBodyToJson(body: TransactionBody, options: JsonOptions): TransactionBodyJson {
  return {
    chainId: body.chainId,
    shard: body.shard,
    nonce: u64ToJson(body.nonce),
    fee: amountToJson(body.fee),
    expiryHeight: u64ToJson(body.expiryHeight),
    publicKey: hexToJson(body.publicKey),
    operation: operationToJson(body.operation, options),
  };
}

function readBodyFields(o: Record<(typeof bodyKeys)[number], unknown>, options: JsonOptions, path: string) {
  return {
    chainId: readString(o.chainId, childPath(path, 'chainId'), MAX_CHAIN_ID_BYTES),
    shard: readInteger(o.shard, childPath(path, 'shard'), 0, 0xffff),
    nonce: readU64String(o.nonce, childPath(path, 'nonce')),
    fee: readAmount(o.fee, childPath(path, 'fee')),
    expiryHeight: readU64String(o.expiryHeight, childPath(path, 'expiryHeight')),
    publicKey: readHex(o.publicKey, childPath(path, 'publicKey'), PUBLIC_KEY_BYTES),
    operation: operationFromJson(o.operation, options, childPath(path, 'operation')),
  } satisfies TransactionBody;
}

/** Reads a transaction body's JSON form strictly; throws JSON_INVALID with `meta.path`. */
export function transactionBodyFromJson(json: unknown, options: JsonOptions, path = ''): TransactionBody {
  return readBodyFields(readObject(json, path, bodyKeys), options, path);
}

/** The JSON form of a signed transaction. */
export function transactionToJson(tx: Transaction, options: JsonOptions): TransactionJson {
  return { ...transactionBodyToJson(tx, options), signature: hexToJson(tx.signature) };
}

/** Reads a signed transaction's JSON form strictly; throws JSON_INVALID with `meta.path`. */
export function transactionFromJson(json: unknown, options: JsonOptions, path = ''): Transaction {
  const o = readObject(json, path, [...bodyKeys, 'signature']);
  return {
    ...readBodyFields(o, options, path),
    signature: readHex(o.signature, childPath(path, 'signature'), SIGNATURE_BYTES),
  };
}
