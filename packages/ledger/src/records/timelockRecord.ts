import { ShardpayError } from '@shardpay/crypto';
import type { Address, Hash } from '@shardpay/protocol';
import type { StateOverlay } from '../StateOverlay.ts';
import type { RecordSource } from './escrowRecord.ts';
import { timelockKey } from './recordKeys.ts';

/** A 'locked' time lock holds its coins (counted in the supply); 'claimed' and 'cancelled' are terminal. */
export type TimelockStatus = 'locked' | 'claimed' | 'cancelled';

/** A time lock on its creator's shard; its id is the `timelock_create` transaction's id. */
export interface TimelockRecord {
  /** The creator, who may cancel before `unlockHeight`. */
  from: Address;
  /** The receiver, who may claim from `unlockHeight` on. */
  to: Address;
  amount: bigint;
  unlockHeight: bigint;
  status: TimelockStatus;
  createdHeight: bigint;
}

const STATUSES: readonly TimelockStatus[] = ['locked', 'claimed', 'cancelled'];
const RECORD_VERSION = 1;
/** u8 version ‖ from (20) ‖ to (20) ‖ u64 amount ‖ u64 unlockHeight ‖ u8 status ‖ u64 createdHeight. */
const RECORD_BYTES = 1 + 20 + 20 + 8 + 8 + 1 + 8;

function corrupt(message: string): ShardpayError {
  return new ShardpayError('LEDGER_STATE_INVALID', `time lock record: ${message}`, {
    meta: { reason: 'corrupt' },
  });
}

/** Bytes of a time lock record (fixed layout, big-endian; see RECORD_BYTES). */
export function encodeTimelockRecord(record: TimelockRecord): Uint8Array {
  const bytes = new Uint8Array(RECORD_BYTES);
  const view = new DataView(bytes.buffer);
  bytes[0] = RECORD_VERSION;
  bytes.set(record.from, 1);
  bytes.set(record.to, 21);
  view.setBigUint64(41, record.amount);
  view.setBigUint64(49, record.unlockHeight);
  bytes[57] = STATUSES.indexOf(record.status);
  view.setBigUint64(58, record.createdHeight);
  return bytes;
}

/** A time lock record from its bytes; LEDGER_STATE_INVALID (reason 'corrupt') if they are malformed. */
export function decodeTimelockRecord(bytes: Uint8Array): TimelockRecord {
  if (bytes.length !== RECORD_BYTES) throw corrupt('wrong length');
  if (bytes[0] !== RECORD_VERSION) throw corrupt('unknown version');
  const status = STATUSES[bytes[57]!];
  if (status === undefined) throw corrupt('unknown status');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    from: bytes.slice(1, 21),
    to: bytes.slice(21, 41),
    amount: view.getBigUint64(41),
    unlockHeight: view.getBigUint64(49),
    status,
    createdHeight: view.getBigUint64(58),
  };
}

/** The time lock `timelockId` of this shard, or undefined if there is none. */
export function readTimelock(state: RecordSource, timelockId: Hash): TimelockRecord | undefined {
  const bytes = state.getRecord(timelockKey(timelockId));
  return bytes === undefined ? undefined : decodeTimelockRecord(bytes);
}

/** Writes (creates or overwrites) the time lock `timelockId`. */
export function writeTimelock(state: StateOverlay, timelockId: Hash, record: TimelockRecord): void {
  state.putRecord(timelockKey(timelockId), encodeTimelockRecord(record));
}
