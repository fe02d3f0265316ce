import { callBenchRpc } from './callBenchRpc.ts';

/** A committed block as the bench saw it. */
export interface FollowedBlock {
  shard: number;
  height: bigint;
  /** The header's timestamp: the proposer's clock when it built the block (same machine, same clock). */
  timestampMs: number;
  /** When the bench learned of the commit (the `newHeads` push, or a poll when the push was missed). */
  observedAtMs: number;
  /** True when `observedAtMs` comes from a poll rather than a push (less precise). */
  observedByPoll: boolean;
  transactionCount: number;
  /**
   * The round that decided the block, modulo the committee size: proposers rotate by height + round,
   * so the header's proposer index gives it. Not 0: round 0 timed out (a slow or missing proposal).
   */
  roundModCommittee: number;
}

/** One transaction of a block, as the bench identifies it. */
export interface FollowedTransaction {
  publicKeyHex: string;
  nonce: number;
}

export interface BlockFollowerOptions {
  shard: number;
  /** RPC URLs of the shard's validators; blocks are fetched from them in turn. */
  rpcUrls: string[];
  /** WebSocket URL of the validator whose `newHeads` pushes time the commits. */
  wsUrl: string;
  committeeSize: number;
  nowMs(): number;
  /** `credited`: ids (lowercase hex) of the cross-shard transfers this block credits. */
  onBlock(block: FollowedBlock, transactions: FollowedTransaction[], credited: string[]): void;
  /** A failure that ends the run (a block no validator serves). */
  onError(error: unknown): void;
  onWarning(message: string): void;
}

export interface BlockFollower {
  /** Starts after the current height: only blocks committed from now on are followed. */
  start(): Promise<void>;
  stop(): void;
  blocks(): readonly FollowedBlock[];
  /** Highest height fetched so far. */
  height(): bigint;
  /** The round of the shard's most advanced validators at the last poll (above 0: round 0 timed out). */
  round(): number;
}

const POLL_MS = 500;
const RPC_TIMEOUT_MS = 10_000;
const POLL_TIMEOUT_MS = 2_000;
/** How long a committed block may stay unavailable from every validator before the run fails. */
const FETCH_DEADLINE_MS = 60_000;

interface BlockJsonShape {
  header: { height: string; timestampMs: string; proposerIndex: number };
  transactions: Array<{ publicKey: string; nonce: string }>;
  incoming?: Array<{ receipts: Array<{ receipt: { kind: string; txId: string } }> }>;
}

/** The ids of the original transactions of the credit receipts a block consumes. */
function creditedTxIds(block: BlockJsonShape): string[] {
  const ids: string[] = [];
  for (const batch of block.incoming ?? []) {
    for (const { receipt } of batch.receipts) {
      if (receipt.kind === 'credit') ids.push(receipt.txId.replace(/^0x/, '').toLowerCase());
    }
  }
  return ids;
}

/**
 * Follows one shard's commits: a `newHeads` WebSocket subscription times each commit, and every
 * block is then fetched with `shardpay_getBlock` (in height order, none skipped) to count and
 * identify its transactions. A poll of every validator's `shardpay_networkInfo` covers pushes that
 * never came or came late (a validator that lags).
 */
