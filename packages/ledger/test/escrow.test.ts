import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isShardpayError } from '@shardpay/crypto';
import type { Authorization, EscrowLockOperation, Hash, Operation } from '@shardpay/protocol';
import { escrowActionSigningHash, signAuthorization } from '@shardpay/protocol';
import {
  decodeEscrowRecord,
  type EscrowRecord,
  encodeEscrowRecord,
  executeBlock,
  readAccount,
  readEscrow,
} from '../src/index.ts';
import { createdId, createLockTestChain, type LockTestChain } from './helpers/lockTestChain.ts';
import { batchFrom, headerFor, type TestKey, testKey } from './helpers/testNetwork.ts';

const START = 1_000_000n;
const AMOUNT = 1_000n;
const LOCK_TIME = 1_000n;
const DEADLINE = 5_000n;
const oracle = testKey('oracle/0', 3);
const arbiter = testKey('arbiter/0', 3);

function setup() {
  const chain = createLockTestChain();
  const [buyer, relayer, merchant, , stranger] = chain.network.users as TestKey[];
  // buyer and relayer live on shard 0 (the escrow's shard), merchant on shard 1, stranger on shard 2.
  assert.deepEqual([buyer!.shard, relayer!.shard, merchant!.shard, stranger!.shard], [0, 0, 1, 2]);
  return { chain, buyer: buyer!, relayer: relayer!, merchant: merchant!, stranger: stranger! };
}

function lockOp(merchant: Uint8Array, overrides: Partial<EscrowLockOperation> = {}): EscrowLockOperation {
  return {
    type: 'escrow_lock',
    merchant,
    amount: AMOUNT,
    orderId: 'order-42',
    deadlineMs: DEADLINE,
    arbiter: arbiter.address,
    oracle: oracle.address,
    memo: 'two mugs',
    ...overrides,
  };
}

/** Locks an escrow at LOCK_TIME on the buyer's shard; returns its id. */
function lock(chain: LockTestChain, buyer: TestKey, operation: EscrowLockOperation): Hash {
  return createdId(chain.run(buyer.shard, [chain.tx(buyer, operation)], { timestampMs: LOCK_TIME }));
}

function authorize(
  chain: LockTestChain,
  key: TestKey,
  escrowId: Hash,
  action: 'release' | 'refund' | 'dispute' | 'settle',
  buyerAmount = 0n,
): Authorization {
  return signAuthorization(
    escrowActionSigningHash(chain.config.chainId, escrowId, action, buyerAmount),
    key.privateKey,
  );
}

function escrowOf(chain: LockTestChain, escrowId: Hash): EscrowRecord {
  const record = readEscrow(chain.shards[0]!.store, escrowId);
  assert.ok(record !== undefined, 'no escrow');
  return record;
}

const release = (escrowId: Hash, authorization: Authorization | null = null): Operation => ({
  type: 'escrow_release',
  escrowId,
  authorization,
});
const refund = (escrowId: Hash, authorization: Authorization | null = null): Operation => ({
  type: 'escrow_refund',
  escrowId,
  authorization,
});
const dispute = (escrowId: Hash, authorization: Authorization | null = null): Operation => ({
  type: 'escrow_dispute',
  escrowId,
  authorization,
});
const settle = (escrowId: Hash, buyerAmount: bigint, authorization: Authorization | null): Operation => ({
  type: 'escrow_settle',
  escrowId,
  buyerAmount,
  authorization,
});

