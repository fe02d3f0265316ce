import { platform } from '#platform';
import { equalBytes } from './bytes.ts';
import { ShardpayError } from './ShardpayError.ts';

/**
 * Binary Merkle trees of RFC 6962 shape: a tree of n > 1 leaves splits at the largest power of two
 * k < n (left k leaves, right n - k), so the last leaf is never duplicated. Hashes:
 *
 *   leaf  = sha256(0x00 ‖ leaf)
 *   node  = sha256(0x01 ‖ left ‖ right)
 *   MTH() = sha256()                                  (empty tree, as in RFC 6962)
 *   root  = sha256(0x02 ‖ u64be(n) ‖ MTH(leaves))     (Shardpay addition)
 *
 * Why the root binds n: an RFC 6962 root does not commit to the leaf count, and an audit path reads
 * the same for several (index, count) pairs (e.g. leaf 2 of 3 is also "leaf 1 of 2"). Binding n makes
 * a proof's index and leafCount both checked, so a receipt cannot be replayed under another position.
 */

/** Inclusion proof: siblings from the leaf's level up to the root (RFC 6962 audit path order). */
export interface MerkleProof {
  index: number;
  leafCount: number;
  siblings: Uint8Array[];
}

const leafPrefix = 0x00;
const nodePrefix = 0x01;
const rootPrefix = 0x02;
const hashLength = 32;
// Enough for any array (JS arrays hold < 2^32 elements); keeps u64be(n) exact.
const maxLeafCount = 2 ** 32;

function hashLeaf(leaf: Uint8Array): Uint8Array {
  const message = new Uint8Array(1 + leaf.length);
  message[0] = leafPrefix;
  message.set(leaf, 1);
  return platform.sha256(message);
}

// Reused for every inner node: sha256 copies its input, so the scratch is free again on return.
const nodeScratch = new Uint8Array(1 + 2 * hashLength);
nodeScratch[0] = nodePrefix;

function hashNode(left: Uint8Array, right: Uint8Array): Uint8Array {
  nodeScratch.set(left, 1);
  nodeScratch.set(right, 1 + hashLength);
  return platform.sha256(nodeScratch);
}

function hashRoot(leafCount: number, treeHash: Uint8Array): Uint8Array {
  const message = new Uint8Array(1 + 8 + hashLength);
  const view = new DataView(message.buffer);
  message[0] = rootPrefix;
  view.setUint32(1, Math.floor(leafCount / 2 ** 32));
  view.setUint32(5, leafCount >>> 0);
  message.set(treeHash, 9);
  return platform.sha256(message);
}

/**
 * One level up. Pairing neighbours and carrying a lone last node up unchanged builds exactly the
 * RFC 6962 tree (its left subtrees are perfect, so the odd node is always the right edge).
 */
function parentLevel(level: readonly Uint8Array[]): Uint8Array[] {
  const parents: Uint8Array[] = [];
  for (let i = 0; i < level.length; i += 2) {
    parents.push(i + 1 < level.length ? hashNode(level[i]!, level[i + 1]!) : level[i]!);
  }
  return parents;
}

/** Root of the tree over `leaves` (see the module doc for the hashes; binds the leaf count). */
export function merkleRoot(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return hashRoot(0, platform.sha256(new Uint8Array(0)));
  let level = leaves.map(hashLeaf);
  while (level.length > 1) level = parentLevel(level);
  return hashRoot(leaves.length, level[0]!);
}

/** Proof that `leaves[index]` is in the tree; `MERKLE_INDEX_INVALID` if index is out of range. */
export function merkleProof(leaves: readonly Uint8Array[], index: number): MerkleProof {
  if (!Number.isSafeInteger(index) || index < 0 || index >= leaves.length) {
    throw new ShardpayError(
      'MERKLE_INDEX_INVALID',
      `leaf index ${index} is outside 0..${leaves.length - 1}`,
      {
        meta: { index, leafCount: leaves.length },
      },
    );
  }
  const siblings: Uint8Array[] = [];
  let level = leaves.map(hashLeaf);
  let position = index;
  while (level.length > 1) {
    const siblingPosition = position % 2 === 1 ? position - 1 : position + 1;
    // A lone last node has no sibling at this level: it moves up as it is.
    if (siblingPosition < level.length) siblings.push(level[siblingPosition]!);
    level = parentLevel(level);
    position = Math.floor(position / 2);
  }
  return { index, leafCount: leaves.length, siblings };
}

function isHash(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.length === hashLength;
}

/**
 * True when `proof` shows `leaf` at `proof.index` of a `proof.leafCount`-leaf tree with this `root`.
 * Never throws: a wrong index or count, a missing or extra sibling, or any flipped bit answers false.
 */
export function verifyMerkleProof(root: Uint8Array, leaf: Uint8Array, proof: MerkleProof): boolean {
  try {
    if (!isHash(root) || !(leaf instanceof Uint8Array) || typeof proof !== 'object' || proof === null) {
      return false;
    }
    const { index, leafCount, siblings } = proof;
    if (!Number.isSafeInteger(leafCount) || leafCount < 1 || leafCount > maxLeafCount) return false;
    if (!Number.isSafeInteger(index) || index < 0 || index >= leafCount) return false;
    if (!Array.isArray(siblings)) return false;
    let hash = hashLeaf(leaf);
    let position = index;
    let width = leafCount;
    let used = 0;
    while (width > 1) {
      if (position % 2 === 1) {
        const sibling: unknown = siblings[used++];
        if (!isHash(sibling)) return false;
        hash = hashNode(sibling, hash);
      } else if (position + 1 < width) {
        const sibling: unknown = siblings[used++];
        if (!isHash(sibling)) return false;
        hash = hashNode(hash, sibling);
      }
      position = Math.floor(position / 2);
      width = Math.ceil(width / 2);
    }
    return used === siblings.length && equalBytes(hashRoot(leafCount, hash), root);
  } catch {
    return false;
  }
}
