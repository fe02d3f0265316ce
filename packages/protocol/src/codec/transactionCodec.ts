import { sha256 } from '@shardpay/crypto';
import type { Transaction, TransactionBody } from '../types.ts';
import type { ByteReader } from './ByteReader.ts';
import type { ByteWriter } from './ByteWriter.ts';
import { rememberDecodedTransactionId } from './decodedTransactionIds.ts';
import {
  readChainId,
  readPublicKey,
  readSignature,
  writeChainId,
  writePublicKey,
  writeSignature,
} from './fields.ts';
import { ObjectKind } from './objectKind.ts';
import { readOperation, writeOperation } from './operationCodec.ts';
import { decodeTopLevel, encodeTopLevel } from './topLevel.ts';

/** Body fields: chainId, shard u16, nonce u64, fee u64, expiryHeight u64, publicKey, operation. */
export function writeTransactionBody(writer: ByteWriter, body: TransactionBody): void {
  writeChainId(writer, body.chainId);
  writer.u16(body.shard, 'shard');
  writer.u64(body.nonce, 'nonce');
  writer.u64(body.fee, 'fee');
  writer.u64(body.expiryHeight, 'expiryHeight');
  writePublicKey(writer, body.publicKey, 'publicKey');
  writeOperation(writer, body.operation);
}

export function readTransactionBody(reader: ByteReader): TransactionBody {
  const chainId = readChainId(reader);
  const shard = reader.u16();
  const nonce = reader.u64();
  const fee = reader.u64();
  const expiryHeight = reader.u64();
  const publicKey = readPublicKey(reader);
  const operation = readOperation(reader);
  return { chainId, shard, nonce, fee, expiryHeight, publicKey, operation };
}

/** A transaction inside another object: the body fields, then the signature. */
export function writeTransaction(writer: ByteWriter, tx: Transaction): void {
  writeTransactionBody(writer, tx);
  writeSignature(writer, tx.signature, 'signature');
}

/**
 * Reads a transaction and remembers its id: sha256 of the kind byte and the bytes just read, which
 * are exactly `encodeTransaction`'s output because decoding accepts canonical bytes only. The object
 * is frozen so the remembered id stays its id.
 */
export function readTransaction(reader: ByteReader): Transaction {
  const start = reader.position;
  const body = readTransactionBody(reader);
  const signature = readSignature(reader);
  const fields = reader.readSince(start);
  const canonical = new Uint8Array(fields.length + 1);
  canonical[0] = ObjectKind.transaction;
  canonical.set(fields, 1);
  const tx: Transaction = { ...body, signature };
  rememberDecodedTransactionId(tx, sha256(canonical));
  Object.freeze(body.operation);
  return Object.freeze(tx);
}

/** Canonical bytes of what a sender signs (kind 0x02). Extra fields (a signature) are ignored. */
export function encodeTransactionBody(body: TransactionBody): Uint8Array {
  return encodeTopLevel(ObjectKind.transactionBody, body, writeTransactionBody);
}

/** Decodes `encodeTransactionBody` bytes; throws DECODE_ERROR on anything non-canonical. */
export function decodeTransactionBody(bytes: Uint8Array): TransactionBody {
  return decodeTopLevel(bytes, ObjectKind.transactionBody, 'transaction body', readTransactionBody);
}

/** Canonical bytes of a signed transaction (kind 0x01); its id is their sha256. */
export function encodeTransaction(tx: Transaction): Uint8Array {
  return encodeTopLevel(ObjectKind.transaction, tx, writeTransaction);
}

/** Decodes `encodeTransaction` bytes; throws DECODE_ERROR on anything non-canonical. */
export function decodeTransaction(bytes: Uint8Array): Transaction {
  return decodeTopLevel(bytes, ObjectKind.transaction, 'transaction', readTransaction);
}
