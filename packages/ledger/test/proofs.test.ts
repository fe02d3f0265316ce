import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sha256, utf8ToBytes } from '@shardpay/crypto';
import type { Receipt } from '@shardpay/protocol';
import { decodeReceipt, encodeReceipt } from '@shardpay/protocol';
import fc from 'fast-check';
import {
  accountProof,
  computeReceiptsRoot,
  decodeAccountProof,
  encodeAccountProof,
  receiptInclusionProof,
  verifyAccountProof,
  verifyReceiptInclusion,
} from '../src/index.ts';
import { addressOnShard, createTestNetwork, createTestShard } from './helpers/testNetwork.ts';

const seed = Number(process.env.LEDGER_SEED ?? 0x5eed_1ed9);

/** A shard with 300 accounts (so proofs span several tree levels) after genesis. */
function populatedShard() {
  const base = createTestNetwork({ shardCount: 1 });
  const addresses = Array.from({ length: 300 }, (_, i) => sha256(utf8ToBytes(`holder/${i}`)).slice(0, 20));
  const config = {
    ...base.config,
    initialBalances: addresses.map((address, i) => ({ address, amount: BigInt(i + 1) * 1_000n })),
  };
  const shard = createTestShard(config, 0);
  return { shard, addresses };
}

function flipByte(bytes: Uint8Array, position: number, mask: number): Uint8Array<ArrayBuffer> {
  const copy = new Uint8Array(bytes);
  copy[position % copy.length]! ^= mask;
  return copy;
}

function u64Bytes(value: bigint): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, value);
  return bytes;
}

function u64FromBytes(bytes: Uint8Array): bigint {
  return new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0);
}

test('every account proof verifies against the state root', () => {
  const { shard, addresses } = populatedShard();
  const stateRoot = shard.store.getMeta()!.stateRoot;
  for (const address of addresses) {
    const proven = accountProof(shard.state, address);
    assert.ok(proven !== undefined);
    assert.ok(verifyAccountProof(stateRoot, address, proven.account, proven.proof));
    assert.ok(
      verifyAccountProof(
        stateRoot,
        address,
        proven.account,
        decodeAccountProof(encodeAccountProof(proven.proof)),
      ),
    );
  }
  assert.equal(accountProof(shard.state, addressOnShard('nobody', 0, 1)), undefined);
});

test('an account proof fails for any changed byte of the account, the proof or the root', () => {
  const { shard, addresses } = populatedShard();
  const stateRoot = shard.store.getMeta()!.stateRoot;
  const proofs = addresses.map((address) => ({ address, ...accountProof(shard.state, address)! }));
  const target = fc.constantFrom('address', 'balance', 'nonce', 'proof', 'root');
  fc.assert(
    fc.property(
      fc.nat({ max: proofs.length - 1 }),
      target,
      fc.nat(),
      fc.integer({ min: 1, max: 255 }),
      (which, part, position, mask) => {
        const { address, account, proof } = proofs[which]!;
        const encoded = encodeAccountProof(proof);
        assert.ok(verifyAccountProof(stateRoot, address, account, decodeAccountProof(encoded)));
        let changed: { address: Uint8Array; account: typeof account; encoded: Uint8Array; root: Uint8Array } =
          {
            address,
            account,
            encoded,
            root: stateRoot,
          };
        if (part === 'address') changed = { ...changed, address: flipByte(address, position, mask) };
        if (part === 'balance') {
          changed = {
            ...changed,
            account: {
              ...account,
              balance: u64FromBytes(flipByte(u64Bytes(account.balance), position, mask)),
            },
          };
        }
        if (part === 'nonce') {
          changed = {
            ...changed,
            account: { ...account, nonce: u64FromBytes(flipByte(u64Bytes(account.nonce), position, mask)) },
          };
        }
        if (part === 'proof') changed = { ...changed, encoded: flipByte(encoded, position, mask) };
        if (part === 'root') changed = { ...changed, root: flipByte(stateRoot, position, mask) };
        let decoded: ReturnType<typeof decodeAccountProof>;
        try {
          decoded = decodeAccountProof(changed.encoded);
        } catch {
          return; // a proof that does not even decode proves nothing
        }
        assert.equal(verifyAccountProof(changed.root, changed.address, changed.account, decoded), false);
      },
    ),
    { numRuns: 1000, seed },
  );
});

function sampleReceipts(count: number): Receipt[] {
  return Array.from({ length: count }, (_, index) => ({
    chainId: 'shardpay-test-1',
    sourceShard: 0,
    targetShard: 1 + (index % 2),
    sourceHeight: 7n,
    index,
    kind: index % 5 === 4 ? 'refund' : 'credit',
    txId: sha256(utf8ToBytes(`tx/${index}`)),
    operation: index % 3 === 0 ? 'pay' : 'transfer',
    from: sha256(utf8ToBytes(`from/${index}`)).slice(0, 20),
    to: sha256(utf8ToBytes(`to/${index}`)).slice(0, 20),
    amount: BigInt(index + 1) * 10n,
    paymentId: index % 3 === 0 ? `order-${index}` : '',
    memo: `memo ${index}`,
    refundOf: index % 5 === 4 ? sha256(utf8ToBytes(`refused/${index}`)) : null,
  }));
}

test('a receipt proof fails for any changed byte of the receipt, the proof or the root', () => {
  const sets = [1, 2, 3, 7, 16, 33].map((count) => {
    const receipts = sampleReceipts(count);
    return { receipts, root: computeReceiptsRoot(receipts) };
  });
  fc.assert(
    fc.property(
      fc.nat({ max: sets.length - 1 }),
      fc.nat(),
      fc.constantFrom('receipt', 'sibling', 'index', 'leafCount', 'root'),
      fc.nat(),
      fc.integer({ min: 1, max: 255 }),
      (setIndex, pick, part, position, mask) => {
        const { receipts, root } = sets[setIndex]!;
        const index = pick % receipts.length;
        const receipt = receipts[index]!;
        const proof = receiptInclusionProof(receipts, index);
        assert.ok(verifyReceiptInclusion(root, receipt, proof));
        if (part === 'receipt') {
          let changed: Receipt;
          try {
            changed = decodeReceipt(flipByte(encodeReceipt(receipt), position, mask));
          } catch {
            return; // not a receipt any more
          }
          assert.equal(verifyReceiptInclusion(root, changed, proof), false);
        } else if (part === 'sibling') {
          if (proof.siblings.length === 0) return assert.equal(receipts.length, 1);
          const siblings = proof.siblings.map((sibling) => sibling.slice());
          const at = position % siblings.length;
          siblings[at] = flipByte(siblings[at]!, position >> 5, mask);
          assert.equal(verifyReceiptInclusion(root, receipt, { ...proof, siblings }), false);
        } else if (part === 'index') {
          assert.equal(verifyReceiptInclusion(root, receipt, { ...proof, index: proof.index ^ mask }), false);
        } else if (part === 'leafCount') {
          assert.equal(
            verifyReceiptInclusion(root, receipt, { ...proof, leafCount: proof.leafCount ^ mask }),
            false,
          );
        } else {
          assert.equal(verifyReceiptInclusion(flipByte(root, position, mask), receipt, proof), false);
        }
      },
    ),
    { numRuns: 1000, seed },
  );
});
