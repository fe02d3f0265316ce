import { decode } from 'it-length-prefixed';
import type { Uint8ArrayList } from 'uint8arraylist';

export type FrameReadResult =
  | { ok: true; frame: Uint8Array }
  /** `oversized`: the length prefix announced more than allowed (nothing more was read). */
  | { ok: false; reason: 'oversized' | 'truncated' | 'malformed' | 'closed'; error?: unknown };

/**
 * Reads exactly one length-prefixed frame of at most `maxBytes` from a stream, then stops
 * listening. Never throws: a bad or vanished peer is a result, not an exception. Time limits are
 * the caller's (abort the stream).
 */
export async function readSingleFrame(
  source: AsyncIterable<Uint8Array | Uint8ArrayList>,
  maxBytes: number,
): Promise<FrameReadResult> {
  try {
    for await (const frame of decode(source, { maxDataLength: maxBytes })) {
      return { ok: true, frame: frame.subarray() };
    }
    return { ok: false, reason: 'truncated' };
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'InvalidDataLengthError' || name === 'InvalidDataLengthLengthError') {
      return { ok: false, reason: 'oversized', error };
    }
    if (name === 'UnexpectedEOFError') return { ok: false, reason: 'truncated', error };
    if (name === 'InvalidMessageLengthError') return { ok: false, reason: 'malformed', error };
    return { ok: false, reason: 'closed', error };
  }
}
