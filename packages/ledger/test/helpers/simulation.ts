import assert from 'node:assert/strict';
import { bytesToHex, equalBytes } from '@shardpay/crypto';
import type { Address, Hash, IncomingReceiptBatch, Receipt, Transaction } from '@shardpay/protocol';
import { shardOfAddress } from '@shardpay/protocol';
import {
  decodeEscrowRecord,
  decodeTimelockRecord,
  executeBlock,
  isEscrowHolding,
  readAccount,
} from '../../src/index.ts';
import { RecordKind } from '../../src/records/recordKeys.ts';
import {
  addressOnShard,
  batchFrom,
  commitExecution,
  createTestNetwork,
  createTestShard,
  headerFor,
  type TestKey,
  type TestNetwork,
  type TestShard,
  trustingChecks,
} from './testNetwork.ts';

/** An emitted receipt with where it came from. */
export interface EmittedReceipt {
  receipt: Receipt;
  id: Hash;
  sourceShard: number;
  height: bigint;
}

/** A whole test network in one process: every shard's state, pending transactions and receipts in flight. */
export interface Simulation {
  network: TestNetwork;
  shards: TestShard[];
  /** Keys that sign: the users, then the issuer. */
  senders: TestKey[];
  /** Addresses that receive: the senders, then one keyless merchant per shard. */
  recipients: Address[];
  /** Transactions waiting for the next block of each shard. */
  queues: Transaction[][];
  /** Every receipt any block emitted. */
  emitted: EmittedReceipt[];
  blocks: number;
  /** How often each refusal code and incoming outcome occurred (to check the runs cover them). */
  stats: Map<string, number>;
  /** How many times each (merchant, paymentId) and (issuer, reference) was accepted: never more than once. */
  acceptances: Map<string, number>;
}

export function createSimulation(options: { balance?: bigint; flatFee?: bigint } = {}): Simulation {
  const network = createTestNetwork({ shardCount: 3, usersPerShard: 2, ...options });
  const shardCount = network.config.shardCount;
  const shards = Array.from({ length: shardCount }, (_, shard) => createTestShard(network.config, shard));
  const senders = [...network.users, network.issuer];
  const merchants = Array.from({ length: shardCount }, (_, shard) =>
    addressOnShard('merchant', shard, shardCount),
  );
  return {
    network,
    shards,
    senders,
    recipients: [...senders.map((key) => key.address), ...merchants],
    queues: shards.map(() => []),
    emitted: [],
    blocks: 0,
    stats: new Map(),
    acceptances: new Map(),
  };
}

function shardOf(simulation: Simulation, address: Address): number {
  return shardOfAddress(simulation.network.config, address);
}

/** The nonce a new transaction of `sender` should carry: committed nonce plus what waits in its shard's queue. */
export function nextNonce(simulation: Simulation, sender: TestKey): bigint {
  const committed = readAccount(simulation.shards[sender.shard]!.state, sender.address).nonce;
  const waiting = simulation.queues[sender.shard]!.filter((tx) =>
    equalBytes(tx.publicKey, sender.publicKey),
  ).length;
  return committed + BigInt(waiting);
}

/** Groups receipts into batches, one per run of receipts from the same source block. */
function toBatches(simulation: Simulation, chosen: EmittedReceipt[]): IncomingReceiptBatch[] {
  const batches: IncomingReceiptBatch[] = [];
  let run: EmittedReceipt[] = [];
  const flush = () => {
    if (run.length === 0) return;
    const first = run[0]!;
    batches.push(
      batchFrom(
        simulation.shards[first.sourceShard]!,
        first.height,
        run.map((entry) => entry.receipt.index),
      ),
    );
    run = [];
  };
  for (const entry of chosen) {
    const last = run[run.length - 1];
    if (last !== undefined && (last.sourceShard !== entry.sourceShard || last.height !== entry.height))
      flush();
    run.push(entry);
  }
  flush();
  return batches;
}

/** Receipts that target `shard` and were not consumed there yet. */
export function pendingReceiptsFor(simulation: Simulation, shard: number): EmittedReceipt[] {
  const target = simulation.shards[shard]!;
  return simulation.emitted.filter(
    (entry) => entry.receipt.targetShard === shard && !target.store.isReceiptConsumed(entry.id),
  );
}