describe('escrow records', () => {
  test('round-trip, and corrupt bytes are LEDGER_STATE_INVALID', () => {
    const record: EscrowRecord = {
      buyer: new Uint8Array(20).fill(1),
      merchant: new Uint8Array(20).fill(2),
      amount: 123n,
      orderId: 'ordér-1',
      deadlineMs: 99n,
      arbiter: null,
      oracle: new Uint8Array(20).fill(3),
      status: 'released',
      lockedHeight: 4n,
      closedHeight: 9n,
    };
    assert.deepEqual(decodeEscrowRecord(encodeEscrowRecord(record)), record);
    const open = { ...record, status: 'open' as const, closedHeight: null, arbiter: record.buyer };
    assert.deepEqual(decodeEscrowRecord(encodeEscrowRecord(open)), open);
    const bytes = encodeEscrowRecord(record);
    const corrupt = (mutate: (copy: Uint8Array) => Uint8Array) => {
      assert.throws(
        () => decodeEscrowRecord(mutate(bytes.slice())),
        (error) => isShardpayError(error) && error.code === 'LEDGER_STATE_INVALID',
      );
    };
    corrupt((copy) => copy.subarray(0, copy.length - 1));
    corrupt((copy) => Uint8Array.of(...copy, 0));
    corrupt((copy) => {
      copy[0] = 2;
      return copy;
    });
    corrupt((copy) => {
      copy[57] = 9; // status
      return copy;
    });
    corrupt((copy) => {
      copy[57] = 0; // 'open' with a closed height
      return copy;
    });
  });
});

describe('escrow lock', () => {
  test('debits amount + fee from the buyer and writes an open escrow', () => {
    const { chain, buyer, merchant } = setup();
    const escrowId = lock(chain, buyer, lockOp(merchant.address));
    const fee = chain.config.flatFee;
    assert.equal(chain.balance(buyer), START - AMOUNT - fee);
    assert.deepEqual(escrowOf(chain, escrowId), {
      buyer: buyer.address,
      merchant: merchant.address,
      amount: AMOUNT,
      orderId: 'order-42',
      deadlineMs: DEADLINE,
      arbiter: arbiter.address,
      oracle: oracle.address,
      status: 'open',
      lockedHeight: 1n,
      closedHeight: null,
    });
  });

  test('refusals: deadline, merchant = buyer, funds, fields, frozen, paused', () => {
    const { chain, buyer, relayer, merchant } = setup();
    const at = (op: EscrowLockOperation) => chain.refusal(chain.tx(buyer, op), LOCK_TIME);
    assert.equal(at(lockOp(merchant.address, { deadlineMs: LOCK_TIME })), 'DEADLINE_INVALID');
    assert.equal(at(lockOp(merchant.address, { deadlineMs: LOCK_TIME - 1n })), 'DEADLINE_INVALID');
    assert.equal(at(lockOp(buyer.address)), 'ADDRESS_INVALID');
    assert.equal(at(lockOp(merchant.address, { amount: START })), 'INSUFFICIENT_FUNDS');
    assert.equal(at(lockOp(merchant.address, { amount: 0n })), 'AMOUNT_INVALID');
    assert.equal(at(lockOp(merchant.address, { orderId: '' })), 'REFERENCE_INVALID');
    // A local merchant that is frozen cannot be locked for; a frozen buyer cannot lock.
    chain.control(0, relayer, 'freeze', relayer.address);
    assert.equal(at(lockOp(relayer.address)), 'ACCOUNT_FROZEN');
    chain.control(0, relayer, 'unfreeze', relayer.address);
    chain.control(0, relayer, 'freeze', buyer.address);
    assert.equal(at(lockOp(merchant.address)), 'ACCOUNT_FROZEN');
    chain.control(0, relayer, 'unfreeze', buyer.address);
    chain.control(0, relayer, 'pause');
    assert.equal(at(lockOp(merchant.address)), 'TOKEN_PAUSED');
    chain.control(0, relayer, 'unpause');
    chain.run(0, [chain.tx(buyer, lockOp(merchant.address))], { timestampMs: LOCK_TIME });
  });
});

