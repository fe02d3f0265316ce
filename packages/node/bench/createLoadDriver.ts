import { bytesToHex, hexToBytes, isShardpayError, sha256 } from '@shardpay/crypto';
import { type BenchRpcOutcome, callBenchRpcBatch } from './callBenchRpc.ts';
import type { BenchSender } from './createBenchSenders.ts';
import type { FollowedTransaction } from './createBlockFollower.ts';

export interface LoadDriverOptions {
  /** Most transactions of one sender submitted and not yet seen in a block (below the mempool's nonce gap). */
  window: number;
  /** Calls per JSON-RPC batch (at most the server's `maxBatch`). */
  batchSize: number;
  /** HTTP requests outstanding per validator at once. */
  requestsPerValidator: number;
  requestTimeoutMs: number;
  /**
   * A sender is resubmitted from its committed nonce when `missedBlocks` blocks in a row left out its
   * next transaction although it was sent at least `gossipSlackMs` before they were built (lost on
   * the way to the proposer), or when it made no progress at all for `stallMs`.
   */
  missedBlocks: number;
  gossipSlackMs: number;
  stallMs: number;
  /** Offered load cap in transactions per second over all senders; undefined: as fast as taken. */
  ratePerSec?: number;
  /** Whether a sender's transfer of `nonce` goes to another shard (timed until credited there). */
  isCrossShard?(sender: BenchSender, nonce: number): boolean;
  /** Transactions signed on the spot when a sender runs out of pre-signed ones. */
  signMore(sender: BenchSender): void;
  nowMs(): number;
}

export interface LoadDriverValidator {
  shard: number;
  rpcUrl: string;
}

export interface LoadStats {
  /** Submissions the node accepted (a resubmission counts again). */
  accepted: number;
  /** Distinct transactions submitted at least once. */
  distinct: number;
  /** Transactions seen in committed blocks. */
  committed: number;
  /** Submitted, not yet seen in a block. */
  inFlight: number;
  /** Refusals and failures by code (NODE_UNREACHABLE for a batch that got no answer). */
  refusals: Map<string, number>;
  /** Senders resubmitted from their committed nonce (their next transaction looked lost). */
  stalls: number;
  /** Transactions signed during the run because the pre-signed ones ran out. */
  signedDuringRun: number;
  requests: number;
}

export interface LoadDriver {
  start(): void;
  /** Stops submitting and waits for the requests still out. */
  stop(): Promise<void>;
  /** Feeds a committed block back: frees window slots, records latencies, spots lost transactions. */
  onCommitted(
    block: { shard: number; timestampMs: number; observedAtMs: number },
    transactions: readonly FollowedTransaction[],
    credited?: readonly string[],
  ): void;
  stats(): LoadStats;
  /** Submit→final latencies (ms) of the transactions first submitted in [fromMs, toMs), and how many of those are not final yet. */
  latencies(fromMs: number, toMs: number): { samples: number[]; pending: number };
  /** Submit→credited latencies (ms) of the cross-shard transfers first submitted in [fromMs, toMs), and how many are not credited yet. */
  crossShardLatencies(fromMs: number, toMs: number): { samples: number[]; pending: number };
}

interface SenderState {
  sender: BenchSender;
  /** Next nonce to submit. */
  next: number;
  /** Nonces below this are in committed blocks. */
  committed: number;
  /** When each nonce was first submitted (0: never). */
  firstSentAt: number[];
  /** When each nonce was last submitted. */
  lastSentAt: number[];
  /** Blocks in a row that left out the next nonce although it was sent in time. */
  missed: number;
  /** When each nonce was seen committed (0: not yet). */
  committedAt: number[];
  pausedUntil: number;
  lastProgressAt: number;
}

/** Codes that mean the transaction is (or was) in the pool or the chain: nothing to redo. */
const HARMLESS = new Set(['TX_ALREADY_KNOWN', 'TX_ALREADY_FINAL', 'BAD_NONCE']);
const PAUSE_AFTER_REFUSAL_MS = 200;
const TICK_MS = 25;

/**
 * Drives every sender open-loop: each keeps up to `window` transactions submitted and not yet
 * committed, and submits the next ones as earlier ones commit. Transactions go in JSON-RPC batches
 * to the validators of their shard in turn, with `requestsPerValidator` requests outstanding on each.
 * A refused transaction (pool full, nonce too far ahead, no answer) rewinds its sender to it after a
 * short pause; a sender whose next transaction looks lost (see `missedBlocks`) is resubmitted from
 * its committed nonce. With `ratePerSec`, a token bucket caps the offered load.
 */