/**
 * Builds, validates and commits one block of `shard` from its queue and the chosen receipts (any receipt
 * that targets the shard, consumed or not, in the chosen order: late, out of order, twice), checking on
 * the way that validation agrees with the build, that the refused candidates changed nothing and that
 * replaying the block's transactions and receipts is refused.
 */
export function runBlock(simulation: Simulation, shard: number, picks: readonly number[]): void {
  const { config } = simulation.network;
  const target = simulation.shards[shard]!;
  const deliverable = simulation.emitted.filter((entry) => entry.receipt.targetShard === shard);
  const chosen = deliverable.length === 0 ? [] : picks.map((pick) => deliverable[pick % deliverable.length]!);
  const incoming = toBatches(simulation, chosen);
  const transactions = simulation.queues[shard]!;
  simulation.queues[shard] = [];
  const before = target.store.getMeta()!;
  const common = { config, shard, state: target.state, checks: trustingChecks };

  const built = executeBlock({ ...common, mode: 'build', transactions, incoming });
  assert.equal(
    built.transactions.length + built.refusals.filter((r) => r.kind === 'transaction').length,
    transactions.length,
  );

  // Validators re-execute the proposal and reach the same roots.
  const header = headerFor(config, shard, built);
  const validated = executeBlock({
    ...common,
    mode: 'validate',
    block: { header, transactions: built.transactions, incoming: built.incoming },
  });
  assert.ok(equalBytes(validated.stateRoot, built.stateRoot));
  assert.ok(equalBytes(validated.receiptsRoot, built.receiptsRoot));

  // Refused candidates changed nothing: the accepted ones alone give the same block.
  const acceptedOnly = executeBlock({
    ...common,
    mode: 'build',
    transactions: built.transactions,
    incoming: built.incoming,
  });
  assert.equal(acceptedOnly.refusals.length, 0);
  assert.ok(equalBytes(acceptedOnly.stateRoot, built.stateRoot));
  assert.ok(equalBytes(acceptedOnly.receiptsRoot, built.receiptsRoot));
  // …and each refused transaction, tried right where it stood, leaves every account and the root as they were.
  const acceptedIndices = new Set<number>();
  {
    const refusedIndices = new Set(
      built.refusals.flatMap((r) => (r.kind === 'transaction' ? [r.index] : [])),
    );
    transactions.forEach((_, index) => {
      if (!refusedIndices.has(index)) acceptedIndices.add(index);
    });
  }
  for (const refusal of built.refusals) {
    if (refusal.kind !== 'transaction') continue;
    const prefix = transactions.filter((_, index) => index < refusal.index && acceptedIndices.has(index));
    const without = executeBlock({
      ...common,
      mode: 'build',
      transactions: prefix,
      incoming: built.incoming,
    });
    const withRefused = executeBlock({
      ...common,
      mode: 'build',
      transactions: [...prefix, transactions[refusal.index]!],
      incoming: built.incoming,
    });
    assert.equal(withRefused.transactions.length, prefix.length);
    assert.equal(withRefused.refusals.at(-1)?.code, refusal.code);
    assert.ok(equalBytes(withRefused.stateRoot, without.stateRoot));
    assert.deepEqual(withRefused.diff.accounts, without.diff.accounts);
    assert.equal(withRefused.outgoingReceipts.length, without.outgoingReceipts.length);
  }
  if (built.transactions.length === 0 && built.incoming.length === 0) {
    assert.ok(equalBytes(built.stateRoot, before.stateRoot), 'an empty block changed the state root');
  }

  commitExecution(simulation.network, target, built);
  simulation.blocks++;
  const count = (key: string) => simulation.stats.set(key, (simulation.stats.get(key) ?? 0) + 1);
  for (const refusal of built.refusals) count(`${refusal.kind}:${refusal.code}`);
  for (const tx of built.transactions) count(`accepted:${tx.operation.type}`);
  for (const outcome of built.incomingOutcomes) count(`receipt:${outcome.outcome}`);
  for (const receipt of built.outgoingReceipts) count(`emitted:${receipt.kind}:${receipt.operation}`);
  const accept = (key: string) => {
    const times = (simulation.acceptances.get(key) ?? 0) + 1;
    simulation.acceptances.set(key, times);
    assert.equal(times, 1, `${key} was accepted twice`);
  };
  for (const tx of built.transactions) {
    const { operation } = tx;
    if (operation.type === 'pay' && shardOf(simulation, operation.merchant) === shard) {
      accept(`pay:${bytesToHex(operation.merchant)}:${operation.paymentId}`);
    }
    if (operation.type === 'mint') accept(`mint:${bytesToHex(tx.publicKey)}:${operation.reference}`);
  }
  for (const { outcome, receipt } of built.incomingOutcomes) {
    if (outcome === 'credited' && receipt.kind === 'credit' && receipt.operation === 'pay') {
      accept(`pay:${bytesToHex(receipt.to)}:${receipt.paymentId}`);
    }
  }
  built.outgoingReceipts.forEach((receipt, index) => {
    simulation.emitted.push({
      receipt,
      id: built.outgoingReceiptIds[index]!,
      sourceShard: shard,
      height: built.height,
    });
  });

  // Replaying anything the block accepted is refused.
  const replay = executeBlock({
    ...common,
    mode: 'build',
    transactions: built.transactions,
    incoming: built.incoming,
  });
  assert.equal(replay.transactions.length, 0);
  assert.equal(replay.incoming.length, 0);
  for (const refusal of replay.refusals) {
    assert.equal(refusal.code, refusal.kind === 'transaction' ? 'BAD_NONCE' : 'RECEIPT_ALREADY_CONSUMED');
  }
  assert.equal(replay.refusals.length, built.transactions.length + built.incomingOutcomes.length);
}

