/**
 * The store's own byte layouts: keys (big-endian, so byte order is numeric order) and the small
 * records that are not protocol objects (locations, statuses, last signed, tip, identity).
 * Protocol objects themselves are stored in `@shardpay/protocol`'s canonical encoding.
 */

import type { Hash } from '@shardpay/protocol';
import { ShardpayError } from '@shardpay/protocol';
import type { LastSignedRecord, SigningStep, TxStage, TxStatusRecord } from './ChainStore.ts';
import type { TableName } from './KvBackend.ts';
import { StorageErrorCode } from './storageErrorCodes.ts';

export const HASH_BYTES = 32;
const MAX_U64 = (1n << 64n) - 1n;
const MAX_U32 = 0xffff_ffff;
const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** STORE_INVALID_ARGUMENT for `field`. */
export function invalidArgument(field: string, reason: string, message: string): ShardpayError {
  return new ShardpayError(StorageErrorCode.STORE_INVALID_ARGUMENT, `${field}: ${message}`, {
    meta: { field, reason },
  });
}

/** STORE_CORRUPT for bytes read from `table`. */
export function corrupt(table: TableName, reason: string, cause?: unknown): ShardpayError {
  return new ShardpayError(StorageErrorCode.STORE_CORRUPT, `stored ${table} record is corrupt: ${reason}`, {
    meta: { table, reason },
    ...(cause === undefined ? {} : { cause }),
  });
}

export function assertHeight(height: unknown, field: string): asserts height is bigint {
  if (typeof height !== 'bigint' || height < 0n || height > MAX_U64) {
    throw invalidArgument(field, 'not_u64', 'must be a bigint in 0..2^64-1');
  }
}

export function assertHash(hash: unknown, field: string): asserts hash is Hash {
  if (!(hash instanceof Uint8Array) || hash.length !== HASH_BYTES) {
    throw invalidArgument(field, 'not_hash', `must be ${HASH_BYTES} bytes`);
  }
}

export function assertIndex(index: unknown, field: string): asserts index is number {
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index > MAX_U32) {
    throw invalidArgument(field, 'not_u32', 'must be an integer in 0..2^32-1');
  }
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

/** 8 bytes, big-endian. */
export function heightToKey(height: bigint): Uint8Array {
  const key = new Uint8Array(8);
  new DataView(key.buffer).setBigUint64(0, height);
  return key;
}

export function keyToHeight(bytes: Uint8Array, table: TableName): bigint {
  if (bytes.length !== 8) throw corrupt(table, 'height_length');
  return new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0);
}

/** Height then position, 12 bytes big-endian: sorts by height, then index. */
export function locationToKey(height: bigint, index: number): Uint8Array {
  const key = new Uint8Array(12);
  const view = new DataView(key.buffer);
  view.setBigUint64(0, height);
  view.setUint32(8, index);
  return key;
}

export function keyToLocation(bytes: Uint8Array, table: TableName): { height: bigint; index: number } {
  if (bytes.length !== 12) throw corrupt(table, 'location_length');
  const view = new DataView(bytes.buffer, bytes.byteOffset, 12);
  return { height: view.getBigUint64(0), index: view.getUint32(8) };
}

/** The smallest key above every key that starts with `prefix`; undefined when there is none (empty or all 0xff). */
export function prefixUpperBound(prefix: Uint8Array): Uint8Array | undefined {
  const bound = prefix.slice();
  for (let index = bound.length - 1; index >= 0; index--) {
    if (bound[index]! < 0xff) {
      bound[index]! += 1;
      return bound.subarray(0, index + 1);
    }
  }
  return undefined;
}

/** The smallest key strictly greater than `key`. */
export function keySuccessor(key: Uint8Array): Uint8Array {
  const next = new Uint8Array(key.length + 1);
  next.set(key);
  return next;
}

