import { callRpc, mapLimit } from './benchHttp.ts';

interface BlockJson {
  header: { height: string; timestampMs: string };
  transactions: unknown[];
}

/** Each shard's latest committed height, from its first validator. */
export async function latestHeights(shards: Array<{ id: number; rpc: string[] }>): Promise<bigint[]> {
  return Promise.all(
    shards.map(async (shard) => {
      const info = await callRpc<{ height: string }>(shard.rpc[0]!, 'shardpay_networkInfo');
      return BigInt(info.height);
    }),
  );
}

/** What the chain finalized while a phase ran, by the blocks' header timestamps. */
export interface ChainWindow {
  /** Transactions in blocks whose header time is inside the window, per second of the window. */
  finalizedTxPerSec: number;
  transactions: number;
  blocks: number;
}

/**
 * Counts the transactions of every shard's blocks above `fromHeights` whose header timestamp (the
 * proposer's clock: this machine's) falls in [startMs, endMs] (epoch ms), fetching them with
 * `shardpay_getBlock` from the shard's validators in turn. Call it once the chain has passed `endMs`.
 */
export async function readChainWindow(
  shards: Array<{ id: number; rpc: string[] }>,
  fromHeights: bigint[],
  startMs: number,
  endMs: number,
): Promise<ChainWindow> {
  const toHeights = await latestHeights(shards);
  let transactions = 0;
  let blocks = 0;
  await Promise.all(
    shards.map(async (shard, s) => {
      const heights: bigint[] = [];
      for (let height = fromHeights[s]! + 1n; height <= toHeights[s]!; height++) heights.push(height);
      await mapLimit(heights, 4, async (height, i) => {
        const block = await callRpc<BlockJson | null>(shard.rpc[i % shard.rpc.length]!, 'shardpay_getBlock', {
          height: height.toString(),
        });
        if (block === null) return;
        const at = Number(block.header.timestampMs);
        if (at < startMs || at > endMs) return;
        blocks++;
        transactions += block.transactions.length;
      });
    }),
  );
  const seconds = (endMs - startMs) / 1000;
  return { finalizedTxPerSec: Math.round((transactions / seconds) * 10) / 10, transactions, blocks };
}
