import { equalBytes, ShardpayError, sha256, utf8ToBytes, ZERO_HASH } from '@shardpay/crypto';
import type { Address, Hash } from '@shardpay/protocol';
import type { Account } from './ShardState.ts';

/**
 * The account tree: a dense Merkle tree of arity 16 and fixed depth 8 (room for 2^32 accounts) whose
 * leaves are the accounts in creation order. An update hashes only the paths of the changed leaves —
 * about 1.3 node hashes per changed leaf plus the leaves — so a block's cost grows with the accounts it
 * touches, never with the number of accounts. Node hashes live in one typed array per level.
 *
 *   leaf  = domainHash('shardpay/account-leaf/v1', address ‖ u64 balance ‖ u64 nonce)
 *   node  = domainHash('shardpay/account-node/v1', child0 ‖ … ‖ child15)
 *   empty leaf = ZERO_HASH; empty node of level L+1 = node(16 × empty of level L)
 *
 * A child slot at or beyond the level's used node count holds the empty hash of its level, so the root
 * depends only on the leaves.
 */
export const ACCOUNT_TREE_ARITY = 16;
export const ACCOUNT_TREE_DEPTH = 8;
/** 16^8 leaves. */
export const MAX_ACCOUNT_COUNT = 2 ** 32;
/** Bytes of an account proof's siblings: 15 hashes per level. */
export const ACCOUNT_PROOF_SIBLINGS_BYTES = ACCOUNT_TREE_DEPTH * (ACCOUNT_TREE_ARITY - 1) * 32;

export const ACCOUNT_LEAF_TAG = 'shardpay/account-leaf/v1';
export const ACCOUNT_NODE_TAG = 'shardpay/account-node/v1';

const HASH_BYTES = 32;
const CHILDREN_BYTES = ACCOUNT_TREE_ARITY * HASH_BYTES;

/** The in-memory account tree of one shard (rebuilt from the accounts when a node starts). */
export interface AccountTree {
  /** Leaves in use. */
  count: number;
  /** levels[L] for L = 0 … DEPTH − 1: node hashes of level L (level 0 = leaves); capacity may exceed use. */
  levels: Uint8Array[];
  root: Hash;
}

/** Changed nodes of one level, indices ascending. */
export interface AccountTreeLevelUpdate {
  indices: Uint32Array;
  /** 32 bytes per index, in the same order. */
  hashes: Uint8Array;
}

/** What a block changes in the account tree: computed without touching it, applied on commit. */
export interface AccountTreeUpdate {
  previousRoot: Hash;
  count: number;
  root: Hash;
  /** DEPTH entries, one per level below the root. */
  levels: AccountTreeLevelUpdate[];
}

/** The changed leaves of a block: ascending unique leaf indices and their new hashes. */
export interface ChangedLeaves {
  indices: Uint32Array;
  hashes: Uint8Array;
}

/** domainHash's layout — u8(tag length) ‖ tag — so hot paths can fill one buffer and hash it once. */
function tagPrefix(tag: string): Uint8Array {
  const tagBytes = utf8ToBytes(tag);
  const prefix = new Uint8Array(1 + tagBytes.length);
  prefix[0] = tagBytes.length;
  prefix.set(tagBytes, 1);
  return prefix;
}

const LEAF_PREFIX = tagPrefix(ACCOUNT_LEAF_TAG);
const NODE_PREFIX = tagPrefix(ACCOUNT_NODE_TAG);
const NODE_INPUT_BYTES = NODE_PREFIX.length + CHILDREN_BYTES;

// Execution is synchronous and single-threaded, so one scratch buffer per shape is safe.
const leafInput = new Uint8Array(LEAF_PREFIX.length + 20 + 8 + 8);
leafInput.set(LEAF_PREFIX, 0);
const leafView = new DataView(leafInput.buffer);
const nodeInput = new Uint8Array(NODE_INPUT_BYTES);
nodeInput.set(NODE_PREFIX, 0);

