import { bytesToUtf8, ShardpayError, utf8ToBytes } from '@shardpay/crypto';
import type { Address, Hash } from '@shardpay/protocol';
import { MAX_REFERENCE_BYTES } from '@shardpay/protocol';
import type { StateOverlay } from '../StateOverlay.ts';

/** Where records are read: a block's StateOverlay, or committed state (a ShardStateReader). */
export interface RecordSource {
  getRecord(key: Uint8Array): Uint8Array | undefined;
}

import { escrowKey } from './recordKeys.ts';

/**
 * Open escrows hold coins (counted in the supply) until released, refunded or settled; every later
 * state is terminal. 'disputed' still holds them, and only the arbiter moves them on.
 */
export type EscrowStatus = 'open' | 'disputed' | 'released' | 'refunded' | 'settled';

/** An escrow on the buyer's shard; its id is the `escrow_lock` transaction's id. */
export interface EscrowRecord {
  buyer: Address;
  merchant: Address;
  amount: bigint;
  orderId: string;
  /** Block time (ms) from which the buyer may take the coins back. */
  deadlineMs: bigint;
  arbiter: Address | null;
  oracle: Address | null;
  status: EscrowStatus;
  lockedHeight: bigint;
  /** The height that released, refunded or settled it; null while open or disputed. */
  closedHeight: bigint | null;
}

const STATUSES: readonly EscrowStatus[] = ['open', 'disputed', 'released', 'refunded', 'settled'];
const RECORD_VERSION = 1;

function corrupt(message: string): ShardpayError {
  return new ShardpayError('LEDGER_STATE_INVALID', `escrow record: ${message}`, {
    meta: { reason: 'corrupt' },
  });
}

/**
 * Bytes of an escrow record (big-endian):
 * u8 version 1 ‖ buyer (20) ‖ merchant (20) ‖ u64 amount ‖ u64 deadlineMs ‖ u8 status ‖
 * u64 lockedHeight ‖ u8 0|1 [‖ u64 closedHeight] ‖ u8 0|1 [‖ arbiter (20)] ‖ u8 0|1 [‖ oracle (20)] ‖
 * u8 orderId length ‖ orderId (UTF-8).
 */
export function encodeEscrowRecord(record: EscrowRecord): Uint8Array {
  const orderId = utf8ToBytes(record.orderId);
  const size =
    1 +
    20 +
    20 +
    8 +
    8 +
    1 +
    8 +
    1 +
    (record.closedHeight === null ? 0 : 8) +
    1 +
    (record.arbiter === null ? 0 : 20) +
    1 +
    (record.oracle === null ? 0 : 20) +
    1 +
    orderId.length;
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  let at = 0;
  const putBytes = (value: Uint8Array) => {
    bytes.set(value, at);
    at += value.length;
  };
  const putU64 = (value: bigint) => {
    view.setBigUint64(at, value);
    at += 8;
  };
  bytes[at++] = RECORD_VERSION;
  putBytes(record.buyer);
  putBytes(record.merchant);
  putU64(record.amount);
  putU64(record.deadlineMs);
  bytes[at++] = STATUSES.indexOf(record.status);
  putU64(record.lockedHeight);
  bytes[at++] = record.closedHeight === null ? 0 : 1;
  if (record.closedHeight !== null) putU64(record.closedHeight);
  bytes[at++] = record.arbiter === null ? 0 : 1;
  if (record.arbiter !== null) putBytes(record.arbiter);
  bytes[at++] = record.oracle === null ? 0 : 1;
  if (record.oracle !== null) putBytes(record.oracle);
  bytes[at++] = orderId.length;
  putBytes(orderId);
  return bytes;
}

/** An escrow record from its bytes; LEDGER_STATE_INVALID (reason 'corrupt') if they are malformed. */
export function decodeEscrowRecord(bytes: Uint8Array): EscrowRecord {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const need = (count: number) => {
    if (at + count > bytes.length) throw corrupt('truncated');
  };
  const u8 = () => {
    need(1);
    return bytes[at++]!;
  };
  const take = (count: number) => {
    need(count);
    const value = bytes.slice(at, at + count);
    at += count;
    return value;
  };
  const u64 = () => {
    need(8);
    const value = view.getBigUint64(at);
    at += 8;
    return value;
  };
  const flag = () => {
    const value = u8();
    if (value > 1) throw corrupt('bad presence flag');
    return value === 1;
  };
  if (u8() !== RECORD_VERSION) throw corrupt('unknown version');
  const buyer = take(20);
  const merchant = take(20);
  const amount = u64();
  const deadlineMs = u64();
  const status = STATUSES[u8()];
  if (status === undefined) throw corrupt('unknown status');
  const lockedHeight = u64();
  const closedHeight = flag() ? u64() : null;
  const arbiter = flag() ? take(20) : null;
  const oracle = flag() ? take(20) : null;
  const orderIdLength = u8();
  if (orderIdLength < 1 || orderIdLength > MAX_REFERENCE_BYTES) throw corrupt('bad order id length');
  const orderIdBytes = take(orderIdLength);
  if (at !== bytes.length) throw corrupt('trailing bytes');
  let orderId: string;
  try {
    orderId = bytesToUtf8(orderIdBytes);
  } catch {
    throw corrupt('order id is not UTF-8');
  }
  const closed = status !== 'open' && status !== 'disputed';
  if (closed !== (closedHeight !== null)) throw corrupt('closed height does not match the status');
  return {
    buyer,
    merchant,
    amount,
    orderId,
    deadlineMs,
    arbiter,
    oracle,
    status,
    lockedHeight,
    closedHeight,
  };
}

/** The escrow `escrowId` of this shard, or undefined if there is none. */
export function readEscrow(state: RecordSource, escrowId: Hash): EscrowRecord | undefined {
  const bytes = state.getRecord(escrowKey(escrowId));
  return bytes === undefined ? undefined : decodeEscrowRecord(bytes);
}

/** Writes (creates or overwrites) the escrow `escrowId`. */
export function writeEscrow(state: StateOverlay, escrowId: Hash, record: EscrowRecord): void {
  state.putRecord(escrowKey(escrowId), encodeEscrowRecord(record));
}

/** Whether an escrow still holds its coins (counted in the shard's supply). */
export function isEscrowHolding(record: EscrowRecord): boolean {
  return record.status === 'open' || record.status === 'disputed';
}
