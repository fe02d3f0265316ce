import assert from 'node:assert/strict';
import { test } from 'node:test';
import { concatBytes, domainHash, isShardpayError, sha256, utf8ToBytes } from '@shardpay/crypto';
import fc from 'fast-check';
import {
  accountRootFromSiblings,
  accountTreeSiblings,
  applyAccountTreeUpdate,
  computeAccountTreeUpdate,
} from '../src/AccountTree.ts';
import {
  ACCOUNT_LEAF_TAG,
  ACCOUNT_NODE_TAG,
  ACCOUNT_TREE_DEPTH,
  accountLeafHash,
  buildAccountTree,
  createAccountTree,
  EMPTY_ACCOUNTS_ROOT,
} from '../src/index.ts';

const seed = Number(process.env.LEDGER_SEED ?? 0x5eed_1ed9);

function leafOf(label: string): Uint8Array {
  return sha256(utf8ToBytes(label));
}

function changedLeaves(entries: Map<number, Uint8Array>) {
  const indices = Uint32Array.from([...entries.keys()].sort((a, b) => a - b));
  const hashes = new Uint8Array(indices.length * 32);
  indices.forEach((index, i) => {
    hashes.set(entries.get(index)!, i * 32);
  });
  return { indices, hashes };
}

test('hashes follow the documented layout', () => {
  const address = new Uint8Array(20).fill(7);
  const encoded = new Uint8Array(16);
  new DataView(encoded.buffer).setBigUint64(0, 123n);
  new DataView(encoded.buffer).setBigUint64(8, 4n);
  assert.deepEqual(
    accountLeafHash(address, { balance: 123n, nonce: 4n }),
    domainHash(ACCOUNT_LEAF_TAG, concatBytes(address, encoded)),
  );
  let empty: Uint8Array = new Uint8Array(32);
  for (let level = 0; level < ACCOUNT_TREE_DEPTH; level++) {
    empty = domainHash(ACCOUNT_NODE_TAG, concatBytes(...new Array<Uint8Array>(16).fill(empty)));
  }
  assert.deepEqual(EMPTY_ACCOUNTS_ROOT, empty);
  assert.deepEqual(createAccountTree().root, EMPTY_ACCOUNTS_ROOT);
  assert.deepEqual(buildAccountTree(new Uint8Array(0), 0).root, EMPTY_ACCOUNTS_ROOT);
  // One leaf: a path of 8 nodes with empty siblings.
  const leaf = leafOf('only');
  let expected: Uint8Array = leaf;
  let siblings: Uint8Array = new Uint8Array(32);
  for (let level = 0; level < ACCOUNT_TREE_DEPTH; level++) {
    expected = domainHash(
      ACCOUNT_NODE_TAG,
      concatBytes(expected, ...new Array<Uint8Array>(15).fill(siblings)),
    );
    siblings = domainHash(ACCOUNT_NODE_TAG, concatBytes(...new Array<Uint8Array>(16).fill(siblings)));
  }
  assert.deepEqual(buildAccountTree(leaf.slice(), 1).root, expected);
});

test('incremental updates give the same tree as a rebuild, and proofs lead to its root', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          created: fc.nat({ max: 40 }),
          updated: fc.array(fc.nat(), { maxLength: 6 }),
        }),
        { minLength: 1, maxLength: 12 },
      ),
      fc.nat(),
      (blocks, probe) => {
        let tree = createAccountTree();
        const leaves: Uint8Array[] = [];
        blocks.forEach((block, b) => {
          const changes = new Map<number, Uint8Array>();
          if (leaves.length > 0) {
            for (const pick of block.updated)
              changes.set(pick % leaves.length, leafOf(`update/${b}/${pick}`));
          }
          for (let i = 0; i < block.created; i++)
            changes.set(leaves.length + i, leafOf(`create/${leaves.length + i}`));
          const count = leaves.length + block.created;
          const rootBefore = tree.root;
          const update = computeAccountTreeUpdate(tree, count, changedLeaves(changes));
          assert.deepEqual(tree.root, rootBefore, 'computing an update must not touch the tree');
          applyAccountTreeUpdate(tree, update);
          for (const [index, hash] of changes) leaves[index] = hash;
          const rebuilt = buildAccountTree(concatBytes(...leaves), leaves.length);
          assert.deepEqual(tree.root, rebuilt.root);
          assert.equal(tree.count, leaves.length);
          if (b % 3 === 2) tree = rebuilt; // later updates also run on a rebuilt tree
        });
        if (leaves.length > 0) {
          const index = probe % leaves.length;
          const siblings = accountTreeSiblings(tree, index);
          assert.deepEqual(accountRootFromSiblings(leaves[index]!, index, siblings), tree.root);
          const wrongIndex = (index + 1) % Math.max(2, leaves.length);
          if (wrongIndex !== index)
            assert.notDeepEqual(accountRootFromSiblings(leaves[index]!, wrongIndex, siblings), tree.root);
        }
      },
    ),
    { numRuns: 1000, seed },
  );
});

test('the tree grows across level boundaries (16, 256, 4096 leaves)', () => {
  const tree = createAccountTree();
  const leaves: Uint8Array[] = [];
  for (const count of [1, 16, 17, 256, 257, 4096, 4097]) {
    const changes = new Map<number, Uint8Array>();
    for (let i = leaves.length; i < count; i++) changes.set(i, leafOf(`grow/${i}`));
    applyAccountTreeUpdate(tree, computeAccountTreeUpdate(tree, count, changedLeaves(changes)));
    for (const [index, hash] of changes) leaves[index] = hash;
    assert.deepEqual(tree.root, buildAccountTree(concatBytes(...leaves), count).root, `at ${count} leaves`);
  }
});

test('an update computed on another root is refused', () => {
  const tree = createAccountTree();
  const first = computeAccountTreeUpdate(tree, 1, changedLeaves(new Map([[0, leafOf('a')]])));
  const second = computeAccountTreeUpdate(tree, 1, changedLeaves(new Map([[0, leafOf('b')]])));
  applyAccountTreeUpdate(tree, first);
  assert.throws(
    () => applyAccountTreeUpdate(tree, second),
    (error) => isShardpayError(error, 'LEDGER_STATE_INVALID') && error.meta.reason === 'stale_diff',
  );
  assert.throws(
    () => computeAccountTreeUpdate(tree, 0, changedLeaves(new Map())),
    (error) => isShardpayError(error, 'LEDGER_STATE_INVALID'),
  );
});
