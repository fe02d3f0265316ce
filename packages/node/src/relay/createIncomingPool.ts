import { bytesToHex, merkleProof, merkleRoot, ShardpayError } from '@shardpay/crypto';
import {
  type BlockHeader,
  type CommitCertificate,
  committeeOf,
  headerId,
  type IncomingReceiptBatch,
  type NetworkConfig,
  type Receipt,
  receiptId,
  verifyCommitCertificate,
} from '@shardpay/protocol';

/** A committed source block's outgoing receipts, as gossiped or fetched. */
export interface CommittedReceipts {
  header: BlockHeader;
  certificate: CommitCertificate;
  /** All the block's outgoing receipts, in order (needed to rebuild the Merkle proofs). */
  receipts: Receipt[];
}

export interface IncomingPool {
  /**
   * Verifies a source block's receipts (certificate against the source committee, receipts against
   * the header's receipts root) and keeps those addressed to this shard that are not consumed yet.
   * Throws RECEIPT_PROOF_INVALID or CERTIFICATE_INVALID for forged input. Returns how many were added.
   */
  add(committed: CommittedReceipts): number;
  /** Batches for the next block, at most `maxReceipts` receipts, oldest source blocks first. */
  batchesForBlock(maxReceipts: number): IncomingReceiptBatch[];
  /** Drops receipts the chain has consumed (call after every commit). */
  prune(isConsumed: (receiptId: Uint8Array) => boolean): void;
  size(): number;
  /** For each source shard: the lowest source height with a receipt still waiting here. */
  lowestWaitingHeight(sourceShard: number): bigint | undefined;
}

interface PoolBlock {
  header: BlockHeader;
  certificate: CommitCertificate;
  /** Waiting receipts of this block for this shard, keyed by receipt id hex. */
  entries: Map<
    string,
    { receipt: Receipt; id: Uint8Array; index: number; leafCount: number; ids: Uint8Array[] }
  >;
}

/**
 * The receipts other shards owe this one, verified on arrival. Exactly-once is the ledger's job (it
 * records consumed receipt ids); the pool only makes sure proposers have them to include.
 */
export function createIncomingPool(config: NetworkConfig, shard: number): IncomingPool {
  const blocks = new Map<string, PoolBlock>();
  let count = 0;

  return {
    add({ header, certificate, receipts }) {
      if (header.chainId !== config.chainId || header.shard === shard) {
        throw new ShardpayError('RECEIPT_PROOF_INVALID', 'receipts from another chain or from this shard', {
          meta: { reason: 'wrong_source' },
        });
      }
      const hash = headerId(header);
      verifyCommitCertificate(certificate, committeeOf(config, header.shard), {
        chainId: config.chainId,
        shard: header.shard,
        height: header.height,
        blockHash: hash,
      });
      const ids = receipts.map(receiptId);
      const root = merkleRoot(ids);
      if (bytesToHex(root) !== bytesToHex(header.receiptsRoot)) {
        throw new ShardpayError(
          'RECEIPT_PROOF_INVALID',
          'the receipts do not match the header receipts root',
          {
            meta: { reason: 'root_mismatch' },
          },
        );
      }
      const key = bytesToHex(hash);
      const pooled = blocks.get(key) ?? { header, certificate, entries: new Map() };
      let added = 0;
      receipts.forEach((receipt, index) => {
        if (receipt.targetShard !== shard) return;
        const idHex = bytesToHex(ids[index]!);
        if (pooled.entries.has(idHex)) return;
        pooled.entries.set(idHex, { receipt, id: ids[index]!, index, leafCount: ids.length, ids });
        added++;
      });
      if (pooled.entries.size > 0) blocks.set(key, pooled);
      count += added;
      return added;
    },

    batchesForBlock(maxReceipts) {
      const ordered = [...blocks.values()].sort((a, b) =>
        a.header.shard !== b.header.shard
          ? a.header.shard - b.header.shard
          : Number(a.header.height - b.header.height),
      );
      const batches: IncomingReceiptBatch[] = [];
      let taken = 0;
      for (const pooled of ordered) {
        if (taken >= maxReceipts) break;
        const receipts: IncomingReceiptBatch['receipts'] = [];
        for (const entry of pooled.entries.values()) {
          if (taken >= maxReceipts) break;
          receipts.push({ receipt: entry.receipt, proof: merkleProof(entry.ids, entry.index) });
          taken++;
        }
        if (receipts.length > 0)
          batches.push({ header: pooled.header, certificate: pooled.certificate, receipts });
      }
      return batches;
    },

    prune(isConsumed) {
      for (const [key, pooled] of blocks) {
        for (const [idHex, entry] of pooled.entries) {
          if (isConsumed(entry.id)) {
            pooled.entries.delete(idHex);
            count--;
          }
        }
        if (pooled.entries.size === 0) blocks.delete(key);
      }
    },

    size: () => count,

    lowestWaitingHeight(sourceShard) {
      let lowest: bigint | undefined;
      for (const pooled of blocks.values()) {
        if (pooled.header.shard !== sourceShard) continue;
        if (lowest === undefined || pooled.header.height < lowest) lowest = pooled.header.height;
      }
      return lowest;
    },
  };
}
