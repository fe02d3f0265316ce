import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Operation, TransactionBody } from '@shardpay/protocol';
import { MAX_AMOUNT, MAX_MEMO_BYTES } from '@shardpay/protocol';
import fc from 'fast-check';
import {
  assertSupplyConserved,
  createSimulation,
  drainReceipts,
  nextNonce,
  runBlock,
  type Simulation,
} from './helpers/simulation.ts';
import {
  LOCK_OPERATIONS,
  LOCK_PARTIES,
  type LockOperation,
  type LockParty,
  lockOperationFor,
} from './helpers/simulationLocks.ts';
import { type TestKey, unsignedTx } from './helpers/testNetwork.ts';

/** Seeded runs: a failure prints fast-check's seed and path; LEDGER_SEED=… replays a seed. */
const seed = Number(process.env.LEDGER_SEED ?? 0x5eed_1ed9);

type Garbage =
  | 'none'
  | 'wrongChain'
  | 'wrongShard'
  | 'wrongFee'
  | 'expired'
  | 'longMemo'
  | 'badReference'
  | 'nonceAhead'
  | 'nonceBehind';

interface TxAction {
  kind: 'tx';
  sender: number;
  operation: 'transfer' | 'pay' | 'mint' | 'burn' | LockOperation;
  /** For escrow and time lock actions: who acts (see simulationLocks.ts). */
  party: LockParty;
  recipient: number;
  amount: bigint;
  tag: number;
  garbage: Garbage;
}

interface BlockAction {
  kind: 'block';
  shard: number;
  picks: number[];
}

type Action = TxAction | BlockAction;

const amountArbitrary = fc.oneof(
  { weight: 12, arbitrary: fc.bigInt({ min: 1n, max: 400n }) },
  { weight: 1, arbitrary: fc.constantFrom(0n, -5n, MAX_AMOUNT, MAX_AMOUNT + 1n) },
);

const garbageArbitrary: fc.Arbitrary<Garbage> = fc.oneof(
  { weight: 14, arbitrary: fc.constant('none' as const) },
  {
    weight: 4,
    arbitrary: fc.constantFrom<Garbage>(
      'wrongChain',
      'wrongShard',
      'wrongFee',
      'expired',
      'longMemo',
      'badReference',
      'nonceAhead',
      'nonceBehind',
    ),
  },
);

function actionArbitrary(senders: number, recipients: number): fc.Arbitrary<Action> {
  const tx: fc.Arbitrary<Action> = fc.record({
    kind: fc.constant('tx' as const),
    sender: fc.nat({ max: senders - 1 }),
    operation: fc.oneof(
      {
        weight: 5,
        arbitrary: fc.constantFrom(
          'transfer' as const,
          'transfer' as const,
          'pay' as const,
          'mint' as const,
          'mint' as const,
          'burn' as const,
        ),
      },
      { weight: 4, arbitrary: fc.constantFrom(...LOCK_OPERATIONS) },
    ),
    party: fc.constantFrom(...LOCK_PARTIES),
    recipient: fc.nat({ max: recipients - 1 }),
    amount: amountArbitrary,
    tag: fc.nat({ max: 2 }),
    garbage: garbageArbitrary,
  });
  const block: fc.Arbitrary<Action> = fc.record({
    kind: fc.constant('block' as const),
    shard: fc.nat({ max: 2 }),
    picks: fc.array(fc.nat({ max: 50 }), { maxLength: 4 }),
  });
  return fc.oneof({ weight: 3, arbitrary: tx }, { weight: 2, arbitrary: block });
}

function operationFor(simulation: Simulation, action: TxAction): { sender: TestKey; operation: Operation } {
  const memo = action.garbage === 'longMemo' ? 'm'.repeat(MAX_MEMO_BYTES + 1) : `memo ${action.tag}`;
  switch (action.operation) {
    case 'transfer':
    case 'pay':
    case 'mint':
    case 'burn':
      return {
        sender: simulation.senders[action.sender]!,
        operation: coinOperationFor(simulation, action, memo),
      };
    default:
      return lockOperationFor(simulation, { ...action, operation: action.operation }, memo);
  }
}

function coinOperationFor(simulation: Simulation, action: TxAction, memo: string): Operation {
  const to = simulation.recipients[action.recipient]!;
  const reference = action.garbage === 'badReference' ? '' : `ref-${action.tag}`;
  switch (action.operation) {
    case 'transfer':
      return { type: 'transfer', to, amount: action.amount, memo };
    case 'pay': {
      // Payments go to the keyless merchants with two payment ids, so duplicates (and refunds) happen.
      const merchants = simulation.recipients.slice(simulation.senders.length);
      const merchant = merchants[action.recipient % merchants.length]!;
      const paymentId = action.garbage === 'badReference' ? '' : `order-${action.tag % 2}`;
      return { type: 'pay', merchant, amount: action.amount, paymentId, memo };
    }
    case 'mint':
      return { type: 'mint', to, amount: action.amount, reference };
    default:
      return { type: 'burn', amount: action.amount, payoutReference: reference };
  }
}