/**
 * Total supply (minted − burned over all shards), all balances, the coins held by open or disputed
 * escrows and locked time locks, and the amount in receipts not yet consumed.
 */
export function supplyLedger(simulation: Simulation): {
  supply: bigint;
  balances: bigint;
  locked: bigint;
  inFlight: bigint;
} {
  let supply = 0n;
  let balances = 0n;
  let locked = 0n;
  for (const shard of simulation.shards) {
    shard.store.forEachRecord((key, value) => {
      if (key[0] === RecordKind.escrow) {
        const escrow = decodeEscrowRecord(value);
        if (isEscrowHolding(escrow)) locked += escrow.amount;
      } else if (key[0] === RecordKind.timelock) {
        const timelock = decodeTimelockRecord(value);
        if (timelock.status === 'locked') locked += timelock.amount;
      }
    });
    const meta = shard.store.getMeta()!;
    supply += meta.minted - meta.burned;
    shard.store.forEachAccount((_, account) => {
      assert.ok(account.balance >= 0n, 'a balance went negative');
      assert.ok(account.nonce >= 0n);
      balances += account.balance;
    });
  }
  let inFlight = 0n;
  for (const entry of simulation.emitted) {
    if (!simulation.shards[entry.receipt.targetShard]!.store.isReceiptConsumed(entry.id)) {
      inFlight += entry.receipt.amount;
    }
  }
  return { supply, balances, locked, inFlight };
}

/** Asserts supply = minted − burned = balances + escrowed and time-locked coins + receipts in flight. */
export function assertSupplyConserved(simulation: Simulation): void {
  const { supply, balances, locked, inFlight } = supplyLedger(simulation);
  assert.equal(
    balances + locked + inFlight,
    supply,
    `supply ${supply} ≠ balances ${balances} + locked ${locked} + in flight ${inFlight}`,
  );
}

/** Delivers every pending receipt (refunds included) until none is in flight. */
export function drainReceipts(simulation: Simulation): void {
  for (let round = 0; round < 4; round++) {
    let delivered = false;
    for (let shard = 0; shard < simulation.shards.length; shard++) {
      const pending = pendingReceiptsFor(simulation, shard);
      if (pending.length === 0) continue;
      const deliverable = simulation.emitted.filter((entry) => entry.receipt.targetShard === shard);
      runBlock(
        simulation,
        shard,
        pending.map((entry) => deliverable.indexOf(entry)),
      );
      delivered = true;
    }
    if (!delivered) return;
  }
  assert.fail('receipts still in flight after draining');
}