function hashNodeInput(): Uint8Array {
  return sha256(nodeInput);
}

/** emptyHashes[L]: the hash of an empty node of level L (L = 0 is an empty leaf). */
const emptyHashes: Uint8Array[] = [ZERO_HASH];
/** emptyChildren[L]: 16 empty hashes of level L, to fill a parent's unused child slots in one copy. */
const emptyChildren: Uint8Array[] = [];
for (let level = 0; level < ACCOUNT_TREE_DEPTH; level++) {
  const children = new Uint8Array(CHILDREN_BYTES);
  for (let j = 0; j < ACCOUNT_TREE_ARITY; j++) children.set(emptyHashes[level]!, j * HASH_BYTES);
  emptyChildren.push(children);
  nodeInput.set(children, NODE_PREFIX.length);
  emptyHashes.push(hashNodeInput());
}

/** The root of a tree without accounts. */
export const EMPTY_ACCOUNTS_ROOT: Hash = emptyHashes[ACCOUNT_TREE_DEPTH]!;

/** The leaf hash of an account: what the account tree and account proofs commit to. */
export function accountLeafHash(address: Address, account: Account): Hash {
  leafInput.set(address, LEAF_PREFIX.length);
  leafView.setBigUint64(LEAF_PREFIX.length + 20, account.balance);
  leafView.setBigUint64(LEAF_PREFIX.length + 28, account.nonce);
  return sha256(leafInput);
}

/** Nodes in use at `level` for `count` leaves. */
export function accountTreeNodeCount(level: number, count: number): number {
  return level === 0 ? count : Math.ceil(count / ACCOUNT_TREE_ARITY ** level);
}

/** An empty account tree. */
export function createAccountTree(): AccountTree {
  const levels: Uint8Array[] = [];
  for (let level = 0; level < ACCOUNT_TREE_DEPTH; level++) levels.push(new Uint8Array(0));
  return { count: 0, levels, root: EMPTY_ACCOUNTS_ROOT };
}

/**
 * Loads into `nodeInput` the 16 children of `parent` (level `childLevel` + 1): committed children from
 * `base` (below `baseCount` nodes), empty hashes beyond; changed children are written over by the caller.
 */
function loadChildren(base: Uint8Array, baseCount: number, parent: number, childLevel: number): void {
  const first = parent * ACCOUNT_TREE_ARITY;
  const baseEnd = Math.min(first + ACCOUNT_TREE_ARITY, baseCount);
  const fromBase = baseEnd > first ? baseEnd - first : 0;
  if (fromBase > 0) {
    nodeInput.set(base.subarray(first * HASH_BYTES, baseEnd * HASH_BYTES), NODE_PREFIX.length);
  }
  if (fromBase < ACCOUNT_TREE_ARITY) {
    nodeInput.set(
      emptyChildren[childLevel]!.subarray(fromBase * HASH_BYTES),
      NODE_PREFIX.length + fromBase * HASH_BYTES,
    );
  }
}

/**
 * The nodes that change when the given leaves change and the tree grows to `count` leaves. Pure: the
 * tree is not modified. Leaves at or beyond the tree's current count must all be in `changed`.
 */
