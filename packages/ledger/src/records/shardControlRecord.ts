import type { Address } from '@shardpay/protocol';
import { invariantBroken, type StateOverlay } from '../StateOverlay.ts';
import { frozenKey, SHARD_CONTROL_KEY } from './recordKeys.ts';

/** This shard's issuer controls: whether coin movements are paused, and the next control nonce. */
export interface ShardControl {
  paused: boolean;
  controlNonce: bigint;
}

const SHARD_CONTROL_BYTES = 1 + 8;

/** The shard's controls (not paused, nonce 0 until the first `issuer_control`). */
export function readShardControl(state: StateOverlay): ShardControl {
  const bytes = state.getRecord(SHARD_CONTROL_KEY);
  if (bytes === undefined) return { paused: false, controlNonce: 0n };
  if (bytes.length !== SHARD_CONTROL_BYTES || bytes[0]! > 1)
    throw invariantBroken('a shard control record is malformed');
  return {
    paused: bytes[0] === 1,
    controlNonce: new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(1),
  };
}

/** Writes the shard's controls: u8 paused ‖ u64 controlNonce. */
export function writeShardControl(state: StateOverlay, control: ShardControl): void {
  const bytes = new Uint8Array(SHARD_CONTROL_BYTES);
  bytes[0] = control.paused ? 1 : 0;
  new DataView(bytes.buffer).setBigUint64(1, control.controlNonce);
  state.putRecord(SHARD_CONTROL_KEY, bytes);
}

/** Whether an account of this shard is frozen (value 0x01; 0x00 once unfrozen). */
export function isFrozen(state: StateOverlay, address: Address): boolean {
  const bytes = state.getRecord(frozenKey(address));
  return bytes !== undefined && bytes.length === 1 && bytes[0] === 1;
}

/** Freezes or unfreezes an account of this shard. */
export function writeFrozen(state: StateOverlay, address: Address, frozen: boolean): void {
  state.putRecord(frozenKey(address), Uint8Array.of(frozen ? 1 : 0));
}