describe('escrow release', () => {
  test('the buyer releases to a merchant on another shard through a receipt; a replay is refused', () => {
    const { chain, buyer, merchant } = setup();
    const escrowId = lock(chain, buyer, lockOp(merchant.address));
    const built = chain.run(0, [chain.tx(buyer, release(escrowId))], { timestampMs: 2_000n });
    assert.equal(escrowOf(chain, escrowId).status, 'released');
    assert.equal(escrowOf(chain, escrowId).closedHeight, 2n);
    assert.equal(built.outgoingReceipts.length, 1);
    const receipt = built.outgoingReceipts[0]!;
    assert.equal(receipt.operation, 'escrow_release');
    assert.equal(receipt.kind, 'credit');
    assert.equal(receipt.targetShard, 1);
    assert.equal(receipt.amount, AMOUNT);
    assert.equal(receipt.memo, 'order-42');
    assert.equal(receipt.paymentId, '');
    assert.deepEqual(receipt.from, buyer.address);
    assert.deepEqual(receipt.to, merchant.address);
    assert.deepEqual(receipt.txId, built.transactionIds[0]);

    const credited = chain.run(1, [], { incoming: [batchFrom(chain.shards[0]!, 2n, [0])] });
    assert.equal(credited.incomingOutcomes[0]!.outcome, 'credited');
    assert.equal(chain.balance(merchant), START + AMOUNT);

    assert.equal(chain.refusal(chain.tx(buyer, release(escrowId))), 'ESCROW_STATE_INVALID');
    assert.equal(chain.refusal(chain.tx(buyer, refund(escrowId))), 'ESCROW_STATE_INVALID');
  });

  test('the oracle releases with its attestation carried by any account of the shard', () => {
    const { chain, buyer, relayer, merchant } = setup();
    const escrowId = lock(chain, buyer, lockOp(merchant.address));
    const before = chain.balance(relayer);
    const attestation = authorize(chain, oracle, escrowId, 'release');
    chain.run(0, [chain.tx(relayer, release(escrowId, attestation))]);
    assert.equal(escrowOf(chain, escrowId).status, 'released');
    assert.equal(chain.balance(relayer), before - chain.config.flatFee, 'the carrier pays only the fee');
    chain.run(1, [], { incoming: [batchFrom(chain.shards[0]!, 2n, [0])] });
    assert.equal(chain.balance(merchant), START + AMOUNT);
    // The same attestation again: the escrow is no longer open.
    assert.equal(chain.refusal(chain.tx(relayer, release(escrowId, attestation))), 'ESCROW_STATE_INVALID');
  });

  test('wrong signers, signatures over something else and non-parties are refused', () => {
    const { chain, buyer, relayer, merchant, stranger } = setup();
    const escrowId = lock(chain, buyer, lockOp(merchant.address));
    const other = lock(chain, buyer, lockOp(merchant.address, { orderId: 'order-43' }));
    const refused = (operation: Operation) => chain.refusal(chain.tx(relayer, operation));
    assert.equal(
      refused(release(escrowId, authorize(chain, stranger, escrowId, 'release'))),
      'ESCROW_NOT_AUTHORIZED',
    );
    assert.equal(
      refused(release(escrowId, authorize(chain, merchant, escrowId, 'release'))),
      'ESCROW_NOT_AUTHORIZED',
    );
    assert.equal(refused(release(escrowId)), 'ESCROW_NOT_AUTHORIZED', 'the relayer itself is no party');
    assert.equal(
      refused(release(escrowId, authorize(chain, arbiter, escrowId, 'release'))),
      'ESCROW_NOT_AUTHORIZED',
    );
    // The oracle's key, but signed over another action or another escrow, or tampered with.
    assert.equal(
      refused(release(escrowId, authorize(chain, oracle, escrowId, 'refund'))),
      'AUTHORIZATION_INVALID',
    );
    assert.equal(
      refused(release(escrowId, authorize(chain, oracle, other, 'release'))),
      'AUTHORIZATION_INVALID',
    );
    const tampered = authorize(chain, oracle, escrowId, 'release');
    tampered.signature[5]! ^= 1;
    assert.equal(refused(release(escrowId, tampered)), 'AUTHORIZATION_INVALID');
    // A malformed authorization cannot be signed: it is refused by shape, before the signature.
    const malformed = release(escrowId, { publicKey: oracle.publicKey, signature: new Uint8Array(63) });
    assert.equal(
      chain.refusal({ ...chain.tx(relayer, release(escrowId)), operation: malformed }),
      'AUTHORIZATION_INVALID',
    );
    assert.equal(refused(release(new Uint8Array(32).fill(7))), 'ESCROW_NOT_FOUND');
    assert.equal(
      chain.refusal({ ...chain.tx(relayer, release(escrowId)), operation: release(new Uint8Array(31)) }),
      'ENCODE_ERROR',
      'an id that is not 32 bytes',
    );
    assert.equal(escrowOf(chain, escrowId).status, 'open');
  });

  test('a frozen merchant: refused here when local, refunded to the buyer from its shard when remote', () => {
    const { chain, buyer, relayer, merchant } = setup();
    // Local merchant (relayer) frozen after the lock: the release is refused.
    const local = lock(chain, buyer, lockOp(relayer.address));
    chain.control(0, buyer, 'freeze', relayer.address);
    assert.equal(chain.refusal(chain.tx(buyer, release(local))), 'ACCOUNT_FROZEN');
    chain.control(0, buyer, 'pause');
    assert.equal(chain.refusal(chain.tx(buyer, release(local))), 'TOKEN_PAUSED');
    chain.control(0, buyer, 'unpause');
    // A frozen buyer's escrow does not move, even on the oracle's word (the carrier's fee is no movement).
    chain.control(0, relayer, 'unfreeze', relayer.address);
    chain.control(0, relayer, 'freeze', buyer.address);
    const attested = release(local, authorize(chain, oracle, local, 'release'));
    assert.equal(chain.refusal(chain.tx(relayer, attested)), 'ACCOUNT_FROZEN');
    chain.control(0, relayer, 'unfreeze', buyer.address);

    // Remote merchant frozen on its shard: the credit comes back to the buyer.
    const remote = lock(chain, buyer, lockOp(merchant.address));
    chain.control(1, merchant, 'freeze', merchant.address);
    const buyerBefore = chain.balance(buyer);
    const released = chain.run(0, [chain.tx(buyer, release(remote))]);
    const height = released.height;
    const atMerchant = chain.run(1, [], { incoming: [batchFrom(chain.shards[0]!, height, [0])] });
    assert.equal(atMerchant.incomingOutcomes[0]!.outcome, 'refunded');
    const refundReceipt = atMerchant.outgoingReceipts[0]!;
    assert.equal(refundReceipt.kind, 'refund');
    assert.deepEqual(refundReceipt.to, buyer.address);
    chain.run(0, [], { incoming: [batchFrom(chain.shards[1]!, atMerchant.height, [0])] });
    assert.equal(chain.balance(buyer), buyerBefore - chain.config.flatFee + AMOUNT);
    assert.equal(readAccount(chain.shards[1]!.state, merchant.address).balance, START - chain.config.flatFee);
  });
});

