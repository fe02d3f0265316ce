import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isShardpayError } from '@shardpay/crypto';
import type { Authorization, Hash, Operation, TimelockCreateOperation } from '@shardpay/protocol';
import { signAuthorization, timelockClaimSigningHash } from '@shardpay/protocol';
import {
  decodeTimelockRecord,
  encodeTimelockRecord,
  readTimelock,
  type TimelockRecord,
} from '../src/index.ts';
import { createdId, createLockTestChain, type LockTestChain } from './helpers/lockTestChain.ts';
import { batchFrom, type TestKey } from './helpers/testNetwork.ts';

const START = 1_000_000n;
const AMOUNT = 700n;
const UNLOCK = 5n;

function setup() {
  const chain = createLockTestChain();
  const [creator, local, receiver, , stranger] = chain.network.users as TestKey[];
  assert.deepEqual([creator!.shard, local!.shard, receiver!.shard, stranger!.shard], [0, 0, 1, 2]);
  return { chain, creator: creator!, local: local!, receiver: receiver!, stranger: stranger! };
}

function createOp(to: Uint8Array, overrides: Partial<TimelockCreateOperation> = {}): TimelockCreateOperation {
  return { type: 'timelock_create', to, amount: AMOUNT, unlockHeight: UNLOCK, memo: 'vesting', ...overrides };
}

function create(chain: LockTestChain, creator: TestKey, operation: TimelockCreateOperation): Hash {
  return createdId(chain.run(creator.shard, [chain.tx(creator, operation)]));
}

const claim = (timelockId: Hash, authorization: Authorization | null = null): Operation => ({
  type: 'timelock_claim',
  timelockId,
  authorization,
});
const cancel = (timelockId: Hash): Operation => ({ type: 'timelock_cancel', timelockId });

function claimAuthorization(chain: LockTestChain, key: TestKey, timelockId: Hash): Authorization {
  return signAuthorization(timelockClaimSigningHash(chain.config.chainId, timelockId), key.privateKey);
}

function lockOf(chain: LockTestChain, timelockId: Hash): TimelockRecord {
  const record = readTimelock(chain.shards[0]!.store, timelockId);
  assert.ok(record !== undefined, 'no time lock');
  return record;
}

test('time lock records round-trip; corrupt bytes are LEDGER_STATE_INVALID', () => {
  const record: TimelockRecord = {
    from: new Uint8Array(20).fill(1),
    to: new Uint8Array(20).fill(2),
    amount: 5n,
    unlockHeight: 10n,
    status: 'cancelled',
    createdHeight: 3n,
  };
  const bytes = encodeTimelockRecord(record);
  assert.deepEqual(decodeTimelockRecord(bytes), record);
  for (const bad of [bytes.subarray(1), Uint8Array.of(...bytes, 0), Uint8Array.of(2, ...bytes.subarray(1))]) {
    assert.throws(
      () => decodeTimelockRecord(bad),
      (error) => isShardpayError(error) && error.code === 'LEDGER_STATE_INVALID',
    );
  }
  const badStatus = bytes.slice();
  badStatus[57] = 3;
  assert.throws(() => decodeTimelockRecord(badStatus), /status/);
});

