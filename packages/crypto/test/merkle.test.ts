import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  isShardpayError,
  type MerkleProof,
  merkleProof,
  merkleRoot,
  verifyMerkleProof,
} from '@shardpay/crypto';
import fc from 'fast-check';
import { propertyParameters } from './propertyParameters.ts';

// An independent reference, written straight from RFC 6962 §2.1 (recursive, node:crypto).
function referenceSha256(...parts: Uint8Array[]): Uint8Array {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function referenceTreeHash(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return referenceSha256();
  if (leaves.length === 1) return referenceSha256(Uint8Array.of(0), leaves[0]!);
  const k = largestPowerOfTwoBelow(leaves.length);
  return referenceSha256(
    Uint8Array.of(1),
    referenceTreeHash(leaves.slice(0, k)),
    referenceTreeHash(leaves.slice(k)),
  );
}

function referenceRoot(leaves: readonly Uint8Array[]): Uint8Array {
  const count = new Uint8Array(8);
  new DataView(count.buffer).setBigUint64(0, BigInt(leaves.length));
  return referenceSha256(Uint8Array.of(2), count, referenceTreeHash(leaves));
}

function referencePath(index: number, leaves: readonly Uint8Array[]): Uint8Array[] {
  if (leaves.length <= 1) return [];
  const k = largestPowerOfTwoBelow(leaves.length);
  return index < k
    ? [...referencePath(index, leaves.slice(0, k)), referenceTreeHash(leaves.slice(k))]
    : [...referencePath(index - k, leaves.slice(k)), referenceTreeHash(leaves.slice(0, k))];
}

/** Distinct leaves of varied lengths (distinct, so that a wrong index really names another leaf). */
function makeLeaves(count: number): Uint8Array[] {
  return Array.from({ length: count }, (_, i) =>
    Uint8Array.from({ length: 1 + (i % 40) }, (_, j) => (i * 31 + j) & 0xff),
  );
}

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[Math.floor(bit / 8) % copy.length]! ^= 1 << (bit % 8);
  return copy;
}

describe('merkleRoot', () => {
  it('matches the RFC 6962 reference (plus the leaf-count binding) for 0..70 leaves', () => {
    for (let count = 0; count <= 70; count++) {
      const leaves = makeLeaves(count);
      assert.deepEqual(merkleRoot(leaves), referenceRoot(leaves), `count ${count}`);
    }
  });

  it('does not duplicate the last leaf (unlike Bitcoin trees)', () => {
    const [a, b, c] = makeLeaves(3) as [Uint8Array, Uint8Array, Uint8Array];
    assert.notDeepEqual(referenceTreeHash([a, b, c]), referenceTreeHash([a, b, c, c]));
    assert.notDeepEqual(merkleRoot([a, b, c]), merkleRoot([a, b, c, c]));
  });

  it('changes with any leaf, the order, or the count', () => {
    const leaves = makeLeaves(5);
    const root = merkleRoot(leaves);
    assert.notDeepEqual(merkleRoot([...leaves].reverse()), root);
    assert.notDeepEqual(merkleRoot(leaves.slice(0, 4)), root);
    assert.notDeepEqual(merkleRoot([...leaves.slice(0, 4), flipBit(leaves[4]!, 0)]), root);
    // A leaf is not confused with an inner node (0x00 vs 0x01 prefixes).
    const leafPair = referenceSha256(Uint8Array.of(0), leaves[0]!);
    assert.notDeepEqual(merkleRoot([leafPair]), merkleRoot(leaves.slice(0, 1)));
  });

  it('has a fixed empty root and hashes a single leaf with the leaf prefix', () => {
    assert.deepEqual(merkleRoot([]), referenceRoot([]));
    assert.equal(merkleRoot([]).length, 32);
    const leaf = Uint8Array.of(1, 2, 3);
    assert.deepEqual(merkleRoot([leaf]), referenceRoot([leaf]));
  });
});

