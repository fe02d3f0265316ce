import { ShardpayError } from '@shardpay/crypto';

/**
 * The envelope of every p2p payload the node sends: `kind (u8) ‖ sequence (u32) ‖ count (u32) ‖
 * count × (length (u32) ‖ bytes)`. The parts are canonical protocol encodings. The sequence makes
 * each publish unique, so that re-gossiped votes are not dropped as duplicates by gossipsub's
 * content-addressed message ids.
 */
export interface Frame {
  kind: number;
  sequence: number;
  parts: Uint8Array[];
}

const HEADER_BYTES = 9;
/** No frame the node sends has more parts than a block of transactions. */
export const MAX_FRAME_PARTS = 70_000;

function malformed(reason: string): ShardpayError {
  return new ShardpayError('WIRE_MALFORMED', `malformed p2p payload: ${reason}`, { meta: { reason } });
}

export function encodeFrame(kind: number, parts: readonly Uint8Array[], sequence = 0): Uint8Array {
  let size = HEADER_BYTES;
  for (const part of parts) size += 4 + part.length;
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, kind);
  view.setUint32(1, sequence >>> 0);
  view.setUint32(5, parts.length);
  let offset = HEADER_BYTES;
  for (const part of parts) {
    view.setUint32(offset, part.length);
    bytes.set(part, offset + 4);
    offset += 4 + part.length;
  }
  return bytes;
}

/** Decodes a frame, refusing truncation, trailing bytes and absurd counts (WIRE_MALFORMED). */
export function decodeFrame(bytes: Uint8Array): Frame {
  if (bytes.length < HEADER_BYTES) throw malformed('truncated header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kind = view.getUint8(0);
  const sequence = view.getUint32(1);
  const count = view.getUint32(5);
  if (count > MAX_FRAME_PARTS) throw malformed('too many parts');
  const parts: Uint8Array[] = [];
  let offset = HEADER_BYTES;
  for (let i = 0; i < count; i++) {
    if (offset + 4 > bytes.length) throw malformed('truncated part length');
    const length = view.getUint32(offset);
    offset += 4;
    if (offset + length > bytes.length) throw malformed('truncated part');
    parts.push(bytes.subarray(offset, offset + length));
    offset += length;
  }
  if (offset !== bytes.length) throw malformed('trailing bytes');
  return { kind, sequence, parts };
}

/** Reads one part as a decoded value, turning any decode failure into WIRE_MALFORMED. */
export function decodePart<T>(
  parts: readonly Uint8Array[],
  index: number,
  decode: (bytes: Uint8Array) => T,
): T {
  const part = parts[index];
  if (part === undefined) throw malformed(`missing part ${index}`);
  try {
    return decode(part);
  } catch (error) {
    throw new ShardpayError('WIRE_MALFORMED', `malformed p2p payload: part ${index} does not decode`, {
      meta: { reason: 'bad part', index },
      cause: error,
    });
  }
}

export function u64Bytes(value: bigint): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, value);
  return bytes;
}

export function readU64(bytes: Uint8Array): bigint {
  if (bytes.length !== 8) throw malformed('expected 8 bytes');
  return new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0);
}

export function u32Bytes(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value);
  return bytes;
}

export function readU32(bytes: Uint8Array): number {
  if (bytes.length !== 4) throw malformed('expected 4 bytes');
  return new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0);
}

/** Frame kinds, one per message the node exchanges. */
export const FrameKind = {
  /** consensus topic: [proposal, block] */
  proposal: 1,
  /** consensus topic: [vote] */
  vote: 2,
  /** tx topic: [transaction…] */
  transactions: 3,
  /** headers topic: [header, certificate] of a committed block */
  committedHeader: 4,
  /** receipts topic and receipts responses: [header, certificate, receipt…] — all of a block's outgoing receipts */
  committedReceipts: 5,
  /** sync request: [fromHeight u64, maxBlocks u32] */
  syncRequest: 6,
  /** sync response: [block, certificate, block, certificate, …] */
  syncResponse: 7,
  /** receipts request: [targetShard u32, fromHeight u64, maxBlocks u32] */
  receiptsRequest: 8,
  /** receipts response: [scannedTo u64, committedReceipts frame…] */
  receiptsResponse: 9,
  /** status request: [txId] */
  statusRequest: 10,
  /** status response: [] (unknown) or [stage u32, height u64, receiptId] */
  statusResponse: 11,
} as const;

/** Decodes a frame and checks it is of the expected kind. */
export function expectFrame(bytes: Uint8Array, kind: number): Frame {
  const frame = decodeFrame(bytes);
  if (frame.kind !== kind) throw malformed(`expected frame kind ${kind}, got ${frame.kind}`);
  return frame;
}
