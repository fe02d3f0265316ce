import { addressFromPublicKey, bytesToHex } from '@shardpay/crypto';
import type { Address, Authorization, Hash, Operation, Transaction } from '@shardpay/protocol';
import {
  escrowActionSigningHash,
  shardOfAddress,
  signAuthorization,
  timelockClaimSigningHash,
  transactionId,
} from '@shardpay/protocol';
import {
  decodeEscrowRecord,
  decodeTimelockRecord,
  type EscrowRecord,
  isEscrowHolding,
  type TimelockRecord,
} from '../../src/index.ts';
import { RecordKind } from '../../src/records/recordKeys.ts';
import type { Simulation } from './simulation.ts';
import { type TestKey, testKey } from './testNetwork.ts';

/**
 * Escrow and time lock actions for the property runs: they pick existing records (or an unknown id),
 * act as one party or another (the sender itself, or an authorization signed by a party or by a
 * stranger), so that every path — and most refusals — happen across shards.
 */
export type LockOperation =
  | 'escrow_lock'
  | 'escrow_release'
  | 'escrow_refund'
  | 'escrow_dispute'
  | 'escrow_settle'
  | 'timelock_create'
  | 'timelock_claim'
  | 'timelock_cancel';

export const LOCK_OPERATIONS: readonly LockOperation[] = [
  'escrow_lock',
  'escrow_release',
  'escrow_release',
  'escrow_refund',
  'escrow_refund',
  'escrow_dispute',
  'escrow_dispute',
  'escrow_settle',
  'escrow_settle',
  'timelock_create',
  'timelock_claim',
  'timelock_claim',
  'timelock_cancel',
];

/** Who acts: the record's own party sends itself, or the chosen sender carries someone's authorization. */
/** 'forged': the right party's key, but signed over another record's id (AUTHORIZATION_INVALID). */
export type LockParty =
  | 'owner'
  | 'sender'
  | 'buyer'
  | 'merchant'
  | 'oracle'
  | 'arbiter'
  | 'stranger'
  | 'forged';
export const LOCK_PARTIES: readonly LockParty[] = [
  'owner',
  'owner',
  'sender',
  'buyer',
  'merchant',
  'oracle',
  'arbiter',
  'stranger',
  'forged',
];

export interface LockAction {
  operation: LockOperation;
  party: LockParty;
  sender: number;
  recipient: number;
  amount: bigint;
  tag: number;
}

const oracle = testKey('sim-oracle', 3);
const arbiter = testKey('sim-arbiter', 3);
const stranger = testKey('sim-stranger', 3);
const authorizations = new Map<string, Authorization>();

function sign(hash: Hash, key: TestKey): Authorization {
  const cacheKey = `${bytesToHex(hash)}:${bytesToHex(key.publicKey)}`;
  let authorization = authorizations.get(cacheKey);
  if (authorization === undefined) {
    authorization = signAuthorization(hash, key.privateKey);
    authorizations.set(cacheKey, authorization);
  }
  return authorization;
}

/**
 * The records of `kind` on every shard, and those that transactions waiting in the queues will create
 * (their id is the creating transaction's id), so an action can follow its lock in the same block.
 */
function records<T>(
  simulation: Simulation,
  kind: number,
  decode: (bytes: Uint8Array) => T,
  queued: (tx: Transaction) => T | undefined,
) {
  const found: Array<{ id: Hash; shard: number; record: T }> = [];
  simulation.shards.forEach((shard, index) => {
    shard.store.forEachRecord((key, value) => {
      if (key[0] === kind) found.push({ id: key.slice(1), shard: index, record: decode(value) });
    });
    for (const tx of simulation.queues[index]!) {
      // A queued dispute disputes its escrow first, so a settlement can follow in the same block.
      if (tx.operation.type === 'escrow_dispute') {
        const hex = bytesToHex(tx.operation.escrowId);
        const target = found.find((entry) => bytesToHex(entry.id) === hex);
        if (target !== undefined) target.record = { ...target.record, status: 'disputed' };
      }
      const record = queued(tx);
      const id = record === undefined ? undefined : idOf(tx);
      if (record !== undefined && id !== undefined) found.push({ id, shard: index, record });
    }
  });
  return found;
}