export function utf8(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

// ---------------------------------------------------------------------------------------------
// Records

const TX_STAGES: readonly TxStage[] = ['credited', 'refused', 'refunded'];
const SIGNING_STEPS: readonly SigningStep[] = ['propose', 'prevote', 'precommit'];
const RECORD_VERSION = 1;

/** Position of a step within a round: propose < prevote < precommit. */
export function signingStepOrder(step: SigningStep): number {
  return SIGNING_STEPS.indexOf(step);
}

export function assertTxStage(stage: unknown, field: string): asserts stage is TxStage {
  if (!TX_STAGES.includes(stage as TxStage))
    throw invalidArgument(field, 'unknown_stage', `is not one of ${TX_STAGES.join(', ')}`);
}

export function assertSigningStep(step: unknown, field: string): asserts step is SigningStep {
  if (!SIGNING_STEPS.includes(step as SigningStep)) {
    throw invalidArgument(field, 'unknown_step', `is not one of ${SIGNING_STEPS.join(', ')}`);
  }
}

/** version ‖ stage ‖ height u64 ‖ receiptId (42 bytes). */
export function encodeTxStatus(status: TxStatusRecord): Uint8Array {
  const bytes = new Uint8Array(2 + 8 + HASH_BYTES);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, RECORD_VERSION);
  view.setUint8(1, TX_STAGES.indexOf(status.stage));
  view.setBigUint64(2, status.height);
  bytes.set(status.receiptId, 10);
  return bytes;
}

export function decodeTxStatus(bytes: Uint8Array): TxStatusRecord {
  if (bytes.length !== 2 + 8 + HASH_BYTES || bytes[0] !== RECORD_VERSION) throw corrupt('txStatus', 'layout');
  const stage = TX_STAGES[bytes[1]!];
  if (stage === undefined) throw corrupt('txStatus', 'stage');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { stage, height: view.getBigUint64(2), receiptId: bytes.slice(10) };
}

/** version ‖ height u64 ‖ round u32 ‖ step u8 ‖ signBytes. */
export function encodeLastSigned(record: LastSignedRecord): Uint8Array {
  const bytes = new Uint8Array(1 + 8 + 4 + 1 + record.signBytes.length);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, RECORD_VERSION);
  view.setBigUint64(1, record.height);
  view.setUint32(9, record.round);
  view.setUint8(13, signingStepOrder(record.step));
  bytes.set(record.signBytes, 14);
  return bytes;
}

export function decodeLastSigned(bytes: Uint8Array): LastSignedRecord {
  if (bytes.length < 14 || bytes[0] !== RECORD_VERSION) throw corrupt('system', 'last_signed_layout');
  const step = SIGNING_STEPS[bytes[13]!];
  if (step === undefined) throw corrupt('system', 'last_signed_step');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { height: view.getBigUint64(1), round: view.getUint32(9), step, signBytes: bytes.slice(14) };
}

/** The latest committed block: height u64 ‖ header id. */
export interface Tip {
  height: bigint;
  hash: Hash;
}

export function encodeTip(tip: Tip): Uint8Array {
  const bytes = new Uint8Array(8 + HASH_BYTES);
  new DataView(bytes.buffer).setBigUint64(0, tip.height);
  bytes.set(tip.hash, 8);
  return bytes;
}

export function decodeTip(bytes: Uint8Array): Tip {
  if (bytes.length !== 8 + HASH_BYTES) throw corrupt('system', 'tip_layout');
  return { height: new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0), hash: bytes.slice(8) };
}

/** Which chain and shard a store belongs to: shard u32 ‖ chain id UTF-8. */
export interface StoreIdentity {
  chainId: string;
  shard: number;
}

export function encodeIdentity(identity: StoreIdentity): Uint8Array {
  const chainId = utf8(identity.chainId);
  const bytes = new Uint8Array(4 + chainId.length);
  new DataView(bytes.buffer).setUint32(0, identity.shard);
  bytes.set(chainId, 4);
  return bytes;
}

export function decodeIdentity(bytes: Uint8Array): StoreIdentity {
  if (bytes.length < 4) throw corrupt('system', 'identity_layout');
  try {
    return {
      shard: new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0),
      chainId: utf8Decoder.decode(bytes.subarray(4)),
    };
  } catch (error) {
    throw corrupt('system', 'identity_utf8', error);
  }
}
