import { merkleProof, merkleRoot, verifyMerkleProof } from '@shardpay/crypto';
import type { Hash, MerkleProof, Receipt } from '@shardpay/protocol';
import { receiptId } from '@shardpay/protocol';

/** The receipts root a header carries: the Merkle root over the ids of the block's outgoing receipts, in order. */
export function computeReceiptsRoot(receipts: readonly Receipt[]): Hash {
  return merkleRoot(receipts.map(receiptId));
}

/** The proof that `receipts[index]` is in the block whose receipts root is `computeReceiptsRoot(receipts)`. */
export function receiptInclusionProof(receipts: readonly Receipt[], index: number): MerkleProof {
  return merkleProof(receipts.map(receiptId), index);
}

/**
 * Whether `proof` shows the receipt (or receipt id) in a block with this receipts root. Never throws:
 * a malformed receipt, proof or root answers false.
 */
export function verifyReceiptInclusion(
  receiptsRoot: Hash,
  receipt: Receipt | Hash,
  proof: MerkleProof,
): boolean {
  try {
    const id = receipt instanceof Uint8Array ? receipt : receiptId(receipt);
    if (!(receipt instanceof Uint8Array) && proof.index !== receipt.index) return false;
    return verifyMerkleProof(receiptsRoot, id, proof);
  } catch {
    return false;
  }
}