describe('escrow refund', () => {
  test('the merchant refunds any time, by authorization from another shard', () => {
    const { chain, buyer, relayer, merchant } = setup();
    const escrowId = lock(chain, buyer, lockOp(merchant.address));
    chain.run(0, [chain.tx(relayer, refund(escrowId, authorize(chain, merchant, escrowId, 'refund')))], {
      timestampMs: LOCK_TIME + 1n,
    });
    assert.equal(escrowOf(chain, escrowId).status, 'refunded');
    assert.equal(chain.balance(buyer), START - chain.config.flatFee, 'the buyer has the amount back');
    assert.equal(chain.refusal(chain.tx(buyer, release(escrowId))), 'ESCROW_STATE_INVALID');
  });

  test('the buyer takes it back only from the deadline on; strangers never', () => {
    const { chain, buyer, relayer, merchant, stranger } = setup();
    const escrowId = lock(chain, buyer, lockOp(merchant.address));
    assert.equal(
      chain.refusal(chain.tx(buyer, refund(escrowId)), DEADLINE - 1n),
      'ESCROW_DEADLINE_NOT_REACHED',
    );
    assert.equal(
      chain.refusal(
        chain.tx(relayer, refund(escrowId, authorize(chain, stranger, escrowId, 'refund'))),
        DEADLINE,
      ),
      'ESCROW_NOT_AUTHORIZED',
    );
    assert.equal(
      chain.refusal(
        chain.tx(relayer, refund(escrowId, authorize(chain, oracle, escrowId, 'refund'))),
        DEADLINE,
      ),
      'ESCROW_NOT_AUTHORIZED',
      'the oracle only releases',
    );
    assert.equal(chain.refusal(chain.tx(relayer, refund(new Uint8Array(32)))), 'ESCROW_NOT_FOUND');
    chain.run(0, [chain.tx(buyer, refund(escrowId))], { timestampMs: DEADLINE });
    assert.equal(escrowOf(chain, escrowId).status, 'refunded');
    assert.equal(chain.balance(buyer), START - 2n * chain.config.flatFee);
  });

  test('a frozen buyer cannot be refunded', () => {
    const { chain, buyer, relayer, merchant } = setup();
    const escrowId = lock(chain, buyer, lockOp(merchant.address));
    chain.control(0, relayer, 'freeze', buyer.address);
    const op = refund(escrowId, authorize(chain, merchant, escrowId, 'refund'));
    assert.equal(chain.refusal(chain.tx(relayer, op)), 'ACCOUNT_FROZEN');
    chain.control(0, relayer, 'unfreeze', buyer.address);
    chain.run(0, [chain.tx(relayer, op)]);
  });
});

