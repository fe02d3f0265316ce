import type { Queryable } from '@shardpay/database';
import type { NetworkConfig } from '@shardpay/protocol';
import { transactionRowsOf } from '../indexer/indexedBlockRows.ts';
import type { ChainClient } from './createChainClient.ts';
import { readBlock, readHeader } from './readChainObjects.ts';

/** What the explorer's block lists and the network view show of a block. */
export interface BlockSummary {
  shard: number;
  height: bigint;
  /** Hex of the header's id. */
  hash: string;
  timestampMs: bigint;
  /** Committee index of the validator that built the block (the header's `proposerIndex`). */
  proposerIndex: number;
  txCount: number;
  /** Cross-shard credits the block emitted (refund receipts are counted in the block's detail only). */
  creditReceiptCount: number;
}

/** Finalized blocks never change, so their summaries are kept; this many per shard at most. */
const MAX_CACHED_PER_SHARD = 1024;

/** Recent block summaries of every shard, read once per replica and kept. */
export interface BlockSummaryCache {
  /**
   * The summaries of `heights` of `shard` (in the order given); a height a node does not have (yet)
   * is left out. Headers come from the nodes, counts from the indexer (`chain_transactions`, one
   * query), or from the block itself above the indexer's cursor.
   */
  summaries(shard: number, heights: readonly bigint[]): Promise<BlockSummary[]>;
}

interface CountRow {
  height: bigint;
  tx_count: bigint;
  credit_count: bigint;
}

/**
 * A cache of block summaries over `chain` and the indexer's tables in `database`: what the explorer's
 * lists and the network view (polled every 2 s) read, so a poll costs the new blocks only.
 */
export function createBlockSummaryCache(
  chain: ChainClient,
  network: NetworkConfig,
  database: Queryable,
): BlockSummaryCache {
  const byShard = new Map<number, Map<bigint, BlockSummary>>();

  function cacheOf(shard: number): Map<bigint, BlockSummary> {
    let cache = byShard.get(shard);
    if (cache === undefined) {
      cache = new Map();
      byShard.set(shard, cache);
    }
    return cache;
  }

  function remember(cache: Map<bigint, BlockSummary>, summary: BlockSummary): void {
    cache.set(summary.height, summary);
    if (cache.size <= MAX_CACHED_PER_SHARD) return;
    let lowest: bigint | undefined;
    for (const height of cache.keys()) if (lowest === undefined || height < lowest) lowest = height;
    if (lowest !== undefined) cache.delete(lowest);
  }

  async function indexedCounts(
    shard: number,
    heights: readonly bigint[],
  ): Promise<{ cursor: bigint; counts: Map<bigint, { tx: number; credits: number }> }> {
    // The cursor first: the indexer commits a block's rows with its cursor, so every block at or
    // below the cursor read here has its rows visible to the count read after it (never a false 0).
    const cursorRows = await database.query<{ height: bigint }>(
      'SELECT height FROM indexer_cursors WHERE shard = $1',
      [shard],
    );
    const countRows = await database.query<CountRow>(
      `SELECT height, count(*) AS tx_count, count(target_shard) AS credit_count
         FROM chain_transactions WHERE shard = $1 AND height = ANY($2::bigint[]) GROUP BY height`,
      [shard, heights.map(String)],
    );
    const cursor = cursorRows.rows[0] === undefined ? -1n : BigInt(cursorRows.rows[0].height);
    const counts = new Map<bigint, { tx: number; credits: number }>();
    for (const row of countRows.rows) {
      counts.set(BigInt(row.height), { tx: Number(row.tx_count), credits: Number(row.credit_count) });
    }
    return { cursor, counts };
  }

  async function fetchSummaries(shard: number, heights: readonly bigint[]): Promise<BlockSummary[]> {
    const { cursor, counts } = await indexedCounts(shard, heights);
    const read = await Promise.all(
      heights.map(async (height): Promise<BlockSummary | null> => {
        if (height <= cursor) {
          const reading = await readHeader(chain, shard, height);
          if (reading === null) return null;
          const count = counts.get(height) ?? { tx: 0, credits: 0 };
          return {
            shard,
            height,
            hash: reading.hash,
            timestampMs: reading.header.timestampMs,
            proposerIndex: reading.header.proposerIndex,
            txCount: count.tx,
            creditReceiptCount: count.credits,
          };
        }
        // Not indexed yet (or no indexer on this replica): count the block's own transactions.
        const reading = await readBlock(chain, network, shard, height);
        if (reading === null) return null;
        return {
          shard,
          height,
          hash: reading.hash,
          timestampMs: reading.header.timestampMs,
          proposerIndex: reading.header.proposerIndex,
          txCount: reading.block.transactions.length,
          creditReceiptCount: transactionRowsOf(network, shard, reading.block).filter(
            (row) => row.targetShard !== null,
          ).length,
        };
      }),
    );
    return read.filter((summary) => summary !== null);
  }

  return {
    async summaries(shard, heights) {
      const cache = cacheOf(shard);
      const missing = heights.filter((height) => !cache.has(height));
      if (missing.length > 0) {
        for (const summary of await fetchSummaries(shard, missing)) remember(cache, summary);
      }
      return heights.flatMap((height) => {
        const summary = cache.get(height);
        return summary === undefined ? [] : [summary];
      });
    },
  };
}