export function computeAccountTreeUpdate(
  tree: AccountTree,
  count: number,
  changed: ChangedLeaves,
): AccountTreeUpdate {
  if (count < tree.count || count > MAX_ACCOUNT_COUNT) {
    throw new ShardpayError(
      'LEDGER_STATE_INVALID',
      `account count ${count} after ${tree.count} is impossible`,
      {
        meta: { reason: 'invariant' },
      },
    );
  }
  const levels: AccountTreeLevelUpdate[] = [{ indices: changed.indices, hashes: changed.hashes }];
  if (changed.indices.length === 0) {
    if (count !== tree.count) {
      throw new ShardpayError('LEDGER_STATE_INVALID', 'new accounts without changed leaves', {
        meta: { reason: 'invariant' },
      });
    }
    for (let level = 1; level < ACCOUNT_TREE_DEPTH; level++) {
      levels.push({ indices: new Uint32Array(0), hashes: new Uint8Array(0) });
    }
    return { previousRoot: tree.root, count, root: tree.root, levels };
  }
  let childIndices = changed.indices;
  let childHashes = changed.hashes;
  let root: Hash = tree.root;
  for (let level = 1; level <= ACCOUNT_TREE_DEPTH; level++) {
    const childLevel = level - 1;
    const base = tree.levels[childLevel]!;
    const baseCount = accountTreeNodeCount(childLevel, tree.count);
    let parentCount = 0;
    let previousParent = -1;
    for (let i = 0; i < childIndices.length; i++) {
      const parent = Math.floor(childIndices[i]! / ACCOUNT_TREE_ARITY);
      if (parent !== previousParent) {
        parentCount++;
        previousParent = parent;
      }
    }
    const parentIndices = new Uint32Array(parentCount);
    const parentHashes = new Uint8Array(parentCount * HASH_BYTES);
    let cursor = 0;
    for (let out = 0; out < parentCount; out++) {
      const parent = Math.floor(childIndices[cursor]! / ACCOUNT_TREE_ARITY);
      loadChildren(base, baseCount, parent, childLevel);
      while (
        cursor < childIndices.length &&
        Math.floor(childIndices[cursor]! / ACCOUNT_TREE_ARITY) === parent
      ) {
        const slot = childIndices[cursor]! % ACCOUNT_TREE_ARITY;
        nodeInput.set(
          childHashes.subarray(cursor * HASH_BYTES, (cursor + 1) * HASH_BYTES),
          NODE_PREFIX.length + slot * HASH_BYTES,
        );
        cursor++;
      }
      parentIndices[out] = parent;
      parentHashes.set(hashNodeInput(), out * HASH_BYTES);
    }
    if (level === ACCOUNT_TREE_DEPTH) {
      root = parentHashes.slice(0, HASH_BYTES);
    } else {
      levels.push({ indices: parentIndices, hashes: parentHashes });
    }
    childIndices = parentIndices;
    childHashes = parentHashes;
  }
  return { previousRoot: tree.root, count, root, levels };
}

function ensureCapacity(tree: AccountTree, level: number, nodes: number): Uint8Array {
  const current = tree.levels[level]!;
  const needed = nodes * HASH_BYTES;
  if (current.length >= needed) return current;
  const grown = new Uint8Array(Math.max(needed, current.length * 2, 16 * HASH_BYTES));
  grown.set(current);
  tree.levels[level] = grown;
  return grown;
}

/** Writes a computed update into the tree (on commit). Throws STATE_DIFF_STALE if it was computed on another root. */
export function applyAccountTreeUpdate(tree: AccountTree, update: AccountTreeUpdate): void {
  if (!equalBytes(update.previousRoot, tree.root)) {
    throw new ShardpayError('LEDGER_STATE_INVALID', 'the account tree update was computed on another root', {
      meta: { reason: 'stale_diff' },
    });
  }
  for (let level = 0; level < ACCOUNT_TREE_DEPTH; level++) {
    const { indices, hashes } = update.levels[level]!;
    if (indices.length === 0) continue;
    const nodes = ensureCapacity(tree, level, accountTreeNodeCount(level, update.count));
    for (let i = 0; i < indices.length; i++) {
      nodes.set(hashes.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES), indices[i]! * HASH_BYTES);
    }
  }
  tree.count = update.count;
  tree.root = update.root;
}

