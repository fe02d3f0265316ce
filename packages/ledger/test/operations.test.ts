import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { IncomingReceiptBatch, Operation, Transaction, TransactionBody } from '@shardpay/protocol';
import { MAX_AMOUNT, MAX_MEMO_BYTES, MAX_REFERENCE_BYTES, receiptId } from '@shardpay/protocol';
import { executeBlock, readAccount, shardSupplyCap } from '../src/index.ts';
import {
  addressOnShard,
  batchFrom,
  commitExecution,
  createTestNetwork,
  createTestShard,
  signedTx,
  type TestKey,
  type TestShard,
  unsignedTx,
} from './helpers/testNetwork.ts';

const network = createTestNetwork();
const { config } = network;
const [alice, bob, carol] = network.users as [TestKey, TestKey, TestKey];
const issuer = network.issuer;
const FEE = config.flatFee;
const START = 1_000_000n;

function freshShards(): TestShard[] {
  return [0, 1, 2].map((shard) => createTestShard(config, shard));
}

/** Builds and commits one block on the sender's shard; returns the build. */
function runBlock(
  shards: TestShard[],
  shard: number,
  transactions: Transaction[],
  incoming: IncomingReceiptBatch[] = [],
) {
  const target = shards[shard]!;
  const built = executeBlock({ mode: 'build', config, shard, state: target.state, transactions, incoming });
  commitExecution(network, target, built, true);
  return built;
}

/** The refusal code of a single transaction on a fresh state (and that it changed nothing). */
function refusalOf(tx: Transaction, shards = freshShards(), shard = tx.shard): string {
  const before = shards[shard]!.store.getMeta()!.stateRoot;
  const built = executeBlock({
    mode: 'build',
    config,
    shard,
    state: shards[shard]!.state,
    transactions: [tx],
    incoming: [],
  });
  assert.equal(built.transactions.length, 0, 'the transaction was accepted');
  assert.equal(built.diff.accounts.length, 0);
  assert.deepEqual(built.stateRoot, before);
  return built.refusals[0]!.code;
}

function tx(
  sender: TestKey,
  nonce: bigint,
  operation: Operation,
  overrides: Partial<TransactionBody> = {},
): Transaction {
  return signedTx(config, sender, nonce, operation, overrides);
}

/** A transaction the codec cannot encode (so it cannot be signed): refused before its signature is checked. */
function malformed(sender: TestKey, nonce: bigint, operation: Operation): Transaction {
  return unsignedTx(config, sender, nonce, operation);
}

const collector = (shard: number) => config.feeCollectors[shard]!;

