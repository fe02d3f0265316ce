/** What the crash-test child writes, so the parent can rebuild and check it. */
import { bytesOf } from './fixtures.ts';

export const CRASH_CHAIN_LENGTH = 400;
export const CRASH_WAL_RECORDS_PER_HEIGHT = 3;

/** The WAL record (and last signed bytes) the child writes at (height, sequence). */
export function crashWalRecord(seed: number, height: bigint, sequence: number): Uint8Array {
  return bytesOf(`wal seed=${seed} height=${height} seq=${sequence} `.repeat(1 + (sequence % 3)));
}
