import { MAX_BATCH_RECEIPTS, MAX_BLOCK_TRANSACTIONS, MAX_INCOMING_BATCHES } from '../codec/limits.ts';
import type { Block, IncomingReceiptBatch } from '../types.ts';
import { type BlockHeaderJson, blockHeaderFromJson, blockHeaderToJson } from './blockHeaderJson.ts';
import {
  type CommitCertificateJson,
  commitCertificateFromJson,
  commitCertificateToJson,
} from './commitCertificateJson.ts';
import { childPath, type JsonOptions, readArray, readObject } from './jsonFields.ts';
import { type MerkleProofJson, merkleProofFromJson, merkleProofToJson } from './merkleProofJson.ts';
import { type ReceiptJson, receiptFromJson, receiptToJson } from './receiptJson.ts';
import { type TransactionJson, transactionFromJson, transactionToJson } from './transactionJson.ts';

/** JSON form of one source block's receipts with what proves them. */
export interface IncomingReceiptBatchJson {
  header: BlockHeaderJson;
  certificate: CommitCertificateJson;
  receipts: Array<{ receipt: ReceiptJson; proof: MerkleProofJson }>;
}

/** JSON form of a block. */
export interface BlockJson {
  header: BlockHeaderJson;
  transactions: TransactionJson[];
  incoming: IncomingReceiptBatchJson[];
}

/** The JSON form of an incoming receipt batch. */
export function incomingReceiptBatchToJson(
  batch: IncomingReceiptBatch,
  options: JsonOptions,
): IncomingReceiptBatchJson {
  return {
    header: blockHeaderToJson(batch.header),
    certificate: commitCertificateToJson(batch.certificate),
    receipts: batch.receipts.map(({ receipt, proof }) => ({
      receipt: receiptToJson(receipt, options),
      proof: merkleProofToJson(proof),
    })),
  };
}

/** Reads an incoming receipt batch's JSON form strictly; throws JSON_INVALID with `meta.path`. */
export function incomingReceiptBatchFromJson(
  json: unknown,
  options: JsonOptions,
  path = '',
): IncomingReceiptBatch {
  const o = readObject(json, path, ['header', 'certificate', 'receipts']);
  return {
    header: blockHeaderFromJson(o.header, childPath(path, 'header')),
    certificate: commitCertificateFromJson(o.certificate, childPath(path, 'certificate')),
    receipts: readArray(o.receipts, childPath(path, 'receipts'), MAX_BATCH_RECEIPTS, (value, p) => {
      const entry = readObject(value, p, ['receipt', 'proof']);
      return {
        receipt: receiptFromJson(entry.receipt, options, childPath(p, 'receipt')),
        proof: merkleProofFromJson(entry.proof, childPath(p, 'proof')),
      };
    }),
  };
}

/** The JSON form of a block. */
export function blockToJson(block: Block, options: JsonOptions): BlockJson {
  return {
    header: blockHeaderToJson(block.header),
    transactions: block.transactions.map((tx) => transactionToJson(tx, options)),
    incoming: block.incoming.map((batch) => incomingReceiptBatchToJson(batch, options)),
  };
}

/** Reads a block's JSON form strictly; throws JSON_INVALID with `meta.path`. */
export function blockFromJson(json: unknown, options: JsonOptions, path = ''): Block {
  const o = readObject(json, path, ['header', 'transactions', 'incoming']);
  return {
    header: blockHeaderFromJson(o.header, childPath(path, 'header')),
    transactions: readArray(
      o.transactions,
      childPath(path, 'transactions'),
      MAX_BLOCK_TRANSACTIONS,
      (value, p) => transactionFromJson(value, options, p),
    ),
    incoming: readArray(o.incoming, childPath(path, 'incoming'), MAX_INCOMING_BATCHES, (value, p) =>
      incomingReceiptBatchFromJson(value, options, p),
    ),
  };
}