/** Builds a whole tree from its leaf hashes (`count` × 32 bytes, in leaf order). */
export function buildAccountTree(leafHashes: Uint8Array, count: number): AccountTree {
  if (leafHashes.length < count * HASH_BYTES || count > MAX_ACCOUNT_COUNT) {
    throw new ShardpayError('LEDGER_STATE_INVALID', 'leaf hashes do not match the account count', {
      meta: { reason: 'corrupt' },
    });
  }
  const tree = createAccountTree();
  if (count === 0) return tree;
  tree.levels[0] = leafHashes;
  tree.count = count;
  for (let level = 1; level <= ACCOUNT_TREE_DEPTH; level++) {
    const childLevel = level - 1;
    const base = tree.levels[childLevel]!;
    const baseCount = accountTreeNodeCount(childLevel, count);
    const nodeCount = accountTreeNodeCount(level, count);
    const nodes = new Uint8Array(nodeCount * HASH_BYTES);
    for (let parent = 0; parent < nodeCount; parent++) {
      loadChildren(base, baseCount, parent, childLevel);
      nodes.set(hashNodeInput(), parent * HASH_BYTES);
    }
    if (level === ACCOUNT_TREE_DEPTH) tree.root = nodes.slice(0, HASH_BYTES);
    else tree.levels[level] = nodes;
  }
  return tree;
}

/** The 15 siblings per level of a leaf's path, bottom-up (ACCOUNT_PROOF_SIBLINGS_BYTES bytes). */
export function accountTreeSiblings(tree: AccountTree, leafIndex: number): Uint8Array {
  if (!Number.isInteger(leafIndex) || leafIndex < 0 || leafIndex >= tree.count) {
    throw new ShardpayError('LEDGER_STATE_INVALID', `no leaf ${leafIndex} in a tree of ${tree.count}`, {
      meta: { reason: 'no_such_leaf' },
    });
  }
  const siblings = new Uint8Array(ACCOUNT_PROOF_SIBLINGS_BYTES);
  let offset = 0;
  let index = leafIndex;
  for (let level = 0; level < ACCOUNT_TREE_DEPTH; level++) {
    const slot = index % ACCOUNT_TREE_ARITY;
    const first = index - slot;
    const used = accountTreeNodeCount(level, tree.count);
    const nodes = tree.levels[level]!;
    for (let j = 0; j < ACCOUNT_TREE_ARITY; j++) {
      if (j === slot) continue;
      const child = first + j;
      const hash =
        child < used ? nodes.subarray(child * HASH_BYTES, (child + 1) * HASH_BYTES) : emptyHashes[level]!;
      siblings.set(hash, offset);
      offset += HASH_BYTES;
    }
    index = Math.floor(index / ACCOUNT_TREE_ARITY);
  }
  return siblings;
}

/** The root a leaf hash leads to along a path of siblings; undefined if the path is malformed. */
export function accountRootFromSiblings(
  leafHash: Hash,
  leafIndex: number,
  siblings: Uint8Array,
): Hash | undefined {
  if (
    !Number.isInteger(leafIndex) ||
    leafIndex < 0 ||
    leafIndex >= MAX_ACCOUNT_COUNT ||
    siblings.length !== ACCOUNT_PROOF_SIBLINGS_BYTES ||
    leafHash.length !== HASH_BYTES
  ) {
    return undefined;
  }
  const input = new Uint8Array(NODE_INPUT_BYTES);
  input.set(NODE_PREFIX, 0);
  let current = leafHash;
  let offset = 0;
  let index = leafIndex;
  for (let level = 0; level < ACCOUNT_TREE_DEPTH; level++) {
    const slot = index % ACCOUNT_TREE_ARITY;
    for (let j = 0; j < ACCOUNT_TREE_ARITY; j++) {
      const at = NODE_PREFIX.length + j * HASH_BYTES;
      if (j === slot) {
        input.set(current, at);
      } else {
        input.set(siblings.subarray(offset, offset + HASH_BYTES), at);
        offset += HASH_BYTES;
      }
    }
    current = sha256(input);
    index = Math.floor(index / ACCOUNT_TREE_ARITY);
  }
  return current;
}
