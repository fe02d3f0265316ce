import { bytesToHex, ShardpayError } from '@shardpay/crypto';
import type { Database, Queryable } from '@shardpay/database';
import {
  type Block,
  type BlockHeader,
  blockFromJson,
  headerId,
  type NetworkConfig,
} from '@shardpay/protocol';
import type { ChainClient } from '../chain/createChainClient.ts';
import { lockEventOrder } from '../events/writeEvent.ts';
import { type PreparedBlock, prepareIndexedBlock } from './prepareIndexedBlock.ts';
import { writeIndexedBlock } from './writeIndexedBlock.ts';

export interface IndexerOptions {
  /** Wait between rounds when every shard is caught up (default 1 s). */
  pollIntervalMs?: number;
  /** Most blocks indexed per shard per round, so one busy shard does not starve the others. */
  maxBlocksPerRound?: number;
}

export interface IndexerDeps {
  database: Database;
  chain: ChainClient;
  network: NetworkConfig;
  /** Told about a failed round (the next round retries from the stored cursor). */
  onError?: (error: unknown, shard: number) => void;
  /** Stamps the events the indexer writes (default: the system clock). */
  now?: () => Date;
}

/**
 * Follows every shard into `chain_transactions` and `chain_credits`, moving payment statuses and
 * writing events as it goes; resumable, with no gaps and no duplicates.
 */
export interface Indexer {
  /** Indexes each shard up to its latest block (at most `maxBlocksPerRound` blocks); the heights reached. */
  syncOnce(): Promise<Map<number, bigint>>;
  start(): void;
  /** Stops after the round in progress. */
  stop(): Promise<void>;
}

/**
 * An indexer over `chain`. Each block (its consumed receipts, its transactions, the payment statuses
 * and events they cause) is written in one database transaction together with the shard's cursor, and the cursor only moves from the height it was read at: a crash loses nothing
 * and replays nothing, and two replicas indexing at once cannot both write a block.
 */
export function createIndexer(options: IndexerOptions, deps: IndexerDeps): Indexer {
  const { database, chain, network } = deps;
  const now = deps.now ?? (() => new Date());
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const maxBlocks = BigInt(options.maxBlocksPerRound ?? 100);
  const shards = Array.from({ length: network.shardCount }, (_, shard) => shard);
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  async function readCursor(shard: number): Promise<{ height: bigint; headerHash: string }> {
    await database.query(
      `INSERT INTO indexer_cursors (shard, height, header_hash) VALUES ($1, 0, '') ON CONFLICT (shard) DO NOTHING`,
      [shard],
    );
    const row = (
      await database.query<{ height: bigint; header_hash: string }>(
        'SELECT height, header_hash FROM indexer_cursors WHERE shard = $1',
        [shard],
      )
    ).rows[0]!;
    return { height: BigInt(row.height), headerHash: row.header_hash };
  }

  async function latestHeight(shard: number): Promise<bigint> {
    const header = await chain.call<{ height?: unknown } | null>(shard, 'shardpay_getHeader', {
      height: 'latest',
    });
    if (header === null) return 0n;
    if (typeof header.height !== 'string' || !/^[0-9]+$/.test(header.height)) {
      throw new ShardpayError('INDEXER_CHAIN_MISMATCH', `shard ${shard} answered a header without a height`);
    }
    return BigInt(header.height);
  }

  async function fetchBlock(shard: number, height: bigint, parentHash: string): Promise<Block> {
    const json = await chain.call<unknown>(shard, 'shardpay_getBlock', { height: height.toString() });
    if (json === null) {
      throw new ShardpayError('INDEXER_CHAIN_MISMATCH', `shard ${shard} has no block ${height} yet`, {
        meta: { shard, height: height.toString() },
      });
    }
    const block = blockFromJson(json, { addressPrefix: network.addressPrefix });
    const header = block.header;
    // A node of another chain, shard or fork must not bend the index.
    if (
      header.chainId !== network.chainId ||
      header.shard !== shard ||
      header.height !== height ||
      (parentHash !== '' && bytesToHex(header.parentHash) !== parentHash)
    ) {
      throw new ShardpayError(
        'INDEXER_CHAIN_MISMATCH',
        `block ${height} of shard ${shard} does not follow the index`,
        {
          meta: { shard, height: height.toString() },
        },
      );
    }
    return block;
  }

  async function writeBlock(
    tx: Queryable,
    shard: number,
    block: PreparedBlock,
    header: BlockHeader,
    previousHeight: bigint,
  ): Promise<void> {
    // Everything read-only (rows, refusals, wallets) was done before: the lock that every event
    // writer (POST /v1/payments too) waits for is held only for the writes, a few statements.
    // Still taken first in this transaction, before any row lock, so it cannot deadlock with them.
    await lockEventOrder(tx);
    // The cursor first: a replica that indexed this height already holds or has moved it, and ours
    // then writes nothing at all.
    const moved = await tx.query(
      'UPDATE indexer_cursors SET height = $2, header_hash = $3 WHERE shard = $1 AND height = $4',
      [shard, header.height.toString(), bytesToHex(headerId(header)), previousHeight.toString()],
    );
    if (moved.rowCount !== 1) {
      throw new ShardpayError(
        'INDEXER_RACE_LOST',
        `shard ${shard} height ${header.height} is already indexed`,
      );
    }
    await writeIndexedBlock(tx, block, now());
  }

  async function syncShard(shard: number): Promise<bigint> {
    let cursor = await readCursor(shard);
    const target = await latestHeight(shard);
    const stopAt = cursor.height + maxBlocks < target ? cursor.height + maxBlocks : target;
    while (cursor.height < stopAt) {
      const height = cursor.height + 1n;
      const block = await fetchBlock(shard, height, cursor.headerHash);
      const previous = cursor.height;
      const prepared = await prepareIndexedBlock(database, network, shard, block);
      try {
        await database.transaction((tx) => writeBlock(tx, shard, prepared, block.header, previous));
      } catch (error) {
        if (error instanceof ShardpayError && error.code === 'INDEXER_RACE_LOST')
          return (await readCursor(shard)).height;
        throw error;
      }
      cursor = { height, headerHash: bytesToHex(headerId(block.header)) };
    }
    return cursor.height;
  }

  async function syncOnce(): Promise<Map<number, bigint>> {
    const reached = new Map<number, bigint>();
    const results = await Promise.allSettled(shards.map((shard) => syncShard(shard)));
    for (const [shard, result] of results.entries()) {
      if (result.status === 'fulfilled') reached.set(shard, result.value);
      else deps.onError?.(result.reason, shard);
    }
    return reached;
  }

  return {
    syncOnce,
    start() {
      if (running) return;
      running = true;
      loop = (async () => {
        while (running) {
          await syncOnce();
          if (!running) break;
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, pollIntervalMs).unref();
          });
        }
      })();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
  };
}
