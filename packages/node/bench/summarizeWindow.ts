import type { FollowedBlock } from './createBlockFollower.ts';

/** What one shard committed inside a measurement window. */
export interface ShardWindow {
  shard: number;
  /** Blocks counted: those after the first block at or after the window's start, up to the last one before its end. */
  blocks: number;
  transactions: number;
  /** From the first block's time to the last counted block's time. */
  spanMs: number;
  fromHeight: bigint;
  toHeight: bigint;
}

/**
 * The blocks of one shard inside [fromMs, toMs] by the given clock (header timestamp or commit
 * observation). Counts blocks a+1..b where a is the first block at or after `fromMs` and b the last
 * at or before `toMs`, over the span time(b) − time(a): whole inter-block intervals, no fence-post
 * error. Zero blocks when fewer than two blocks fall inside.
 */
export function summarizeShardWindow(
  shard: number,
  blocks: readonly FollowedBlock[],
  fromMs: number,
  toMs: number,
  timeOf: (block: FollowedBlock) => number,
): ShardWindow {
  const inside = blocks.filter((block) => timeOf(block) >= fromMs && timeOf(block) <= toMs);
  const first = inside[0];
  const last = inside[inside.length - 1];
  if (!first || !last || first === last) {
    return { shard, blocks: 0, transactions: 0, spanMs: 0, fromHeight: 0n, toHeight: 0n };
  }
  const counted = inside.slice(1);
  return {
    shard,
    blocks: counted.length,
    transactions: counted.reduce((sum, block) => sum + block.transactionCount, 0),
    spanMs: timeOf(last) - timeOf(first),
    fromHeight: first.height,
    toHeight: last.height,
  };
}

/** Transactions per second summed over shards (each shard over its own span). */
export function transactionsPerSecond(windows: readonly ShardWindow[]): number {
  return windows.reduce((sum, w) => sum + (w.spanMs > 0 ? (w.transactions / w.spanMs) * 1000 : 0), 0);
}

/** Blocks per second summed over shards. */
export function blocksPerSecond(windows: readonly ShardWindow[]): number {
  return windows.reduce((sum, w) => sum + (w.spanMs > 0 ? (w.blocks / w.spanMs) * 1000 : 0), 0);
}

/** The nearest-rank percentile (p in 0..1) of unsorted values; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}