describe('time locks', () => {
  test('create debits amount + fee and writes a locked record; refusals', () => {
    const { chain, creator, receiver, local } = setup();
    assert.equal(
      chain.refusal(chain.tx(creator, createOp(receiver.address, { unlockHeight: 1n }))),
      'UNLOCK_HEIGHT_INVALID',
    );
    assert.equal(
      chain.refusal(chain.tx(creator, createOp(receiver.address, { unlockHeight: 0n }))),
      'UNLOCK_HEIGHT_INVALID',
    );
    assert.equal(chain.refusal(chain.tx(creator, createOp(creator.address))), 'ADDRESS_INVALID');
    assert.equal(
      chain.refusal(chain.tx(creator, createOp(receiver.address, { amount: START }))),
      'INSUFFICIENT_FUNDS',
    );
    assert.equal(
      chain.refusal(chain.tx(creator, createOp(receiver.address, { amount: 0n }))),
      'AMOUNT_INVALID',
    );
    chain.control(0, local, 'pause');
    assert.equal(chain.refusal(chain.tx(creator, createOp(receiver.address))), 'TOKEN_PAUSED');
    chain.control(0, local, 'unpause');
    chain.control(0, local, 'freeze', creator.address);
    assert.equal(chain.refusal(chain.tx(creator, createOp(receiver.address))), 'ACCOUNT_FROZEN');
    chain.control(0, local, 'unfreeze', creator.address);

    const height = chain.shards[0]!.store.getMeta()!.height + 1n;
    const id = create(chain, creator, createOp(receiver.address, { unlockHeight: height + 1n }));
    assert.equal(chain.balance(creator), START - AMOUNT - chain.config.flatFee);
    assert.deepEqual(lockOf(chain, id), {
      from: creator.address,
      to: receiver.address,
      amount: AMOUNT,
      unlockHeight: height + 1n,
      status: 'locked',
      createdHeight: height,
    });
  });

  test('cannot be claimed early; claimed at the unlock height across shards, once', () => {
    const { chain, creator, local, receiver, stranger } = setup();
    const id = create(chain, creator, createOp(receiver.address));
    const byAuthorization = (key: TestKey) => chain.tx(local, claim(id, claimAuthorization(chain, key, id)));
    assert.equal(chain.refusal(byAuthorization(receiver)), 'TIMELOCK_LOCKED');
    chain.advanceTo(0, UNLOCK - 1n);
    assert.equal(chain.refusal(byAuthorization(receiver)), 'TIMELOCK_LOCKED', 'one block before the height');
    chain.advanceTo(0, UNLOCK);
    assert.equal(chain.refusal(byAuthorization(stranger)), 'TIMELOCK_NOT_AUTHORIZED');
    assert.equal(
      chain.refusal(chain.tx(local, claim(id))),
      'TIMELOCK_NOT_AUTHORIZED',
      'the carrier is no receiver',
    );
    assert.equal(
      chain.refusal(chain.tx(creator, claim(id))),
      'TIMELOCK_NOT_AUTHORIZED',
      'nor is the creator',
    );
    const tampered = claimAuthorization(chain, receiver, id);
    tampered.signature[3]! ^= 1;
    assert.equal(chain.refusal(chain.tx(local, claim(id, tampered))), 'AUTHORIZATION_INVALID');
    assert.equal(chain.refusal(chain.tx(local, claim(new Uint8Array(32)))), 'TIMELOCK_NOT_FOUND');

    const claimed = chain.run(0, [byAuthorization(receiver)]);
    assert.equal(claimed.height, UNLOCK);
    assert.equal(lockOf(chain, id).status, 'claimed');
    const receipt = claimed.outgoingReceipts[0]!;
    assert.equal(receipt.operation, 'timelock_claim');
    assert.equal(receipt.amount, AMOUNT);
    assert.deepEqual(receipt.from, creator.address);
    assert.deepEqual(receipt.to, receiver.address);
    chain.run(1, [], { incoming: [batchFrom(chain.shards[0]!, claimed.height, [0])] });
    assert.equal(chain.balance(receiver), START + AMOUNT);
    assert.equal(chain.refusal(byAuthorization(receiver)), 'TIMELOCK_STATE_INVALID');
    assert.equal(chain.refusal(chain.tx(creator, cancel(id))), 'TIMELOCK_STATE_INVALID');
  });

  test('a local receiver claims itself; a frozen one cannot', () => {
    const { chain, creator, local } = setup();
    const id = create(chain, creator, createOp(local.address, { unlockHeight: 2n }));
    chain.control(0, creator, 'freeze', local.address);
    assert.equal(chain.refusal(chain.tx(local, claim(id))), 'ACCOUNT_FROZEN');
    chain.control(0, creator, 'unfreeze', local.address);
    const before = chain.balance(local);
    const claimed = chain.run(0, [chain.tx(local, claim(id))]);
    assert.equal(claimed.outgoingReceipts.length, 0);
    assert.equal(chain.balance(local), before + AMOUNT - chain.config.flatFee);
  });

  test('pause and freezes: claims and cancels stop; a frozen remote receiver sends the coins back', () => {
    const { chain, creator, local, receiver } = setup();
    const id = create(chain, creator, createOp(receiver.address, { unlockHeight: 3n }));
    const other = create(chain, creator, createOp(receiver.address, { unlockHeight: 10n }));
    chain.control(0, local, 'freeze', creator.address);
    assert.equal(chain.refusal(chain.tx(creator, cancel(other))), 'ACCOUNT_FROZEN');
    chain.control(0, local, 'unfreeze', creator.address);
    chain.control(0, local, 'pause');
    const claimOp = claim(id, claimAuthorization(chain, receiver, id));
    assert.equal(chain.refusal(chain.tx(local, claimOp)), 'TOKEN_PAUSED');
    assert.equal(chain.refusal(chain.tx(creator, cancel(other))), 'TOKEN_PAUSED');
    chain.control(0, local, 'unpause');

    chain.control(1, receiver, 'freeze', receiver.address);
    const creatorBefore = chain.balance(creator);
    const claimed = chain.run(0, [chain.tx(local, claimOp)]);
    const atReceiver = chain.run(1, [], { incoming: [batchFrom(chain.shards[0]!, claimed.height, [0])] });
    assert.equal(atReceiver.incomingOutcomes[0]!.outcome, 'refunded');
    chain.run(0, [], { incoming: [batchFrom(chain.shards[1]!, atReceiver.height, [0])] });
    assert.equal(chain.balance(creator), creatorBefore + AMOUNT, 'the creator has the coins back');
    assert.equal(chain.balance(receiver), START - chain.config.flatFee);
  });

  test('the creator cancels before the unlock height, not at or after it; nobody else cancels', () => {
    const { chain, creator, local, receiver } = setup();
    const early = create(chain, creator, createOp(receiver.address));
    const late = create(chain, creator, createOp(receiver.address));
    assert.equal(chain.refusal(chain.tx(local, cancel(early))), 'TIMELOCK_NOT_AUTHORIZED');
    assert.equal(chain.refusal(chain.tx(creator, cancel(new Uint8Array(32)))), 'TIMELOCK_NOT_FOUND');
    chain.advanceTo(0, UNLOCK - 1n);
    const before = chain.balance(creator);
    chain.run(0, [chain.tx(creator, cancel(early))]);
    assert.equal(lockOf(chain, early).status, 'cancelled');
    assert.equal(chain.balance(creator), before + AMOUNT - chain.config.flatFee);
    assert.equal(chain.refusal(chain.tx(creator, cancel(early))), 'TIMELOCK_STATE_INVALID');
    assert.equal(
      chain.refusal(chain.tx(local, claim(early, claimAuthorization(chain, receiver, early)))),
      'TIMELOCK_STATE_INVALID',
    );
    assert.equal(chain.refusal(chain.tx(creator, cancel(late))), 'TIMELOCK_UNLOCKED', 'at the unlock height');
    chain.run(0, []);
    assert.equal(chain.refusal(chain.tx(creator, cancel(late))), 'TIMELOCK_UNLOCKED', 'after it');
    assert.equal(lockOf(chain, late).status, 'locked');
  });
});