export function createBlockFollower(options: BlockFollowerOptions): BlockFollower {
  const followed: FollowedBlock[] = [];
  /** When each height not fetched yet was first heard of, and whether a push (not a poll) told. */
  const observed = new Map<bigint, { atMs: number; byPush: boolean }>();
  let nextHeight = 0n;
  let highestKnown = 0n;
  let fetching = false;
  let stopped = false;
  let socket: WebSocket | undefined;
  let poller: ReturnType<typeof setInterval> | undefined;
  let lastRound = 0;

  function learn(height: bigint, byPush: boolean): void {
    if (height < nextHeight) return;
    // Heights skipped by the pushes (or told by a poll) are timed when first heard of, flagged.
    const now = options.nowMs();
    const from = highestKnown + 1n > nextHeight ? highestKnown + 1n : nextHeight;
    for (let h = from; h <= height; h++) {
      if (!observed.has(h)) observed.set(h, { atMs: now, byPush: byPush && h === height });
    }
    if (height > highestKnown) highestKnown = height;
    void fetchKnown();
  }

  async function fetchBlock(height: bigint): Promise<BlockJsonShape> {
    const urls = options.rpcUrls;
    const first = Number(height % BigInt(urls.length));
    const deadline = options.nowMs() + FETCH_DEADLINE_MS;
    let lastError: unknown;
    for (let attempt = 0; !stopped; attempt++) {
      // Spread the JSON encoding of big blocks over the validators; one that is a step behind says
      // null, and one that is too busy to answer in time is skipped.
      const url = urls[(first + attempt) % urls.length]!;
      try {
        const block = (await callBenchRpc(
          url,
          'shardpay_getBlock',
          { height: height.toString() },
          RPC_TIMEOUT_MS,
        )) as BlockJsonShape | null;
        if (block) return block;
      } catch (error) {
        lastError = error;
      }
      if (options.nowMs() > deadline) {
        throw new Error(`no validator served block ${height} within ${FETCH_DEADLINE_MS} ms`, {
          cause: lastError,
        });
      }
      if (attempt >= urls.length) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('stopped');
  }

  async function fetchKnown(): Promise<void> {
    if (fetching) return;
    fetching = true;
    try {
      while (!stopped && nextHeight <= highestKnown) {
        const height = nextHeight;
        const block = await fetchBlock(height);
        const heard = observed.get(height);
        observed.delete(height);
        const entry: FollowedBlock = {
          shard: options.shard,
          height,
          timestampMs: Number(block.header.timestampMs),
          observedAtMs: heard?.atMs ?? options.nowMs(),
          observedByPoll: heard?.byPush !== true,
          transactionCount: block.transactions.length,
          roundModCommittee:
            (((block.header.proposerIndex - Number(height % BigInt(options.committeeSize))) %
              options.committeeSize) +
              options.committeeSize) %
            options.committeeSize,
        };
        followed.push(entry);
        nextHeight = height + 1n;
        options.onBlock(
          entry,
          block.transactions.map((tx) => ({ publicKeyHex: tx.publicKey, nonce: Number(tx.nonce) })),
          creditedTxIds(block),
        );
      }
    } catch (error) {
      if (!stopped) options.onError(error);
    } finally {
      fetching = false;
    }
  }

  /** Asks every validator of the shard: one that lags or does not answer does not hold the others back. */
  async function poll(): Promise<void> {
    const infos = await Promise.all(
      options.rpcUrls.map(async (url) => {
        try {
          return (await callBenchRpc(url, 'shardpay_networkInfo', {}, POLL_TIMEOUT_MS)) as {
            height: string;
            round: number;
          };
        } catch {
          return undefined; // too busy to answer in time: the others, or the next poll, cover it
        }
      }),
    );
    let height = -1n;
    let round = 0;
    for (const info of infos) {
      if (!info) continue;
      const h = BigInt(info.height);
      if (h > height) [height, round] = [h, info.round];
      else if (h === height) round = Math.max(round, info.round);
    }
    if (height < 0n) return;
    lastRound = round;
    learn(height, false);
  }

  function subscribe(): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(options.wsUrl);
      socket = ws;
      ws.addEventListener('open', () => {
        ws.send(
          JSON.stringify({
            jsonrpc: '2.0',
            id: 1,
            method: 'shardpay_subscribe',
            params: { topic: 'newHeads' },
          }),
        );
      });
      ws.addEventListener('message', (event) => {
        const message = JSON.parse(String(event.data)) as {
          id?: number;
          error?: { message: string };
          params?: { result?: { header?: { height?: string } } };
        };
        if (message.id === 1) {
          if (message.error) reject(new Error(`newHeads subscription refused: ${message.error.message}`));
          else resolve();
          return;
        }
        const height = message.params?.result?.header?.height;
        if (height !== undefined) learn(BigInt(height), true);
      });
      ws.addEventListener('error', () => reject(new Error(`cannot open ${options.wsUrl}`)));
      ws.addEventListener('close', () => {
        // Commits are still found by the poll, timed less precisely (counted as observed by poll).
        if (!stopped) options.onWarning(`the newHeads socket ${options.wsUrl} closed; following by polling`);
      });
    });
  }

  return {
    async start() {
      const info = (await callBenchRpc(options.rpcUrls[0]!, 'shardpay_networkInfo', {}, RPC_TIMEOUT_MS)) as {
        height: string;
      };
      nextHeight = BigInt(info.height) + 1n;
      highestKnown = nextHeight - 1n;
      await subscribe();
      let polling = false;
      poller = setInterval(() => {
        if (polling) return;
        polling = true;
        void poll().finally(() => {
          polling = false;
        });
      }, POLL_MS);
    },
    stop() {
      stopped = true;
      if (poller) clearInterval(poller);
      socket?.close();
    },
    blocks: () => followed,
    height: () => nextHeight - 1n,
    round: () => lastRound,
  };
}
