import type { Block, IncomingReceiptBatch } from '../types.ts';
import type { ByteReader } from './ByteReader.ts';
import type { ByteWriter } from './ByteWriter.ts';
import { readBlockHeader, writeBlockHeader } from './blockHeaderCodec.ts';
import { readCommitCertificate, writeCommitCertificate } from './commitCertificateCodec.ts';
import { MAX_BATCH_RECEIPTS, MAX_BLOCK_TRANSACTIONS, MAX_INCOMING_BATCHES } from './limits.ts';
import { readMerkleProof, writeMerkleProof } from './merkleProofCodec.ts';
import { ObjectKind } from './objectKind.ts';
import { readReceipt, writeReceipt } from './receiptCodec.ts';
import { decodeTopLevel, encodeTopLevel } from './topLevel.ts';
import { readTransaction, writeTransaction } from './transactionCodec.ts';

// Lower bounds on element sizes, so a hostile count is refused before any allocation.
const MIN_TRANSACTION_BYTES = 100;
const MIN_BATCH_BYTES = 200;
const MIN_RECEIPT_WITH_PROOF_BYTES = 100;

function writeIncomingBatch(writer: ByteWriter, batch: IncomingReceiptBatch, field: string): void {
  writeBlockHeader(writer, batch.header);
  writeCommitCertificate(writer, batch.certificate);
  writer.count(batch.receipts, MAX_BATCH_RECEIPTS, `${field}.receipts`);
  batch.receipts.forEach((entry, r) => {
    writeReceipt(writer, entry.receipt);
    writeMerkleProof(writer, entry.proof, `${field}.receipts[${r}].proof`);
  });
}

function readIncomingBatch(reader: ByteReader): IncomingReceiptBatch {
  const header = readBlockHeader(reader);
  const certificate = readCommitCertificate(reader);
  const count = reader.count(MAX_BATCH_RECEIPTS, MIN_RECEIPT_WITH_PROOF_BYTES);
  const receipts: IncomingReceiptBatch['receipts'] = [];
  for (let r = 0; r < count; r++) {
    const receipt = readReceipt(reader);
    const proof = readMerkleProof(reader);
    receipts.push({ receipt, proof });
  }
  return { header, certificate, receipts };
}

/** header, u32 count + transactions, u32 count + incoming batches (header, certificate, receipts + proofs). */
export function writeBlock(writer: ByteWriter, block: Block): void {
  writeBlockHeader(writer, block.header);
  writer.count(block.transactions, MAX_BLOCK_TRANSACTIONS, 'transactions');
  for (const tx of block.transactions) writeTransaction(writer, tx);
  writer.count(block.incoming, MAX_INCOMING_BATCHES, 'incoming');
  block.incoming.forEach((batch, b) => {
    writeIncomingBatch(writer, batch, `incoming[${b}]`);
  });
}

export function readBlock(reader: ByteReader): Block {
  const header = readBlockHeader(reader);
  const txCount = reader.count(MAX_BLOCK_TRANSACTIONS, MIN_TRANSACTION_BYTES);
  const transactions: Block['transactions'] = [];
  for (let i = 0; i < txCount; i++) transactions.push(readTransaction(reader));
  const batchCount = reader.count(MAX_INCOMING_BATCHES, MIN_BATCH_BYTES);
  const incoming: IncomingReceiptBatch[] = [];
  for (let b = 0; b < batchCount; b++) incoming.push(readIncomingBatch(reader));
  return { header, transactions, incoming };
}

/** Canonical bytes of a whole block (kind 0x05). The block's id is its header's (`headerId`). */
export function encodeBlock(block: Block): Uint8Array {
  return encodeTopLevel(ObjectKind.block, block, writeBlock);
}

/** Decodes `encodeBlock` bytes; throws DECODE_ERROR on anything non-canonical. */
export function decodeBlock(bytes: Uint8Array): Block {
  return decodeTopLevel(bytes, ObjectKind.block, 'block', readBlock);
}
