import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bytesToHex, isShardpayError } from '@shardpay/crypto';
import type { Block, BlockHeader, Transaction } from '@shardpay/protocol';
import { transactionId } from '@shardpay/protocol';
import { commitStateDiff, executeBlock, readAccount } from '../src/index.ts';
import {
  batchFrom,
  commitExecution,
  createTestNetwork,
  createTestShard,
  headerFor,
  signedTx,
  type TestKey,
} from './helpers/testNetwork.ts';

const network = createTestNetwork();
const { config } = network;
const [alice, bob] = network.users as [TestKey, TestKey];
const remote = network.users.find((user) => user.shard === 1)!;

function transfer(sender: TestKey, nonce: bigint, to: Uint8Array, amount: bigint): Transaction {
  return signedTx(config, sender, nonce, { type: 'transfer', to, amount, memo: '' });
}

function proposal() {
  const shard = createTestShard(config, 0);
  const candidates = [
    transfer(alice, 0n, bob.address, 10n),
    transfer(alice, 5n, bob.address, 10n), // BAD_NONCE
    transfer(bob, 0n, remote.address, 20n),
  ];
  const built = executeBlock({
    mode: 'build',
    config,
    shard: 0,
    state: shard.state,
    transactions: candidates,
    incoming: [],
  });
  const header = headerFor(config, 0, built);
  const block: Block = { header, transactions: built.transactions, incoming: built.incoming };
  return { shard, candidates, built, header, block };
}

function assertBlockInvalid(run: () => unknown, reason: string): void {
  assert.throws(run, (error) => {
    assert.ok(isShardpayError(error, 'BLOCK_INVALID'), `expected BLOCK_INVALID, got ${String(error)}`);
    assert.equal(error.meta.reason, reason);
    return true;
  });
}

test('build skips refused candidates, reports them, and returns the header roots', () => {
  const { built, candidates } = proposal();
  assert.equal(built.height, 1n);
  assert.deepEqual(built.transactions, [candidates[0], candidates[2]]);
  assert.deepEqual(
    built.transactionIds.map(bytesToHex),
    [candidates[0]!, candidates[2]!].map((tx) => bytesToHex(transactionId(tx))),
  );
  assert.equal(built.refusals.length, 1);
  const refusal = built.refusals[0]!;
  assert.ok(refusal.kind === 'transaction');
  assert.equal(refusal.index, 1);
  assert.equal(refusal.code, 'BAD_NONCE');
  assert.deepEqual(refusal.txId, transactionId(candidates[1]!));
  assert.equal(built.outgoingReceipts.length, 1);
  for (const root of [built.txRoot, built.incomingRoot, built.stateRoot, built.receiptsRoot])
    assert.equal(root.length, 32);
  assert.deepEqual(built.diff.meta.stateRoot, built.stateRoot);
});

test('build respects maxTransactions', () => {
  const shard = createTestShard(config, 0);
  const txs = [0n, 1n, 2n, 3n].map((nonce) => transfer(alice, nonce, bob.address, 1n));
  const built = executeBlock({
    mode: 'build',
    config,
    shard: 0,
    state: shard.state,
    transactions: txs,
    incoming: [],
    maxTransactions: 2,
  });
  assert.equal(built.transactions.length, 2);
  assert.equal(built.refusals.length, 0);
});

test('execution never modifies committed state, in either mode', () => {
  const { shard, block } = proposal();
  const before = shard.store.getMeta()!;
  executeBlock({ mode: 'validate', config, shard: 0, state: shard.state, block });
  assert.deepEqual(shard.store.getMeta(), before);
  assert.equal(readAccount(shard.state, alice.address).nonce, 0n);
  assert.deepEqual(shard.state.accountTree.root, before.accountsRoot);
});

test('validate accepts the built block and reproduces its execution', () => {
  const { shard, block, built } = proposal();
  const validated = executeBlock({ mode: 'validate', config, shard: 0, state: shard.state, block });
  assert.deepEqual(validated.stateRoot, built.stateRoot);
  assert.deepEqual(validated.diff.accounts, built.diff.accounts);
  assert.deepEqual(validated.outgoingReceipts, built.outgoingReceipts);
});

test('validate refuses a block with a refused transaction, naming the cause', () => {
  const { shard, block, candidates } = proposal();
  const bad = { ...block, transactions: [...block.transactions, candidates[1]!] };
  assert.throws(
    () => executeBlock({ mode: 'validate', config, shard: 0, state: shard.state, block: bad }),
    (error) => {
      assert.ok(isShardpayError(error, 'BLOCK_INVALID'));
      assert.equal(error.meta.reason, 'BAD_NONCE');
      assert.equal(error.meta.index, 2);
      assert.ok(isShardpayError(error.cause, 'BAD_NONCE'));
      return true;
    },
  );
});