function submit(simulation: Simulation, action: TxAction): void {
  const { config } = simulation.network;
  const { sender, operation } = operationFor(simulation, action);
  let nonce = nextNonce(simulation, sender);
  if (action.garbage === 'nonceAhead') nonce += 1n;
  if (action.garbage === 'nonceBehind') nonce = nonce === 0n ? 7n : nonce - 1n;
  const overrides: Partial<TransactionBody> = {};
  let queue = sender.shard;
  if (action.garbage === 'wrongChain') overrides.chainId = 'another-chain';
  if (action.garbage === 'wrongFee') overrides.fee = config.flatFee + 1n;
  if (action.garbage === 'expired') overrides.expiryHeight = 0n;
  if (action.garbage === 'wrongShard') {
    queue = (sender.shard + 1) % config.shardCount;
    if (action.tag === 0) overrides.shard = queue; // claims the other shard, where the sender does not live
  }
  simulation.queues[queue]!.push(unsignedTx(config, sender, nonce, operation, overrides));
}

test('ledger invariants hold across random multi-shard histories (supply, refusals, replays, balances)', () => {
  const probe = createSimulation();
  let blocksRun = 0;
  const stats = new Map<string, number>();
  fc.assert(
    fc.property(
      fc.array(actionArbitrary(probe.senders.length, probe.recipients.length), {
        minLength: 4,
        maxLength: 32,
        size: 'max',
      }),
      (actions) => {
        const simulation = createSimulation({ balance: 1_000n });
        for (const action of actions) {
          if (action.kind === 'tx') submit(simulation, action);
          else {
            runBlock(simulation, action.shard, action.picks);
            assertSupplyConserved(simulation);
          }
        }
        // Deliver everything still in flight: then supply is exactly the sum of balances.
        drainReceipts(simulation);
        assertSupplyConserved(simulation);
        blocksRun += simulation.blocks;
        for (const [key, value] of simulation.stats) stats.set(key, (stats.get(key) ?? 0) + value);
      },
    ),
    { numRuns: 1000, seed },
  );
  // The runs must actually exercise blocks and cross-shard receipts, or the properties say little.
  assert.ok(blocksRun > 3000, `only ${blocksRun} blocks ran`);
  const expected = [
    'receipt:credited',
    'receipt:refunded',
    'receipt:RECEIPT_ALREADY_CONSUMED',
    'emitted:credit:transfer',
    'emitted:credit:pay',
    'emitted:credit:mint',
    'emitted:refund:pay',
    'transaction:INSUFFICIENT_FUNDS',
    'transaction:BAD_NONCE',
    'transaction:WRONG_CHAIN',
    'transaction:WRONG_SHARD',
    'transaction:FEE_INVALID',
    'transaction:EXPIRED',
    'transaction:AMOUNT_INVALID',
    'transaction:AMOUNT_TOO_LARGE',
    'transaction:MEMO_TOO_LONG',
    'transaction:REFERENCE_INVALID',
    'transaction:NOT_ISSUER',
    'transaction:DUPLICATE_PAYMENT_ID',
    'transaction:DUPLICATE_MINT_REFERENCE',
    // Escrows and time locks: every operation accepted, crediting across shards, and their refusals.
    'accepted:escrow_lock',
    'accepted:escrow_release',
    'accepted:escrow_refund',
    'accepted:escrow_dispute',
    'accepted:escrow_settle',
    'accepted:timelock_create',
    'accepted:timelock_claim',
    'accepted:timelock_cancel',
    'emitted:credit:escrow_release',
    'emitted:credit:escrow_settle',
    'emitted:credit:timelock_claim',
    'transaction:DEADLINE_INVALID',
    'transaction:AUTHORIZATION_INVALID',
    'transaction:ESCROW_NOT_FOUND',
    'transaction:ESCROW_NOT_AUTHORIZED',
    'transaction:ESCROW_STATE_INVALID',
    'transaction:ESCROW_NO_ARBITER',
    'transaction:ESCROW_DEADLINE_NOT_REACHED',
    'transaction:TIMELOCK_NOT_FOUND',
    'transaction:TIMELOCK_NOT_AUTHORIZED',
    'transaction:TIMELOCK_LOCKED',
  ];
  if (process.env.LEDGER_STATS) console.log(blocksRun, stats);
  for (const key of expected) assert.ok((stats.get(key) ?? 0) > 0, `the runs never produced ${key}`);
});