describe('transfer', () => {
  test('a local transfer debits amount + fee, credits the recipient and the fee collector', () => {
    const shards = freshShards();
    const built = runBlock(shards, 0, [
      tx(alice, 0n, { type: 'transfer', to: bob.address, amount: 250n, memo: 'rent' }),
    ]);
    assert.equal(built.refusals.length, 0);
    assert.equal(built.outgoingReceipts.length, 0);
    const state = shards[0]!.state;
    assert.deepEqual(readAccount(state, alice.address), { balance: START - 250n - FEE, nonce: 1n });
    assert.deepEqual(readAccount(state, bob.address), { balance: START + 250n, nonce: 0n });
    assert.deepEqual(readAccount(state, collector(0)), { balance: FEE, nonce: 0n });
  });

  test('a transfer to another shard debits here and emits a credit receipt', () => {
    const shards = freshShards();
    const transfer = tx(alice, 0n, { type: 'transfer', to: carol.address, amount: 40n, memo: 'x' });
    const built = runBlock(shards, 0, [transfer]);
    assert.equal(built.outgoingReceipts.length, 1);
    const receipt = built.outgoingReceipts[0]!;
    assert.equal(receipt.kind, 'credit');
    assert.equal(receipt.operation, 'transfer');
    assert.equal(receipt.sourceShard, 0);
    assert.equal(receipt.targetShard, carol.shard);
    assert.equal(receipt.sourceHeight, 1n);
    assert.equal(receipt.index, 0);
    assert.equal(receipt.amount, 40n);
    assert.equal(receipt.memo, 'x');
    assert.equal(receipt.refundOf, null);
    assert.deepEqual(receipt.txId, built.transactionIds[0]);
    assert.deepEqual(receipt.from, alice.address);
    assert.deepEqual(receipt.to, carol.address);
    assert.deepEqual(readAccount(shards[0]!.state, alice.address).balance, START - 40n - FEE);
    assert.equal(readAccount(shards[0]!.state, carol.address).balance, 0n, 'carol does not live on shard 0');

    const credited = runBlock(shards, carol.shard, [], [batchFrom(shards[0]!, 1n, [0])]);
    assert.equal(credited.incomingOutcomes[0]!.outcome, 'credited');
    assert.equal(readAccount(shards[carol.shard]!.state, carol.address).balance, START + 40n);
  });

  test('a self-transfer is allowed and costs only the fee', () => {
    const shards = freshShards();
    runBlock(shards, 0, [
      tx(alice, 0n, { type: 'transfer', to: alice.address, amount: START - FEE, memo: '' }),
    ]);
    assert.deepEqual(readAccount(shards[0]!.state, alice.address), { balance: START - FEE, nonce: 1n });
  });

  test('refusals carry their codes', () => {
    const transfer = (amount: bigint, memo = ''): Operation => ({
      type: 'transfer',
      to: bob.address,
      amount,
      memo,
    });
    assert.equal(
      refusalOf(tx(alice, 0n, transfer(START))),
      'INSUFFICIENT_FUNDS',
      'amount + fee above the balance',
    );
    assert.equal(refusalOf(tx(alice, 1n, transfer(1n))), 'BAD_NONCE');
    assert.equal(refusalOf(tx(alice, 0n, transfer(0n))), 'AMOUNT_INVALID');
    assert.equal(refusalOf(malformed(alice, 0n, transfer(-1n))), 'AMOUNT_INVALID');
    assert.equal(refusalOf(malformed(alice, 0n, transfer(MAX_AMOUNT + 1n))), 'AMOUNT_TOO_LARGE');
    assert.equal(refusalOf({ ...tx(alice, 0n, transfer(1n)), fee: FEE + 1n }), 'FEE_INVALID');
    assert.equal(refusalOf(tx(alice, 0n, transfer(1n), { fee: 0n })), 'FEE_INVALID');
    assert.equal(refusalOf(tx(alice, 0n, transfer(1n), { chainId: 'other-chain' })), 'WRONG_CHAIN');
    assert.equal(refusalOf(tx(alice, 0n, transfer(1n), { expiryHeight: 0n })), 'EXPIRED');
    assert.equal(
      refusalOf(malformed(alice, 0n, transfer(1n, 'é'.repeat(MAX_MEMO_BYTES / 2 + 1)))),
      'MEMO_TOO_LONG',
    );
    const wrongShard = tx(alice, 0n, transfer(1n), { shard: 1 });
    assert.equal(refusalOf(wrongShard, freshShards(), 0), 'WRONG_SHARD', 'tx.shard is not this shard');
    assert.equal(refusalOf(wrongShard, freshShards(), 1), 'WRONG_SHARD', 'the sender does not live here');
    const badTo = { type: 'transfer', to: new Uint8Array(19), amount: 1n, memo: '' } as Operation;
    assert.equal(refusalOf({ ...tx(alice, 0n, transfer(1n)), operation: badTo }), 'ADDRESS_INVALID');
  });

  test('a tx is valid up to and including its expiry height', () => {
    const shards = freshShards();
    const built = runBlock(shards, 0, [
      tx(alice, 0n, { type: 'transfer', to: bob.address, amount: 1n, memo: '' }, { expiryHeight: 1n }),
    ]);
    assert.equal(built.refusals.length, 0);
    assert.equal(
      refusalOf(
        tx(alice, 1n, { type: 'transfer', to: bob.address, amount: 1n, memo: '' }, { expiryHeight: 1n }),
        shards,
      ),
      'EXPIRED',
    );
  });

  test('a tampered signature is refused with BAD_SIGNATURE', () => {
    const good = tx(alice, 0n, { type: 'transfer', to: bob.address, amount: 1n, memo: '' });
    const signature = good.signature.slice();
    signature[10]! ^= 1;
    assert.equal(refusalOf({ ...good, signature }), 'BAD_SIGNATURE');
    assert.equal(
      refusalOf({ ...good, operation: { type: 'transfer', to: bob.address, amount: 2n, memo: '' } }),
      'BAD_SIGNATURE',
    );
  });

  test('nonces are strictly sequential within a block and across blocks', () => {
    const shards = freshShards();
    const op: Operation = { type: 'transfer', to: bob.address, amount: 1n, memo: '' };
    const built = runBlock(shards, 0, [
      tx(alice, 0n, op),
      tx(alice, 2n, op),
      tx(alice, 1n, op),
      tx(alice, 1n, op),
    ]);
    assert.deepEqual(
      built.refusals.map((r) => [r.kind === 'transaction' ? r.index : -1, r.code]),
      [
        [1, 'BAD_NONCE'],
        [3, 'BAD_NONCE'],
      ],
    );
    assert.equal(readAccount(shards[0]!.state, alice.address).nonce, 2n);
  });
});

