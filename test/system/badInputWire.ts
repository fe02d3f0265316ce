/**
 * The validator's p2p envelope, written from its description (packages/node/src/wire/frames.ts,
 * which @shardpay/node does not export): `kind (u8) ‖ sequence (u32) ‖ count (u32) ‖ count ×
 * (length (u32) ‖ bytes)`, big-endian. An attacker builds its frames this way too; writing it again
 * here keeps the test independent of the code under test.
 */

/** Frame kinds, as the node numbers them. */
export const WireKind = {
  proposal: 1,
  vote: 2,
  transactions: 3,
  committedHeader: 4,
  committedReceipts: 5,
  syncRequest: 6,
  syncResponse: 7,
  receiptsRequest: 8,
  receiptsResponse: 9,
  statusRequest: 10,
  statusResponse: 11,
} as const;

const HEADER_BYTES = 9;

/** Builds a frame; `sequence` makes otherwise equal payloads distinct gossip messages. */
export function encodeWireFrame(kind: number, parts: readonly Uint8Array[], sequence = 0): Uint8Array {
  const size = parts.reduce((sum, part) => sum + 4 + part.length, HEADER_BYTES);
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

/** Reads a frame the node sent; throws a plain Error on anything malformed (a test failure). */
export function decodeWireFrame(bytes: Uint8Array): { kind: number; parts: Uint8Array[] } {
  if (bytes.length < HEADER_BYTES) throw new Error('frame shorter than its header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(5);
  const parts: Uint8Array[] = [];
  let offset = HEADER_BYTES;
  for (let i = 0; i < count; i++) {
    if (offset + 4 > bytes.length) throw new Error('truncated part length');
    const length = view.getUint32(offset);
    offset += 4;
    if (offset + length > bytes.length) throw new Error('truncated part');
    parts.push(bytes.subarray(offset, offset + length));
    offset += length;
  }
  if (offset !== bytes.length) throw new Error('trailing bytes');
  return { kind: view.getUint8(0), parts };
}

export function u32Bytes(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value);
  return bytes;
}

export function u64Bytes(value: bigint): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, value);
  return bytes;
}
