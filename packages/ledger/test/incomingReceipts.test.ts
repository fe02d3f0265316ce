import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isShardpayError } from '@shardpay/crypto';
import type { IncomingReceiptBatch } from '@shardpay/protocol';
import { executeBlock, verifyIncomingBatch } from '../src/index.ts';
import {
  batchFrom,
  commitExecution,
  createTestNetwork,
  createTestShard,
  signedTx,
  type TestKey,
} from './helpers/testNetwork.ts';

const network = createTestNetwork();
const { config } = network;
const alice = network.users[0] as TestKey;
const onShard1 = network.users.filter((user) => user.shard === 1);
const onShard2 = network.users.filter((user) => user.shard === 2);

/** Shard 0's block 1 with receipts to shard 1 (index 0, 1) and shard 2 (index 2), really certified. */
function sourceBlock() {
  const source = createTestShard(config, 0);
  const transactions = [
    signedTx(config, alice, 0n, { type: 'transfer', to: onShard1[0]!.address, amount: 11n, memo: '' }),
    signedTx(config, alice, 1n, { type: 'transfer', to: onShard1[1]!.address, amount: 12n, memo: '' }),
    signedTx(config, alice, 2n, { type: 'transfer', to: onShard2[0]!.address, amount: 13n, memo: '' }),
  ];
  const built = executeBlock({
    mode: 'build',
    config,
    shard: 0,
    state: source.state,
    transactions,
    incoming: [],
  });
  assert.equal(built.outgoingReceipts.length, 3);
  commitExecution(network, source, built, true);
  return source;
}

function assertRefused(batch: IncomingReceiptBatch, shard: number, code: string, reason?: string): void {
  assert.throws(
    () => verifyIncomingBatch(config, shard, batch),
    (error) => {
      assert.ok(isShardpayError(error, code), `expected ${code}, got ${String(error)}`);
      if (reason !== undefined) assert.equal(error.meta.reason, reason);
      return true;
    },
  );
}

test('a certified batch with valid proofs verifies', () => {
  const source = sourceBlock();
  verifyIncomingBatch(config, 1, batchFrom(source, 1n, [0, 1]));
  verifyIncomingBatch(config, 1, batchFrom(source, 1n, [1]));
  verifyIncomingBatch(config, 2, batchFrom(source, 1n, [2]));
});

test('the commit certificate must prove the header', () => {
  const source = sourceBlock();
  const batch = batchFrom(source, 1n, [0]);
  const signatures = batch.certificate.signatures.map((entry) => ({
    ...entry,
    signature: entry.signature.slice(),
  }));
  signatures[1]!.signature[5]! ^= 1;
  assertRefused(
    { ...batch, certificate: { ...batch.certificate, signatures } },
    1,
    'CERTIFICATE_INVALID',
    'bad_signature',
  );
  assertRefused(
    { ...batch, certificate: { ...batch.certificate, signatures: batch.certificate.signatures.slice(0, 2) } },
    1,
    'CERTIFICATE_INVALID',
    'insufficient_signatures',
  );
  // A header changed after certification no longer matches the certified block hash.
  assertRefused(
    { ...batch, header: { ...batch.header, timestampMs: 99n } },
    1,
    'CERTIFICATE_INVALID',
    'wrong_block_hash',
  );
  // Signatures of another shard's committee do not count.
  const other = createTestShard(config, 2);
  const otherBlock = executeBlock({
    mode: 'build',
    config,
    shard: 2,
    state: other.state,
    transactions: [],
    incoming: [],
  });
  commitExecution(network, other, otherBlock, true);
  assertRefused(
    {
      ...batch,
      certificate: { ...other.certificates[0]!, shard: 0, blockHash: batch.certificate.blockHash },
    },
    1,
    'CERTIFICATE_INVALID',
  );
});