describe('pay', () => {
  const merchant0 = addressOnShard('shop', 0, config.shardCount);
  const merchant2 = addressOnShard('shop', 2, config.shardCount);
  const pay = (merchant: Uint8Array, paymentId: string, amount = 100n): Operation => ({
    type: 'pay',
    merchant,
    amount,
    paymentId,
    memo: 'order',
  });

  test('a local payment is accepted once per (merchant, paymentId)', () => {
    const shards = freshShards();
    const built = runBlock(shards, 0, [
      tx(alice, 0n, pay(merchant0, 'inv-1')),
      tx(bob, 0n, pay(merchant0, 'inv-1')),
    ]);
    assert.deepEqual(
      built.refusals.map((r) => r.code),
      ['DUPLICATE_PAYMENT_ID'],
    );
    assert.equal(readAccount(shards[0]!.state, merchant0).balance, 100n);
    assert.ok(shards[0]!.store.isPaymentIdUsed(merchant0, 'inv-1'));
    assert.equal(refusalOf(tx(alice, 1n, pay(merchant0, 'inv-1')), shards), 'DUPLICATE_PAYMENT_ID');
    // Another id, or the same id to another merchant, is fine.
    const next = runBlock(shards, 0, [
      tx(alice, 1n, pay(merchant0, 'inv-2')),
      tx(bob, 0n, pay(alice.address, 'inv-1')),
    ]);
    assert.equal(next.refusals.length, 0);
  });

  test('a duplicate payment to a merchant on another shard is refunded from there', () => {
    const shards = freshShards();
    const first = runBlock(shards, 0, [
      tx(alice, 0n, pay(merchant2, 'inv-9', 70n)),
      tx(bob, 0n, pay(merchant2, 'inv-9', 30n)),
    ]);
    assert.equal(first.refusals.length, 0, 'the source shard cannot know about duplicates');
    assert.equal(first.outgoingReceipts.length, 2);
    const atMerchant = runBlock(shards, 2, [], [batchFrom(shards[0]!, 1n, [0, 1])]);
    assert.deepEqual(
      atMerchant.incomingOutcomes.map((o) => o.outcome),
      ['credited', 'refunded'],
    );
    assert.equal(readAccount(shards[2]!.state, merchant2).balance, 70n);
    const refund = atMerchant.outgoingReceipts[0]!;
    assert.equal(refund.kind, 'refund');
    assert.equal(refund.targetShard, 0);
    assert.deepEqual(refund.to, bob.address);
    assert.deepEqual(refund.txId, first.transactionIds[1]);
    assert.deepEqual(refund.refundOf, receiptId(first.outgoingReceipts[1]!));
    assert.equal(refund.amount, 30n);
    const outcome = atMerchant.incomingOutcomes[1]!;
    assert.ok(outcome.outcome === 'refunded');
    assert.deepEqual(outcome.refundId, receiptId(refund));

    const bobBefore = readAccount(shards[0]!.state, bob.address).balance;
    const back = runBlock(shards, 0, [], [batchFrom(shards[2]!, 1n, [0])]);
    assert.deepEqual(
      back.incomingOutcomes.map((o) => o.outcome),
      ['credited'],
    );
    assert.equal(
      readAccount(shards[0]!.state, bob.address).balance,
      bobBefore + 30n,
      'the fee is not refunded',
    );
  });

  test('payment fields are checked', () => {
    assert.equal(refusalOf(tx(alice, 0n, pay(merchant0, ''))), 'REFERENCE_INVALID');
    assert.equal(
      refusalOf(malformed(alice, 0n, pay(merchant0, 'x'.repeat(MAX_REFERENCE_BYTES + 1)))),
      'REFERENCE_INVALID',
    );
    assert.equal(refusalOf(tx(alice, 0n, pay(merchant0, 'ok', 0n))), 'AMOUNT_INVALID');
    assert.equal(refusalOf(tx(alice, 0n, pay(merchant0, 'ok', START))), 'INSUFFICIENT_FUNDS');
  });
});

