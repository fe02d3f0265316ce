/**
 * Typed readers for the node's record reads (`shardpay_getEscrow`, `shardpay_getTimelock`,
 * `shardpay_getMultisig`, `shardpay_getShardControl`): amounts become bigint minor units, heights
 * and nonces bigints. A result of the wrong shape is RPC_ERROR with `meta.path`.
 */
import { asAmount, asHex, asInteger, asObject, asString, asU64, malformed } from './nodeResults.ts';

export type EscrowStatus = 'open' | 'disputed' | 'released' | 'refunded' | 'settled';

/** An escrow as a node of its (the buyer's) shard sees it. */
export interface EscrowState {
  /** The `escrow_lock` transaction's id (hex). */
  escrowId: string;
  shard: number;
  buyer: string;
  merchant: string;
  /** Minor units. */
  amount: bigint;
  orderId: string;
  /** Block time (ms) from which the buyer may take the coins back. */
  deadlineMs: bigint;
  arbiter: string | null;
  /** The delivery oracle's address, if one is named. */
  oracle: string | null;
  status: EscrowStatus;
  lockedHeight: bigint;
  /** Where it was released, refunded or settled; null while open or disputed. */
  closedHeight: bigint | null;
  /** The height it was read at. */
  height: bigint;
}

export type TimelockStatus = 'locked' | 'claimed' | 'cancelled';

/** A time lock as a node of its (the creator's) shard sees it. */
export interface TimelockState {
  timelockId: string;
  shard: number;
  /** The creator, who may cancel before `unlockHeight`. */
  from: string;
  /** The receiver, who may claim from `unlockHeight` (a height of `shard`) on. */
  to: string;
  amount: bigint;
  unlockHeight: bigint;
  status: TimelockStatus;
  createdHeight: bigint;
  height: bigint;
}

/** A multisig account as a node of its shard sees it. */
export interface MultisigState {
  address: string;
  shard: number;
  /** Compressed public keys (hex), ascending: an owner's index is its position here. */
  owners: string[];
  threshold: number;
  /** The next `accountNonce` a `multisig_execute` must carry. */
  nonce: bigint;
  height: bigint;
}

/** One shard's issuer controls. */
export interface ShardControlState {
  shard: number;
  paused: boolean;
  /** The next `controlNonce` an `issuer_control` on this shard must carry. */
  controlNonce: bigint;
  height: bigint;
}

const escrowStatuses: ReadonlySet<string> = new Set(['open', 'disputed', 'released', 'refunded', 'settled']);
const timelockStatuses: ReadonlySet<string> = new Set(['locked', 'claimed', 'cancelled']);

function asNullable<T>(value: unknown, path: string, read: (value: unknown, path: string) => T): T | null {
  return value === null ? null : read(value, path);
}

function asBoolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw malformed(path, 'not a boolean');
  return value;
}

function asLiteral<T extends string>(value: unknown, path: string, allowed: ReadonlySet<string>): T {
  const text = asString(value, path);
  if (!allowed.has(text)) throw malformed(path, 'unknown value');
  return text as T;
}

/** `shardpay_getEscrow`'s result. */
export function readEscrowState(value: unknown): EscrowState {
  const o = asObject(value, '');
  return {
    escrowId: asHex(o.escrowId, 'escrowId', 32),
    shard: asInteger(o.shard, 'shard'),
    buyer: asString(o.buyer, 'buyer'),
    merchant: asString(o.merchant, 'merchant'),
    amount: asAmount(o.amount, 'amount'),
    orderId: asString(o.orderId, 'orderId'),
    deadlineMs: asU64(o.deadlineMs, 'deadlineMs'),
    arbiter: asNullable(o.arbiter, 'arbiter', asString),
    oracle: asNullable(o.oracle, 'oracle', asString),
    status: asLiteral<EscrowStatus>(o.status, 'status', escrowStatuses),
    lockedHeight: asU64(o.lockedHeight, 'lockedHeight'),
    closedHeight: asNullable(o.closedHeight, 'closedHeight', asU64),
    height: asU64(o.height, 'height'),
  };
}

/** `shardpay_getTimelock`'s result. */
export function readTimelockState(value: unknown): TimelockState {
  const o = asObject(value, '');
  return {
    timelockId: asHex(o.timelockId, 'timelockId', 32),
    shard: asInteger(o.shard, 'shard'),
    from: asString(o.from, 'from'),
    to: asString(o.to, 'to'),
    amount: asAmount(o.amount, 'amount'),
    unlockHeight: asU64(o.unlockHeight, 'unlockHeight'),
    status: asLiteral<TimelockStatus>(o.status, 'status', timelockStatuses),
    createdHeight: asU64(o.createdHeight, 'createdHeight'),
    height: asU64(o.height, 'height'),
  };
}

/** `shardpay_getMultisig`'s result. */
export function readMultisigState(value: unknown): MultisigState {
  const o = asObject(value, '');
  if (!Array.isArray(o.owners)) throw malformed('owners', 'not an array');
  return {
    address: asString(o.address, 'address'),
    shard: asInteger(o.shard, 'shard'),
    owners: o.owners.map((owner, index) => asHex(owner, `owners[${index}]`, 33)),
    threshold: asInteger(o.threshold, 'threshold'),
    nonce: asU64(o.nonce, 'nonce'),
    height: asU64(o.height, 'height'),
  };
}

/** `shardpay_getShardControl`'s result. */
export function readShardControlState(value: unknown): ShardControlState {
  const o = asObject(value, '');
  return {
    shard: asInteger(o.shard, 'shard'),
    paused: asBoolean(o.paused, 'paused'),
    controlNonce: asU64(o.controlNonce, 'controlNonce'),
    height: asU64(o.height, 'height'),
  };
}