/** A queued transaction's id; undefined for garbage the codec cannot encode (it will be refused). */
function idOf(tx: Transaction): Hash | undefined {
  try {
    return transactionId(tx);
  } catch {
    return undefined;
  }
}

function queuedEscrow(tx: Transaction): EscrowRecord | undefined {
  const { operation } = tx;
  if (operation.type !== 'escrow_lock') return undefined;
  return {
    ...operation,
    buyer: addressFromPublicKey(tx.publicKey),
    status: 'open',
    lockedHeight: 0n,
    closedHeight: null,
  };
}

function queuedTimelock(tx: Transaction): TimelockRecord | undefined {
  const { operation } = tx;
  if (operation.type !== 'timelock_create') return undefined;
  return { ...operation, from: addressFromPublicKey(tx.publicKey), status: 'locked', createdHeight: 0n };
}

function keyOf(simulation: Simulation, address: Address | null): TestKey | undefined {
  if (address === null) return undefined;
  const hex = bytesToHex(address);
  return [...simulation.senders, oracle, arbiter].find((key) => bytesToHex(key.address) === hex);
}

/** The sender at `index` among those living on `shard` (any sender if none does). */
function senderOn(simulation: Simulation, shard: number, index: number): TestKey {
  const local = simulation.senders.filter((key) => key.shard === shard);
  const pool = local.length > 0 ? local : simulation.senders;
  return pool[index % pool.length]!;
}

/** The id an authorization signs: the record's, or for a forgery another one. */
function signedId(id: Hash, action: LockAction): Hash {
  if (action.party !== 'forged') return id;
  const other = id.slice();
  other[0]! ^= 0xff;
  return other;
}

function committedHeight(simulation: Simulation, shard: number): bigint {
  return simulation.shards[shard]!.store.getMeta()!.height;
}

/**
 * Picks a record: 1 time in 8 an unknown id (so ..._NOT_FOUND happens), mostly one the action can
 * move on (so actions progress), sometimes any (so replays and late actions are refused).
 */
function pick<T>(
  found: Array<{ id: Hash; shard: number; record: T }>,
  action: LockAction,
  preferred: (record: T, shard: number) => boolean,
) {
  const salt = action.sender * 3 + action.tag + Number(((action.amount % 1000n) + 1000n) % 1000n);
  if (found.length === 0 || salt % 8 === 0) return undefined;
  const open = found.filter((entry) => preferred(entry.record, entry.shard));
  const pool = open.length > 0 && salt % 4 !== 0 ? open : found;
  return pool[salt % pool.length];
}

/**
 * The sender and operation of a lock action. Block time is the height in the simulation (executeBlock's
 * default), so deadlines and unlock heights are a few blocks ahead of the shard's committed height.
 */
