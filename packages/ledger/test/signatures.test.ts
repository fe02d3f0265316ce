import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isShardpayError } from '@shardpay/crypto';
import type { Transaction } from '@shardpay/protocol';
import { decodeTransaction, encodeTransaction } from '@shardpay/protocol';
import fc from 'fast-check';
import { executeBlock } from '../src/index.ts';
import {
  addressOnShard,
  createTestNetwork,
  createTestShard,
  signedTx,
  type TestKey,
} from './helpers/testNetwork.ts';

const seed = Number(process.env.LEDGER_SEED ?? 0x5eed_1ed9);

// Real signatures, verified natively by the default checks: nothing here is injected.
const network = createTestNetwork();
const { config } = network;
const [alice, bob] = network.users as [TestKey, TestKey];
const merchant = addressOnShard('merchant', 0, config.shardCount);
const signed: Transaction[] = [
  signedTx(config, alice, 0n, { type: 'transfer', to: bob.address, amount: 125n, memo: 'lunch' }),
  signedTx(config, alice, 0n, { type: 'pay', merchant, amount: 900n, paymentId: 'order-17', memo: '' }),
  signedTx(config, alice, 0n, { type: 'burn', amount: 50n, payoutReference: 'payout-3' }),
  signedTx(config, bob, 0n, { type: 'transfer', to: network.users[4]!.address, amount: 1n, memo: '' }),
];

test('signed transactions are accepted as they are', () => {
  for (const tx of signed) {
    const shard = createTestShard(config, 0);
    const built = executeBlock({
      mode: 'build',
      config,
      shard: 0,
      state: shard.state,
      transactions: [tx],
      incoming: [],
    });
    assert.equal(built.refusals.length, 0);
  }
});

test('flipping any byte of a signed transaction gets it refused, changing nothing', () => {
  const shard = createTestShard(config, 0);
  const stateRoot = shard.store.getMeta()!.stateRoot;
  const encodings = signed.map(encodeTransaction);
  let decodedFlips = 0;
  let signatureFlips = 0;
  fc.assert(
    fc.property(
      fc.nat({ max: signed.length - 1 }),
      fc.nat(),
      fc.integer({ min: 1, max: 255 }),
      (which, position, mask) => {
        const bytes = encodings[which]!.slice();
        const at = position % bytes.length;
        bytes[at]! ^= mask;
        let tampered: Transaction;
        try {
          tampered = decodeTransaction(bytes);
        } catch (error) {
          assert.ok(isShardpayError(error, 'DECODE_ERROR'));
          return;
        }
        decodedFlips++;
        const built = executeBlock({
          mode: 'build',
          config,
          shard: 0,
          state: shard.state,
          transactions: [tampered],
          incoming: [],
        });
        assert.equal(built.transactions.length, 0, `a flip at byte ${at} was accepted`);
        assert.equal(built.refusals.length, 1);
        assert.equal(built.diff.accounts.length, 0);
        assert.deepEqual(built.stateRoot, stateRoot);
        if (at >= bytes.length - 64) {
          signatureFlips++;
          assert.equal(built.refusals[0]!.code, 'BAD_SIGNATURE');
        }
      },
    ),
    { numRuns: 1000, seed },
  );
  assert.ok(decodedFlips > 500, `only ${decodedFlips} flips decoded`);
  assert.ok(signatureFlips > 100, `only ${signatureFlips} flips hit the signature`);
});
