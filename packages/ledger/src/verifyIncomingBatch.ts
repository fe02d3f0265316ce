import { ShardpayError } from '@shardpay/crypto';
import type {
  BlockHeader,
  Hash,
  IncomingReceiptBatch,
  MerkleProof,
  NetworkConfig,
  Receipt,
} from '@shardpay/protocol';
import { receiptId as computeReceiptId, headerId } from '@shardpay/protocol';
import { defaultExecutionChecks, type ExecutionChecks } from './BlockContext.ts';
import { verifyReceiptInclusion } from './receiptInclusion.ts';

/**
 * Throws unless a batch's source block is proven for a shard to consume: this chain (WRONG_CHAIN), another
 * existing shard (RECEIPT_WRONG_TARGET), and a commit certificate of the source committee for exactly
 * this header (CERTIFICATE_INVALID). Returns the header id.
 */
export function assertValidIncomingBatchHeader(
  config: NetworkConfig,
  shard: number,
  batch: IncomingReceiptBatch,
  checks: Pick<ExecutionChecks, 'assertCommitCertificateValid'> = defaultExecutionChecks,
): Hash {
  const { header } = batch;
  if (header.chainId !== config.chainId) {
    throw new ShardpayError('WRONG_CHAIN', `source header of chain ${String(header.chainId)}`);
  }
  if (
    header.shard === shard ||
    !Number.isInteger(header.shard) ||
    header.shard < 0 ||
    header.shard >= config.shardCount
  ) {
    throw new ShardpayError(
      'RECEIPT_WRONG_TARGET',
      `receipts from shard ${header.shard} cannot come to shard ${shard}`,
      {
        meta: { sourceShard: header.shard, shard, reason: 'bad_source_shard' },
      },
    );
  }
  let headerHash: Hash;
  try {
    headerHash = headerId(header);
  } catch (error) {
    throw new ShardpayError('RECEIPT_PROOF_INVALID', 'the source header has no canonical encoding', {
      meta: { reason: 'malformed_header' },
      cause: error,
    });
  }
  checks.assertCommitCertificateValid(config, header, headerHash, batch.certificate);
  return headerHash;
}

/**
 * Throws unless one receipt is proven by its source header: it names that header's chain, shard and
 * height and its position (RECEIPT_PROOF_INVALID), targets this shard (RECEIPT_WRONG_TARGET), and its
 * Merkle proof leads from its id to header.receiptsRoot (RECEIPT_PROOF_INVALID).
 */
export function assertValidIncomingReceiptProof(
  shard: number,
  header: BlockHeader,
  entry: { receipt: Receipt; proof: MerkleProof },
  receiptId: Hash,
): void {
  const { receipt, proof } = entry;
  if (
    receipt.chainId !== header.chainId ||
    receipt.sourceShard !== header.shard ||
    receipt.sourceHeight !== header.height ||
    proof?.index !== receipt.index
  ) {
    throw new ShardpayError('RECEIPT_PROOF_INVALID', 'the receipt does not belong to its source header', {
      meta: { reason: 'header_mismatch' },
    });
  }
  if (receipt.targetShard !== shard) {
    throw new ShardpayError(
      'RECEIPT_WRONG_TARGET',
      `the receipt targets shard ${receipt.targetShard}, not ${shard}`,
      {
        meta: { targetShard: receipt.targetShard, shard },
      },
    );
  }
  if (!verifyReceiptInclusion(header.receiptsRoot, receiptId, proof)) {
    throw new ShardpayError(
      'RECEIPT_PROOF_INVALID',
      "the Merkle proof does not lead to the header's receipts root",
      {
        meta: { reason: 'bad_merkle_proof' },
      },
    );
  }
}

/** The id of a receipt, or RECEIPT_PROOF_INVALID when it has no canonical encoding. */
export function incomingReceiptId(receipt: Receipt): Hash {
  try {
    return computeReceiptId(receipt);
  } catch (error) {
    throw new ShardpayError('RECEIPT_PROOF_INVALID', 'the receipt has no canonical encoding', {
      meta: { reason: 'malformed_receipt' },
      cause: error,
    });
  }
}

/**
 * Throws unless `batch` may be consumed by `shard`: chain, source shard ≠ shard, the source committee's
 * certificate for the header, and for every receipt its Merkle proof against header.receiptsRoot and
 * targetShard === shard. `checks` can supply a cached certificate verdict.
 */
export function verifyIncomingBatch(
  config: NetworkConfig,
  shard: number,
  batch: IncomingReceiptBatch,
  checks: Pick<ExecutionChecks, 'assertCommitCertificateValid'> = defaultExecutionChecks,
): void {
  assertValidIncomingBatchHeader(config, shard, batch, checks);
  for (const entry of batch.receipts) {
    assertValidIncomingReceiptProof(shard, batch.header, entry, incomingReceiptId(entry.receipt));
  }
}