test("validators judge deadlines by the header's time", () => {
  const { chain, buyer, merchant } = setup();
  const escrowId = lock(chain, buyer, lockOp(merchant.address));
  const common = { config: chain.config, shard: 0, state: chain.shards[0]!.state } as const;
  const built = executeBlock({
    ...common,
    mode: 'build',
    transactions: [chain.tx(buyer, refund(escrowId))],
    incoming: [],
    timestampMs: DEADLINE,
  });
  assert.equal(built.refusals.length, 0);
  assert.equal(built.timestampMs, DEADLINE);
  const header = headerFor(chain.config, 0, built);
  assert.equal(header.timestampMs, DEADLINE);
  const block = { header, transactions: built.transactions, incoming: built.incoming };
  assert.deepEqual(executeBlock({ ...common, mode: 'validate', block }).stateRoot, built.stateRoot);
  const early = { ...block, header: { ...header, timestampMs: DEADLINE - 1n } };
  assert.throws(
    () => executeBlock({ ...common, mode: 'validate', block: early }),
    (error) =>
      isShardpayError(error) &&
      error.code === 'BLOCK_INVALID' &&
      error.meta?.reason === 'ESCROW_DEADLINE_NOT_REACHED',
  );
});

describe('escrow dispute and settle', () => {
  test('a dispute stops release and the buyer refund; the arbiter splits across shards', () => {
    const { chain, buyer, relayer, merchant } = setup();
    const escrowId = lock(chain, buyer, lockOp(merchant.address));
    assert.equal(
      chain.refusal(
        chain.tx(relayer, settle(escrowId, 300n, authorize(chain, arbiter, escrowId, 'settle', 300n))),
      ),
      'ESCROW_STATE_INVALID',
      'an open escrow is not settled',
    );
    assert.equal(
      chain.refusal(chain.tx(relayer, dispute(escrowId, authorize(chain, oracle, escrowId, 'dispute')))),
      'ESCROW_NOT_AUTHORIZED',
    );
    chain.run(0, [chain.tx(relayer, dispute(escrowId, authorize(chain, merchant, escrowId, 'dispute')))]);
    assert.equal(escrowOf(chain, escrowId).status, 'disputed');
    assert.equal(chain.refusal(chain.tx(buyer, dispute(escrowId))), 'ESCROW_STATE_INVALID');
    assert.equal(chain.refusal(chain.tx(buyer, release(escrowId))), 'ESCROW_STATE_INVALID');
    assert.equal(chain.refusal(chain.tx(buyer, refund(escrowId)), DEADLINE + 1n), 'ESCROW_STATE_INVALID');
    assert.equal(
      chain.refusal(chain.tx(relayer, release(escrowId, authorize(chain, oracle, escrowId, 'release')))),
      'ESCROW_STATE_INVALID',
    );

    const settleBy = (key: TestKey, buyerAmount: bigint, signedAmount = buyerAmount) =>
      chain.tx(
        relayer,
        settle(escrowId, buyerAmount, authorize(chain, key, escrowId, 'settle', signedAmount)),
      );
    assert.equal(chain.refusal(chain.tx(buyer, settle(escrowId, 300n, null))), 'ESCROW_NOT_AUTHORIZED');
    assert.equal(chain.refusal(settleBy(merchant, 0n)), 'ESCROW_NOT_AUTHORIZED');
    assert.equal(chain.refusal(settleBy(arbiter, 300n, 301n)), 'AUTHORIZATION_INVALID');
    assert.equal(chain.refusal(settleBy(arbiter, AMOUNT + 1n)), 'ESCROW_SPLIT_INVALID');

    const buyerBefore = chain.balance(buyer);
    const settled = chain.run(0, [settleBy(arbiter, 300n)]);
    assert.equal(escrowOf(chain, escrowId).status, 'settled');
    assert.equal(chain.balance(buyer), buyerBefore + 300n);
    const receipt = settled.outgoingReceipts[0]!;
    assert.equal(receipt.operation, 'escrow_settle');
    assert.equal(receipt.amount, AMOUNT - 300n);
    assert.deepEqual(receipt.from, buyer.address);
    assert.deepEqual(receipt.to, merchant.address);
    chain.run(1, [], { incoming: [batchFrom(chain.shards[0]!, settled.height, [0])] });
    assert.equal(chain.balance(merchant), START + AMOUNT - 300n);
    assert.equal(chain.refusal(settleBy(arbiter, 300n)), 'ESCROW_STATE_INVALID');
  });

  test('the merchant may still refund a disputed escrow; whole-amount splits pay one side only', () => {
    const { chain, buyer, relayer, merchant } = setup();
    const first = lock(chain, buyer, lockOp(merchant.address));
    chain.run(0, [chain.tx(buyer, dispute(first))]);
    chain.run(0, [chain.tx(relayer, refund(first, authorize(chain, merchant, first, 'refund')))]);
    assert.equal(escrowOf(chain, first).status, 'refunded');

    const second = lock(chain, buyer, lockOp(merchant.address));
    chain.run(0, [chain.tx(buyer, dispute(second))]);
    const allToBuyer = chain.run(0, [
      chain.tx(relayer, settle(second, AMOUNT, authorize(chain, arbiter, second, 'settle', AMOUNT))),
    ]);
    assert.equal(allToBuyer.outgoingReceipts.length, 0, 'nothing goes to the merchant');

    const third = lock(chain, buyer, lockOp(merchant.address));
    chain.run(0, [chain.tx(buyer, dispute(third))]);
    const buyerBefore = chain.balance(buyer);
    const allToMerchant = chain.run(0, [
      chain.tx(relayer, settle(third, 0n, authorize(chain, arbiter, third, 'settle', 0n))),
    ]);
    assert.equal(allToMerchant.outgoingReceipts[0]!.amount, AMOUNT);
    assert.equal(chain.balance(buyer), buyerBefore);
  });

  test('without an arbiter there is no dispute and no settlement', () => {
    const { chain, buyer, relayer, merchant } = setup();
    const escrowId = lock(chain, buyer, lockOp(merchant.address, { arbiter: null, oracle: null }));
    assert.equal(chain.refusal(chain.tx(buyer, dispute(escrowId))), 'ESCROW_NO_ARBITER');
    assert.equal(
      chain.refusal(chain.tx(relayer, settle(escrowId, 0n, authorize(chain, arbiter, escrowId, 'settle')))),
      'ESCROW_NO_ARBITER',
    );
    assert.equal(chain.refusal(chain.tx(buyer, dispute(new Uint8Array(32)))), 'ESCROW_NOT_FOUND');
    assert.equal(chain.refusal(chain.tx(relayer, settle(new Uint8Array(32), 0n, null))), 'ESCROW_NOT_FOUND');
    // No oracle either: only the buyer releases.
    assert.equal(
      chain.refusal(chain.tx(relayer, release(escrowId, authorize(chain, oracle, escrowId, 'release')))),
      'ESCROW_NOT_AUTHORIZED',
    );
  });
});