describe('merkleProof and verifyMerkleProof', () => {
  it('proves every index of every tree of 1..33 leaves, with the RFC 6962 audit path', () => {
    for (let count = 1; count <= 33; count++) {
      const leaves = makeLeaves(count);
      const root = merkleRoot(leaves);
      for (let index = 0; index < count; index++) {
        const proof = merkleProof(leaves, index);
        assert.equal(proof.index, index);
        assert.equal(proof.leafCount, count);
        assert.deepEqual(proof.siblings, referencePath(index, leaves), `path ${index}/${count}`);
        assert.equal(verifyMerkleProof(root, leaves[index]!, proof), true, `verify ${index}/${count}`);
      }
    }
  });

  it('rejects any other index for the same leaf (trees of 1..33 leaves)', () => {
    for (let count = 1; count <= 33; count++) {
      const leaves = makeLeaves(count);
      const root = merkleRoot(leaves);
      for (let index = 0; index < count; index++) {
        const proof = merkleProof(leaves, index);
        for (let other = -1; other <= count; other++) {
          if (other === index) continue;
          assert.equal(
            verifyMerkleProof(root, leaves[index]!, { ...proof, index: other }),
            false,
            `${index}→${other}/${count}`,
          );
        }
      }
    }
  });

  it('rejects any other leaf count, including ones with the same audit-path shape', () => {
    for (let count = 1; count <= 33; count++) {
      const leaves = makeLeaves(count);
      const root = merkleRoot(leaves);
      for (let index = 0; index < count; index++) {
        const proof = merkleProof(leaves, index);
        for (let otherCount = 0; otherCount <= 40; otherCount++) {
          if (otherCount === count) continue;
          assert.equal(verifyMerkleProof(root, leaves[index]!, { ...proof, leafCount: otherCount }), false);
        }
      }
    }
    // Why the root binds the count: in a plain RFC 6962 tree, leaf 2 of 3 has the same audit path
    // as "leaf 1 of 2", so it would verify under either position.
    const leaves = makeLeaves(3);
    const proof = merkleProof(leaves, 2);
    assert.equal(
      verifyMerkleProof(merkleRoot(leaves), leaves[2]!, { index: 1, leafCount: 2, siblings: proof.siblings }),
      false,
    );
  });

  it('rejects a missing, extra, duplicated or reordered sibling', () => {
    const leaves = makeLeaves(13);
    const root = merkleRoot(leaves);
    for (let index = 0; index < leaves.length; index++) {
      const proof = merkleProof(leaves, index);
      const { siblings } = proof;
      const leaf = leaves[index]!;
      assert.equal(verifyMerkleProof(root, leaf, { ...proof, siblings: siblings.slice(1) }), false);
      assert.equal(verifyMerkleProof(root, leaf, { ...proof, siblings: siblings.slice(0, -1) }), false);
      assert.equal(verifyMerkleProof(root, leaf, { ...proof, siblings: [...siblings, siblings[0]!] }), false);
      assert.equal(
        verifyMerkleProof(root, leaf, { ...proof, siblings: [...siblings, new Uint8Array(32)] }),
        false,
      );
      assert.equal(verifyMerkleProof(root, leaf, { ...proof, siblings: [...siblings].reverse() }), false);
      assert.equal(verifyMerkleProof(root, leaf, { ...proof, siblings: [] }), false);
    }
  });

  it('rejects any flipped bit in the root, the leaf or a sibling (property)', () => {
    const tree = fc.integer({ min: 1, max: 40 }).chain((count) =>
      fc.record({
        leaves: fc.uniqueArray(fc.uint8Array({ minLength: 1, maxLength: 48 }), {
          minLength: count,
          maxLength: count,
          comparator: (a, b) => Buffer.from(a).equals(Buffer.from(b)),
        }),
        index: fc.nat({ max: count - 1 }),
      }),
    );
    fc.assert(
      fc.property(
        tree,
        fc.constantFrom('root', 'leaf', 'sibling'),
        fc.nat(),
        fc.nat(),
        ({ leaves, index }, where, pick, bit) => {
          const root = merkleRoot(leaves);
          const leaf = leaves[index]!;
          const proof = merkleProof(leaves, index);
          assert.equal(verifyMerkleProof(root, leaf, proof), true);
          if (where === 'root') {
            assert.equal(verifyMerkleProof(flipBit(root, bit % 256), leaf, proof), false);
          } else if (where === 'leaf') {
            assert.equal(verifyMerkleProof(root, flipBit(leaf, bit % (leaf.length * 8)), proof), false);
          } else if (proof.siblings.length > 0) {
            const siblings = [...proof.siblings];
            const at = pick % siblings.length;
            siblings[at] = flipBit(siblings[at]!, bit % 256);
            assert.equal(verifyMerkleProof(root, leaf, { ...proof, siblings }), false);
          }
        },
      ),
      propertyParameters(400),
    );
  });

  it('answers false, never throws, on malformed proofs and roots', () => {
    const leaves = makeLeaves(6);
    const root = merkleRoot(leaves);
    const proof = merkleProof(leaves, 3);
    const leaf = leaves[3]!;
    const malformed: unknown[] = [
      null,
      undefined,
      'proof',
      {},
      { ...proof, index: 3.5 },
      { ...proof, index: Number.NaN },
      { ...proof, index: '3' },
      { ...proof, leafCount: Number.POSITIVE_INFINITY },
      { ...proof, leafCount: 2 ** 60 },
      { ...proof, siblings: null },
      { ...proof, siblings: 'abc' },
      { ...proof, siblings: proof.siblings.map((sibling) => sibling.subarray(0, 31)) },
      { ...proof, siblings: proof.siblings.map((sibling) => Array.from(sibling)) },
      {
        ...proof,
        get siblings(): never {
          throw new Error('hostile getter');
        },
      },
    ];
    for (const candidate of malformed) {
      assert.equal(verifyMerkleProof(root, leaf, candidate as MerkleProof), false);
    }
    assert.equal(verifyMerkleProof(root.subarray(0, 31), leaf, proof), false);
    assert.equal(verifyMerkleProof(null as unknown as Uint8Array, leaf, proof), false);
    assert.equal(verifyMerkleProof(root, 'leaf' as unknown as Uint8Array, proof), false);
    assert.equal(verifyMerkleProof(root, leaf, proof), true);
  });

  it('refuses to build a proof for an index outside the tree', () => {
    const leaves = makeLeaves(4);
    for (const index of [-1, 4, 1.5, Number.NaN]) {
      assert.throws(
        () => merkleProof(leaves, index),
        (error) => isShardpayError(error, 'MERKLE_INDEX_INVALID'),
      );
    }
    assert.throws(
      () => merkleProof([], 0),
      (error) => isShardpayError(error, 'MERKLE_INDEX_INVALID'),
    );
  });
});