describe('mint', () => {
  const mint = (to: Uint8Array, reference: string, amount = 500n): Operation => ({
    type: 'mint',
    to,
    amount,
    reference,
  });
  const issuerShard = issuer.shard;
  const localUser = network.users.find((user) => user.shard === issuerShard)!;
  const remoteUser = network.users.find((user) => user.shard !== issuerShard)!;

  test('an issuer mints locally, pays the fee, and each reference once', () => {
    const shards = freshShards();
    const built = runBlock(shards, issuerShard, [
      tx(issuer, 0n, mint(localUser.address, 'ch_1')),
      tx(issuer, 1n, mint(localUser.address, 'ch_1')),
    ]);
    assert.deepEqual(
      built.refusals.map((r) => r.code),
      ['DUPLICATE_MINT_REFERENCE'],
    );
    assert.equal(readAccount(shards[issuerShard]!.state, localUser.address).balance, START + 500n);
    assert.equal(readAccount(shards[issuerShard]!.state, issuer.address).balance, START - FEE);
    const meta = shards[issuerShard]!.store.getMeta()!;
    assert.equal(
      meta.minted,
      START * BigInt(network.users.filter((u) => u.shard === issuerShard).length + 1) + 500n,
    );
    assert.ok(shards[issuerShard]!.store.isMintReferenceUsed(issuer.address, 'ch_1'));
  });

  test('a mint to another shard emits a credit receipt', () => {
    const shards = freshShards();
    const built = runBlock(shards, issuerShard, [tx(issuer, 0n, mint(remoteUser.address, 'ch_2'))]);
    assert.equal(built.outgoingReceipts[0]!.operation, 'mint');
    assert.equal(built.outgoingReceipts[0]!.targetShard, remoteUser.shard);
    runBlock(shards, remoteUser.shard, [], [batchFrom(shards[issuerShard]!, 1n, [0])]);
    assert.equal(readAccount(shards[remoteUser.shard]!.state, remoteUser.address).balance, START + 500n);
  });

  test('only issuers mint, within the shard supply cap', () => {
    assert.equal(refusalOf(tx(alice, 0n, mint(alice.address, 'ch_3'))), 'NOT_ISSUER');
    assert.equal(refusalOf(tx(issuer, 0n, mint(localUser.address, 'ch_4', MAX_AMOUNT))), 'SUPPLY_OVERFLOW');
    const cap = shardSupplyCap(config.shardCount);
    const minted = freshShards()[issuerShard]!.store.getMeta()!.minted;
    const shards = freshShards();
    const atCap = runBlock(shards, issuerShard, [
      tx(issuer, 0n, mint(localUser.address, 'ch_5', cap - minted)),
    ]);
    assert.equal(atCap.refusals.length, 0, 'minting up to the cap is allowed');
    assert.equal(refusalOf(tx(issuer, 1n, mint(localUser.address, 'ch_6', 1n)), shards), 'SUPPLY_OVERFLOW');
  });
});

describe('burn', () => {
  const burn = (amount: bigint, payoutReference = 'po_1'): Operation => ({
    type: 'burn',
    amount,
    payoutReference,
  });

  test('a holder burns amount + fee and the shard counts it', () => {
    const shards = freshShards();
    runBlock(shards, 0, [tx(alice, 0n, burn(300n))]);
    assert.equal(readAccount(shards[0]!.state, alice.address).balance, START - 300n - FEE);
    assert.equal(shards[0]!.store.getMeta()!.burned, 300n);
    assert.equal(refusalOf(tx(alice, 1n, burn(START)), shards), 'INSUFFICIENT_FUNDS');
    assert.equal(refusalOf(tx(alice, 1n, burn(1n, '')), shards), 'REFERENCE_INVALID');
    assert.equal(refusalOf(tx(alice, 1n, burn(0n)), shards), 'AMOUNT_INVALID');
  });
});

test('zero fees create no fee collector account', () => {
  const freeNetwork = createTestNetwork({ flatFee: 0n });
  const shard = createTestShard(freeNetwork.config, 0);
  const user = freeNetwork.users[0]!;
  const built = executeBlock({
    mode: 'build',
    config: freeNetwork.config,
    shard: 0,
    state: shard.state,
    transactions: [
      signedTx(freeNetwork.config, user, 0n, {
        type: 'transfer',
        to: freeNetwork.users[1]!.address,
        amount: 5n,
        memo: '',
      }),
    ],
    incoming: [],
  });
  assert.equal(built.refusals.length, 0);
  assert.equal(built.diff.accounts.length, 2);
  assert.equal(
    built.diff.accounts.some((entry) =>
      entry.address.every((b, i) => b === freeNetwork.config.feeCollectors[0]![i]),
    ),
    false,
  );
});