test('validate refuses every header root that does not match', () => {
  const { shard, block } = proposal();
  const fields = [
    ['txRoot', 'TX_ROOT_MISMATCH'],
    ['incomingRoot', 'INCOMING_ROOT_MISMATCH'],
    ['stateRoot', 'STATE_ROOT_MISMATCH'],
    ['receiptsRoot', 'RECEIPTS_ROOT_MISMATCH'],
  ] as const;
  for (const [field, reason] of fields) {
    const root = block.header[field].slice();
    root[0]! ^= 0x80;
    const header: BlockHeader = { ...block.header, [field]: root };
    assertBlockInvalid(
      () =>
        executeBlock({ mode: 'validate', config, shard: 0, state: shard.state, block: { ...block, header } }),
      reason,
    );
  }
  // Reordering transactions changes the tx root even when the state would agree.
  const swapped = { ...block, transactions: [...block.transactions].reverse() };
  assertBlockInvalid(
    () => executeBlock({ mode: 'validate', config, shard: 0, state: shard.state, block: swapped }),
    'TX_ROOT_MISMATCH',
  );
});

test('validate refuses a wrong chain, shard or height', () => {
  const { shard, block } = proposal();
  const run = (header: BlockHeader) => () =>
    executeBlock({ mode: 'validate', config, shard: 0, state: shard.state, block: { ...block, header } });
  assertBlockInvalid(run({ ...block.header, chainId: 'other' }), 'WRONG_CHAIN');
  assertBlockInvalid(run({ ...block.header, shard: 1 }), 'WRONG_SHARD');
  assertBlockInvalid(run({ ...block.header, height: 2n }), 'WRONG_HEIGHT');
});

test('validate refuses a block that consumes a receipt twice', () => {
  const source = createTestShard(config, 0);
  const built = executeBlock({
    mode: 'build',
    config,
    shard: 0,
    state: source.state,
    transactions: [transfer(alice, 0n, remote.address, 5n)],
    incoming: [],
  });
  commitExecution(network, source, built, true);
  const target = createTestShard(config, 1);
  const batch = batchFrom(source, 1n, [0]);
  const twice = { ...batch, receipts: [batch.receipts[0]!, batch.receipts[0]!] };
  const asBuilt = executeBlock({
    mode: 'build',
    config,
    shard: 1,
    state: target.state,
    transactions: [],
    incoming: [twice],
  });
  assert.deepEqual(
    asBuilt.refusals.map((r) => r.code),
    ['RECEIPT_ALREADY_CONSUMED'],
  );
  assert.equal(asBuilt.incoming[0]!.receipts.length, 1);
  const header = headerFor(config, 1, asBuilt);
  assertBlockInvalid(
    () =>
      executeBlock({
        mode: 'validate',
        config,
        shard: 1,
        state: target.state,
        block: { header, transactions: [], incoming: [twice] },
      }),
    'RECEIPT_ALREADY_CONSUMED',
  );
});

test('a diff commits once, and only on the state it was computed on', () => {
  const { shard, built } = proposal();
  const stale = executeBlock({
    mode: 'build',
    config,
    shard: 0,
    state: shard.state,
    transactions: [],
    incoming: [],
  });
  commitStateDiff(shard.state, built.diff, shard.store.applyDiff);
  assert.equal(readAccount(shard.state, alice.address).nonce, 1n);
  for (const diff of [built.diff, stale.diff]) {
    assert.throws(
      () => commitStateDiff(shard.state, diff, shard.store.applyDiff),
      (error) => isShardpayError(error, 'LEDGER_STATE_INVALID') && error.meta.reason === 'stale_diff',
    );
  }
  assert.equal(shard.store.getMeta()!.height, 1n);
});

test('an empty block keeps the state root', () => {
  const shard = createTestShard(config, 0);
  const before = shard.store.getMeta()!.stateRoot;
  const built = executeBlock({
    mode: 'build',
    config,
    shard: 0,
    state: shard.state,
    transactions: [],
    incoming: [],
  });
  assert.deepEqual(built.stateRoot, before);
  commitStateDiff(shard.state, built.diff, shard.store.applyDiff);
  assert.equal(shard.store.getMeta()!.height, 1n);
});

test('incoming receipts run before transactions, so a credit can be spent in the same block', () => {
  const source = createTestShard(config, 0);
  const sourceBlock = executeBlock({
    mode: 'build',
    config,
    shard: 0,
    state: source.state,
    transactions: [transfer(alice, 0n, remote.address, 999_000n)],
    incoming: [],
  });
  commitExecution(network, source, sourceBlock, true);
  const target = createTestShard(config, 1);
  const spend = transfer(
    remote,
    0n,
    network.users.find((u) => u.shard === 1 && u !== remote)!.address,
    1_500_000n,
  );
  const built = executeBlock({
    mode: 'build',
    config,
    shard: 1,
    state: target.state,
    transactions: [spend],
    incoming: [batchFrom(source, 1n, [0])],
  });
  assert.equal(built.refusals.length, 0);
  assert.equal(built.transactions.length, 1);
});