export function lockOperationFor(
  simulation: Simulation,
  action: LockAction,
  memo: string,
): { sender: TestKey; operation: Operation } {
  const actionSender = simulation.senders[action.sender]!;
  const to = simulation.recipients[action.recipient]!;
  const ahead = (shard: number) => committedHeight(simulation, shard) + BigInt(action.tag) * 2n;
  switch (action.operation) {
    case 'escrow_lock':
      return {
        sender: actionSender,
        operation: {
          type: 'escrow_lock',
          merchant: to,
          amount: action.amount,
          orderId: `order-${action.tag}`,
          deadlineMs: ahead(actionSender.shard),
          arbiter: action.tag === 2 ? null : arbiter.address,
          oracle: action.tag === 1 ? null : oracle.address,
          memo,
        },
      };
    case 'timelock_create':
      return {
        sender: actionSender,
        operation: {
          type: 'timelock_create',
          to,
          amount: action.amount,
          unlockHeight: ahead(actionSender.shard) + 1n,
          memo,
        },
      };
    case 'timelock_claim':
    case 'timelock_cancel': {
      const found = records(simulation, RecordKind.timelock, decodeTimelockRecord, queuedTimelock);
      // Nothing to act on yet: mostly create a lock instead, so later actions find one.
      if (found.length === 0 && action.tag !== 0) {
        return lockOperationFor(simulation, { ...action, operation: 'timelock_create' }, memo);
      }
      const claimable = (record: TimelockRecord, shard: number) =>
        record.status === 'locked' &&
        (action.operation === 'timelock_cancel' ||
          record.unlockHeight <= committedHeight(simulation, shard) + 1n);
      const chosen = pick(found, action, claimable);
      const id = chosen?.id ?? new Uint8Array(32).fill(action.tag);
      const shard = chosen?.shard ?? actionSender.shard;
      if (action.operation === 'timelock_cancel') {
        const creator = action.party === 'owner' ? keyOf(simulation, chosen?.record.from ?? null) : undefined;
        return {
          sender: creator ?? senderOn(simulation, shard, action.sender),
          operation: { type: 'timelock_cancel', timelockId: id },
        };
      }
      const receiver = keyOf(simulation, chosen?.record.to ?? null);
      if (action.party === 'owner' && receiver !== undefined && receiver.shard === shard) {
        return {
          sender: receiver,
          operation: { type: 'timelock_claim', timelockId: id, authorization: null },
        };
      }
      const signer =
        action.party === 'sender'
          ? undefined
          : action.party === 'stranger'
            ? stranger
            : (receiver ?? stranger);
      const hash = timelockClaimSigningHash(simulation.network.config.chainId, signedId(id, action));
      return {
        sender: senderOn(simulation, shard, action.sender),
        operation: {
          type: 'timelock_claim',
          timelockId: id,
          authorization: signer === undefined ? null : sign(hash, signer),
        },
      };
    }
    default: {
      const found = records(simulation, RecordKind.escrow, decodeEscrowRecord, queuedEscrow);
      if (found.length === 0 && action.tag !== 0) {
        return lockOperationFor(simulation, { ...action, operation: 'escrow_lock' }, memo);
      }
      // Nothing disputed to settle yet: mostly dispute one instead, so a later settlement finds it.
      if (
        action.operation === 'escrow_settle' &&
        action.tag !== 0 &&
        !found.some((entry) => entry.record.status === 'disputed' && entry.record.arbiter !== null)
      ) {
        return lockOperationFor(simulation, { ...action, operation: 'escrow_dispute' }, memo);
      }
      const chosen = pick(found, action, (record) =>
        action.operation === 'escrow_settle' ? record.status === 'disputed' : record.status === 'open',
      );
      const id = chosen?.id ?? new Uint8Array(32).fill(action.tag + 1);
      const shard = chosen?.shard ?? actionSender.shard;
      const escrow = chosen?.record;
      const kind = action.operation.slice('escrow_'.length) as 'release' | 'refund' | 'dispute' | 'settle';
      // A split of at most amount + 1 (one above: ESCROW_SPLIT_INVALID); garbage amounts stay u64.
      const range =
        escrow !== undefined && escrow.amount > 0n && escrow.amount < 1_000_000n ? escrow.amount + 2n : 3n;
      const buyerAmount = kind === 'settle' ? ((action.amount % range) + range) % range : 0n;
      const owner =
        escrow === undefined
          ? undefined
          : keyOf(
              simulation,
              kind === 'settle'
                ? escrow.arbiter
                : kind === 'refund' && action.tag === 0
                  ? escrow.merchant
                  : escrow.buyer,
            );
      // No sender is ever an arbiter: a settlement the sender makes itself is the arbiter's, carried.
      const party = kind === 'settle' && action.party === 'sender' ? 'owner' : action.party;
      const actor = {
        owner,
        sender: undefined,
        buyer: keyOf(simulation, escrow?.buyer ?? null),
        merchant: keyOf(simulation, escrow?.merchant ?? null),
        oracle,
        arbiter,
        stranger,
        forged: owner ?? oracle,
      }[party];
      // The owner sends itself when it is a funded sender of the escrow's shard; otherwise it is carried.
      const selfSends =
        party === 'owner' &&
        owner !== undefined &&
        simulation.senders.includes(owner) &&
        shardOfAddress(simulation.network.config, owner.address) === shard;
      const sender = selfSends ? owner : senderOn(simulation, shard, action.sender);
      const authorization =
        selfSends || actor === undefined
          ? null
          : sign(
              escrowActionSigningHash(
                simulation.network.config.chainId,
                signedId(id, action),
                kind,
                buyerAmount,
              ),
              actor,
            );
      const operation: Operation =
        kind === 'settle'
          ? { type: 'escrow_settle', escrowId: id, buyerAmount, authorization }
          : { type: `escrow_${kind}`, escrowId: id, authorization };
      return { sender, operation };
    }
  }
}