test('every receipt must be proven against the header and target this shard', () => {
  const source = sourceBlock();
  const batch = batchFrom(source, 1n, [0]);
  const entry = batch.receipts[0]!;
  const siblings = entry.proof.siblings.map((sibling) => sibling.slice());
  siblings[0]![0]! ^= 1;
  assertRefused(
    { ...batch, receipts: [{ ...entry, proof: { ...entry.proof, siblings } }] },
    1,
    'RECEIPT_PROOF_INVALID',
  );
  assertRefused(
    { ...batch, receipts: [{ ...entry, receipt: { ...entry.receipt, amount: 1_000n } }] },
    1,
    'RECEIPT_PROOF_INVALID',
  );
  assertRefused(
    { ...batch, receipts: [{ ...entry, receipt: { ...entry.receipt, sourceHeight: 2n } }] },
    1,
    'RECEIPT_PROOF_INVALID',
  );
  // The receipt for shard 2, presented to shard 1.
  assertRefused(batchFrom(source, 1n, [2]), 1, 'RECEIPT_WRONG_TARGET');
  // A batch from the shard itself, and from another chain.
  assertRefused(batch, 0, 'RECEIPT_WRONG_TARGET');
  assertRefused({ ...batch, header: { ...batch.header, chainId: 'other-chain' } }, 1, 'WRONG_CHAIN');
});

test('build keeps the valid receipts of a batch and reports the others', () => {
  const source = sourceBlock();
  const target = createTestShard(config, 1);
  const valid = batchFrom(source, 1n, [0, 1]);
  const tampered = { ...valid.receipts[1]!, receipt: { ...valid.receipts[1]!.receipt, amount: 5n } };
  const built = executeBlock({
    mode: 'build',
    config,
    shard: 1,
    state: target.state,
    transactions: [],
    incoming: [{ ...valid, receipts: [valid.receipts[0]!, tampered] }, batchFrom(source, 1n, [2])],
  });
  assert.deepEqual(
    built.refusals.map((r) => (r.kind === 'receipt' ? [r.batchIndex, r.receiptIndex, r.code] : [])),
    [
      [0, 1, 'RECEIPT_PROOF_INVALID'],
      [1, 0, 'RECEIPT_WRONG_TARGET'],
    ],
  );
  assert.equal(built.incoming.length, 1);
  assert.equal(built.incoming[0]!.receipts.length, 1);
  assert.equal(built.incomingOutcomes.length, 1);
});

test('a receipt credits exactly once, however late and in whatever order it arrives', () => {
  const source = sourceBlock();
  const target = createTestShard(config, 1);
  const [first, second] = onShard1 as [TestKey, TestKey];
  const before = (key: TestKey) => target.store.getAccount(key.address)!.balance;
  const start = [before(first), before(second)] as const;
  // Block 1 of shard 1: receipt 1 first. Block 2: receipts 1 (again) and 0.
  const b1 = executeBlock({
    mode: 'build',
    config,
    shard: 1,
    state: target.state,
    transactions: [],
    incoming: [batchFrom(source, 1n, [1])],
  });
  commitExecution(network, target, b1);
  const b2 = executeBlock({
    mode: 'build',
    config,
    shard: 1,
    state: target.state,
    transactions: [],
    incoming: [batchFrom(source, 1n, [1, 0])],
  });
  assert.deepEqual(
    b2.refusals.map((r) => r.code),
    ['RECEIPT_ALREADY_CONSUMED'],
  );
  commitExecution(network, target, b2);
  assert.equal(before(first), start[0] + 11n);
  assert.equal(before(second), start[1] + 12n);
  const b3 = executeBlock({
    mode: 'build',
    config,
    shard: 1,
    state: target.state,
    transactions: [],
    incoming: [batchFrom(source, 1n, [0, 1])],
  });
  assert.deepEqual(
    b3.refusals.map((r) => r.code),
    ['RECEIPT_ALREADY_CONSUMED', 'RECEIPT_ALREADY_CONSUMED'],
  );
});

test('a refused certificate skips the whole batch in build mode', () => {
  const source = sourceBlock();
  const target = createTestShard(config, 1);
  const batch = batchFrom(source, 1n, [0, 1]);
  const built = executeBlock({
    mode: 'build',
    config,
    shard: 1,
    state: target.state,
    transactions: [],
    incoming: [{ ...batch, certificate: { ...batch.certificate, signatures: [] } }],
  });
  assert.deepEqual(
    built.refusals.map((r) => r.code),
    ['CERTIFICATE_INVALID', 'CERTIFICATE_INVALID'],
  );
  assert.equal(built.incoming.length, 0);
  assert.equal(built.diff.accounts.length, 0);
});
