import type { NetworkConfig } from '@shardpay/protocol';
import type { BlockSummary, BlockSummaryCache } from './blockSummaries.ts';
import type { ChainClient } from './createChainClient.ts';
import { readLatestHeight } from './readChainObjects.ts';

/** Finalized transactions per second are counted over the blocks of this many last seconds. */
export const STATS_WINDOW_SECONDS = 30;
/** The network view shows this many latest blocks per shard. */
export const STATS_BLOCKS = 30;
// Blocks read back at most to cover the window (a fast shard makes many blocks in 30 s).
const MAX_WINDOW_BLOCKS = 300n;

export interface ShardStats {
  id: number;
  height: string;
  /** Decimal string with two decimals. */
  tx_per_second: string;
  blocks: Array<{ height: string; time: string; tx_count: number; interval_ms: number | null }>;
}

export interface NetworkStats {
  object: 'network_stats';
  window_seconds: number;
  shards: ShardStats[];
}

function heightsDown(from: bigint, count: bigint, floor: bigint): bigint[] {
  const heights: bigint[] = [];
  for (let height = from; height > from - count && height >= floor; height -= 1n) heights.push(height);
  return heights;
}

async function shardStats(
  chain: ChainClient,
  cache: BlockSummaryCache,
  shard: number,
  nowMs: bigint,
): Promise<ShardStats> {
  const latest = await readLatestHeight(chain, shard);
  // One block more than shown: the oldest shown block's interval needs its parent's time.
  const summaries = await cache.summaries(shard, heightsDown(latest, BigInt(STATS_BLOCKS) + 1n, 1n));
  const windowStart = nowMs - BigInt(STATS_WINDOW_SECONDS) * 1000n;
  // Read further back while the oldest block read is still inside the window.
  while (summaries.length > 0 && latest - summaries[summaries.length - 1]!.height < MAX_WINDOW_BLOCKS) {
    const oldest = summaries[summaries.length - 1]!;
    if (oldest.timestampMs <= windowStart || oldest.height <= 1n) break;
    const more = await cache.summaries(shard, heightsDown(oldest.height - 1n, BigInt(STATS_BLOCKS), 1n));
    if (more.length === 0) break;
    summaries.push(...more);
  }
  const inWindow = summaries.filter((summary) => summary.timestampMs > windowStart);
  const transactions = inWindow.reduce((sum, summary) => sum + summary.txCount, 0);
  const byHeight = new Map<bigint, BlockSummary>(summaries.map((summary) => [summary.height, summary]));
  return {
    id: shard,
    height: latest.toString(),
    tx_per_second: (transactions / STATS_WINDOW_SECONDS).toFixed(2),
    blocks: summaries.slice(0, STATS_BLOCKS).map((summary) => {
      const parent = byHeight.get(summary.height - 1n);
      return {
        height: summary.height.toString(),
        time: new Date(Number(summary.timestampMs)).toISOString(),
        tx_count: summary.txCount,
        interval_ms: parent === undefined ? null : Number(summary.timestampMs - parent.timestampMs),
      };
    }),
  };
}

/**
 * The network view's numbers: per shard its height, finalized transactions per second over the last
 * `STATS_WINDOW_SECONDS` of block time (by the gateway's clock) and its latest blocks with their
 * intervals. Headers come from the nodes once and are kept; counts from the indexer.
 */
export async function readNetworkStats(
  chain: ChainClient,
  network: NetworkConfig,
  cache: BlockSummaryCache,
  now: Date,
): Promise<NetworkStats> {
  const nowMs = BigInt(now.getTime());
  const shards = await Promise.all(
    Array.from({ length: network.shardCount }, (_, shard) => shardStats(chain, cache, shard, nowMs)),
  );
  return { object: 'network_stats', window_seconds: STATS_WINDOW_SECONDS, shards };
}