export function createLoadDriver(
  senders: readonly BenchSender[],
  validators: readonly LoadDriverValidator[],
  options: LoadDriverOptions,
): LoadDriver {
  const states: SenderState[] = senders.map((sender) => ({
    sender,
    next: 0,
    committed: 0,
    firstSentAt: [],
    lastSentAt: [],
    missed: 0,
    committedAt: [],
    pausedUntil: 0,
    lastProgressAt: options.nowMs(),
  }));
  const byKey = new Map(states.map((state) => [state.sender.publicKeyHex, state]));
  const shards = new Map<number, { states: SenderState[]; cursor: number }>();
  for (const state of states) {
    const entry = shards.get(state.sender.shard) ?? { states: [], cursor: 0 };
    entry.states.push(state);
    shards.set(state.sender.shard, entry);
  }
  const targets = validators.map((validator) => ({ ...validator, outstanding: 0 }));
  const stats: LoadStats = {
    accepted: 0,
    distinct: 0,
    committed: 0,
    inFlight: 0,
    refusals: new Map(),
    stalls: 0,
    signedDuringRun: 0,
    requests: 0,
  };
  /** Cross-shard transfers by id (hex): first submission, and when the target shard credited them. */
  const crossShard = new Map<string, { sentAt: number; creditedAt: number }>();
  const outstanding = new Set<Promise<void>>();
  let running = false;
  let ticker: ReturnType<typeof setInterval> | undefined;
  let targetCursor = 0;
  /** Token bucket of the offered-load cap: transactions that may be sent now. */
  let tokens = 0;
  let tokensAt = options.nowMs();

  function refill(now: number): void {
    if (options.ratePerSec === undefined) return;
    // At most one batch per validator of burst, so that the cap holds over short spans too.
    const burst = options.batchSize * targets.length;
    tokens = Math.min(burst, tokens + ((now - tokensAt) * options.ratePerSec) / 1000);
    tokensAt = now;
  }

  function refuse(code: string): void {
    stats.refusals.set(code, (stats.refusals.get(code) ?? 0) + 1);
  }

  /** Takes up to `batchSize` transactions of one shard, whole windows of senders in turn. */
  function takeBatch(shard: number, now: number): Array<{ state: SenderState; nonce: number }> {
    const entry = shards.get(shard);
    const batch: Array<{ state: SenderState; nonce: number }> = [];
    if (!entry) return batch;
    const count = entry.states.length;
    // Stop as soon as the rate cap's tokens run out, so that the cursor stays at the next sender
    // to serve (a full lap of refusals would bring it back to the same one every time).
    const hasTokens = () => options.ratePerSec === undefined || tokens >= 1;
    for (let visited = 0; visited < count && batch.length < options.batchSize && hasTokens(); visited++) {
      const state = entry.states[entry.cursor]!;
      entry.cursor = (entry.cursor + 1) % count;
      if (state.pausedUntil > now) continue;
      let room = Math.min(options.window - (state.next - state.committed), options.batchSize - batch.length);
      if (options.ratePerSec !== undefined) room = Math.min(room, Math.floor(tokens));
      while (room > 0) {
        if (state.next >= state.sender.transactions.length) {
          const before = state.sender.transactions.length;
          options.signMore(state.sender);
          stats.signedDuringRun += state.sender.transactions.length - before;
          if (state.sender.transactions.length === before) break;
        }
        const nonce = state.next++;
        if (!state.firstSentAt[nonce]) {
          state.firstSentAt[nonce] = now;
          stats.distinct++;
          if (options.isCrossShard?.(state.sender, nonce)) {
            // The id is the hash of the canonical encoding, which is what was signed and sent.
            const id = bytesToHex(sha256(hexToBytes(state.sender.transactions[nonce]!)));
            crossShard.set(id, { sentAt: now, creditedAt: 0 });
          }
        }
        state.lastSentAt[nonce] = now;
        batch.push({ state, nonce });
        room--;
        tokens--;
      }
    }
    return batch;
  }

  function rewind(state: SenderState, nonce: number, now: number): void {
    if (nonce < state.next) state.next = Math.max(nonce, state.committed);
    state.pausedUntil = now + PAUSE_AFTER_REFUSAL_MS;
  }

  function handle(batch: Array<{ state: SenderState; nonce: number }>, outcomes: BenchRpcOutcome[]): void {
    const now = options.nowMs();
    batch.forEach(({ state, nonce }, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) {
        stats.accepted++;
        return;
      }
      if (HARMLESS.has(outcome.code)) return;
      refuse(outcome.code);
      rewind(state, nonce, now);
    });
  }

  function send(target: (typeof targets)[number], batch: Array<{ state: SenderState; nonce: number }>): void {
    target.outstanding++;
    stats.requests++;
    const calls = batch.map(({ state, nonce }) => ({
      method: 'shardpay_submitTransaction',
      params: { tx: state.sender.transactions[nonce]! },
    }));
    const request = callBenchRpcBatch(target.rpcUrl, calls, options.requestTimeoutMs)
      .then(
        (outcomes) => handle(batch, outcomes),
        (error: unknown) => {
          const now = options.nowMs();
          refuse(isShardpayError(error) ? error.code : 'REQUEST_FAILED');
          for (const { state, nonce } of batch) rewind(state, nonce, now);
        },
      )
      .finally(() => {
        target.outstanding--;
        outstanding.delete(request);
        pump();
      });
    outstanding.add(request);
  }

  /** Fills every validator's free request slots with batches while senders have room. */
  function pump(): void {
    if (!running) return;
    const now = options.nowMs();
    refill(now);
    for (let turn = 0; turn < targets.length; turn++) {
      const target = targets[(targetCursor + turn) % targets.length]!;
      while (running && target.outstanding < options.requestsPerValidator) {
        const batch = takeBatch(target.shard, now);
        if (batch.length === 0) break;
        send(target, batch);
      }
    }
    targetCursor = (targetCursor + 1) % targets.length;
  }

  function resubmitFrom(state: SenderState, now: number): void {
    state.next = state.committed;
    state.lastProgressAt = now;
    state.missed = 0;
    stats.stalls++;
  }

  function resubmitStalled(): void {
    const now = options.nowMs();
    for (const state of states) {
      if (state.next > state.committed && now - state.lastProgressAt > options.stallMs)
        resubmitFrom(state, now);
    }
  }

  return {
    start() {
      running = true;
      ticker = setInterval(() => {
        resubmitStalled();
        pump();
      }, TICK_MS);
      pump();
    },

    async stop() {
      running = false;
      if (ticker) clearInterval(ticker);
      await Promise.allSettled([...outstanding]);
    },

    onCommitted(block, transactions, credited = []) {
      for (const id of credited) {
        const entry = crossShard.get(id);
        if (entry && !entry.creditedAt) entry.creditedAt = block.observedAtMs;
      }
      const progressed = new Set<SenderState>();
      for (const { publicKeyHex, nonce } of transactions) {
        const state = byKey.get(publicKeyHex);
        if (!state || state.committedAt[nonce]) continue;
        state.committedAt[nonce] = block.observedAtMs;
        stats.committed++;
        if (nonce + 1 > state.committed) {
          state.committed = nonce + 1;
          state.lastProgressAt = block.observedAtMs;
          state.missed = 0;
          progressed.add(state);
          if (state.next < state.committed) state.next = state.committed;
        }
      }
      for (const state of shards.get(block.shard)?.states ?? []) {
        if (progressed.has(state) || state.next <= state.committed) continue;
        const sentAt = state.lastSentAt[state.committed] ?? 0;
        if (sentAt + options.gossipSlackMs > block.timestampMs) continue;
        state.missed++;
        if (state.missed >= options.missedBlocks) resubmitFrom(state, block.observedAtMs);
      }
      pump();
    },

    stats() {
      let inFlight = 0;
      for (const state of states) inFlight += state.next - state.committed;
      return { ...stats, inFlight, refusals: new Map(stats.refusals) };
    },

    latencies(fromMs, toMs) {
      const samples: number[] = [];
      let pending = 0;
      for (const state of states) {
        state.firstSentAt.forEach((sentAt, nonce) => {
          if (!sentAt || sentAt < fromMs || sentAt >= toMs) return;
          const committedAt = state.committedAt[nonce];
          if (committedAt) samples.push(committedAt - sentAt);
          else pending++;
        });
      }
      return { samples, pending };
    },

    crossShardLatencies(fromMs, toMs) {
      const samples: number[] = [];
      let pending = 0;
      for (const { sentAt, creditedAt } of crossShard.values()) {
        if (sentAt < fromMs || sentAt >= toMs) continue;
        if (creditedAt) samples.push(creditedAt - sentAt);
        else pending++;
      }
      return { samples, pending };
    },
  };
}
