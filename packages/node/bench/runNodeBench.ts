/**
 * One run of the node benchmark as a function, for `npm run bench:node` and `shardpay bench`: starts
 * S shards × n validators as separate `shardpay-node` processes on loopback, drives pre-signed
 * transfers open-loop through JSON-RPC, follows every committed block, and returns what it measured.
 * Every validator is stopped and the temp folder removed before it returns or throws.
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import { encodeAddress, isShardpayError, ShardpayError } from '@shardpay/crypto';
import { defaultNodeSettings } from '../src/index.ts';
import { type AttachedBenchNetwork, fundBenchAccounts } from './attachBenchNetwork.ts';
import { callBenchRpc } from './callBenchRpc.ts';
import {
  type BenchSender,
  createBenchRecipients,
  createBenchSenders,
  isCrossShardTransfer,
  signBenchTransfers,
} from './createBenchSenders.ts';
import { type BlockFollower, createBlockFollower, type FollowedBlock } from './createBlockFollower.ts';
import { createLoadDriver, type LoadStats } from './createLoadDriver.ts';
import { clockTicksPerSecond, machineCpuMs, processCpuMs } from './readCpuTimes.ts';
import { signBenchTransfersInParallel } from './signBenchTransfersInParallel.ts';
import { type BenchNetwork, startBenchNetwork } from './startBenchNetwork.ts';
import {
  blocksPerSecond,
  percentile,
  type ShardWindow,
  summarizeShardWindow,
  transactionsPerSecond,
} from './summarizeWindow.ts';

const SENDER_BALANCE = 1_000_000_000_000n; // 1,000,000 dollars each, far above what a run spends
/** Paid to each sender on a network the bench did not start (a faucet holds 1,000,000 dollars). */
const ATTACHED_SENDER_BALANCE = 1_000_000_000n;
const START_TIMEOUT_MS = 120_000;
const TAIL_MAX_MS = 30_000;
const PROGRESS_MS = 2_000;
const SEED = 'v1';

export interface NodeBenchOptions {
  shards: number;
  validators: number;
  durationSec: number;
  warmupSec: number;
  senders: number;
  /** Transfers pre-signed in all (more are signed on the spot if a sender runs out). */
  txs: number;
  window: number;
  batch: number;
  requests: number;
  rate: number | undefined;
  /** Percent of transfers to a recipient on another shard (0..100; ignored with one shard). */
  crossShardPct: number;
  maxBlockTxs: number | undefined;
  minBlockIntervalMs: number | undefined;
  cpuProfileDir: string | undefined;
  keep: boolean;
  /**
   * Load this running network instead of starting one: fresh senders (from `seed`) are paid by its
   * funders first; it is left running. Node settings and profiling options do not apply then.
   */
  attach?: AttachedBenchNetwork;
  /** Seeds the sender keys; a network that is loaded twice needs a new seed each time (nonces start at 0). */
  seed?: string;
}

export interface NodeBenchHooks {
  /** A progress line (for stderr). */
  progress(message: string): void;
  /** The network while it runs (undefined once stopped), so that a signal handler can kill it. */
  onNetwork?(network: BenchNetwork | undefined): void;
  /** True once the run should stop early (Ctrl-C): the run stops the validators and returns undefined. */
  interrupted?(): boolean;
}

/** What a run measured: `json` is the machine-readable summary, `rows` the table for people. */
export interface NodeBenchReport {
  json: NodeBenchJson;
  rows: Array<[string, string]>;
}

export interface NodeBenchJson {
  shards: number;
  validators: number;
  tps: number;
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
  blocks: number;
  durationSec: number;
  tpsObserved: number;
  /** Finalized tx/s of each shard over its own span. */
  tpsPerShard: number[];
  blocksPerSec: number;
  meanTxsPerBlock: number;
  transactions: number;
  latencySamples: number;
  notFinal: number;
  crossShardPct: number;
  crossShardP50Ms: number | null;
  crossShardP99Ms: number | null;
  crossShardSamples: number;
  crossShardNotCredited: number;
  laterRoundBlocks: number;
  senders: number;
  offeredRate: number | null;
  maxBlockTxs: number;
  minBlockIntervalMs: number;
  /** CPU µs of all validators together per finalized transaction. */
  validatorCpuUsPerTx: number | null;
  cpuPct: { validators: number | null; bench: number | null; other: number | null };
  loadAverage: number;
}

/** Transfers pre-signed per shard-second by default: above what a shard commits on a 2-core machine. */
export const PRESIGN_TX_PER_SEC = 3_000;

/** The default number of transfers to pre-sign for a run (warm-up, window and a 20 s tail). */
export function defaultPresignCount(shards: number, warmupSec: number, durationSec: number): number {
  return Math.min(2_000_000, (warmupSec + durationSec + 20) * PRESIGN_TX_PER_SEC * shards);
}

export const format = (value: number, digits = 0) =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : 'n/a';

function describeRefusals(stats: LoadStats): string {
  if (stats.refusals.size === 0) return 'none';
  return [...stats.refusals].map(([code, count]) => `${code} ${format(count)}`).join(', ');
}

const rounded = (value: number) => (Number.isFinite(value) ? Math.round(value) : null);

/**
 * Runs the benchmark. On failure it prints the validators' log tails and state through
 * `hooks.progress`, stops the network and rethrows.
 */
export async function runNodeBench(
  options: NodeBenchOptions,
  hooks: NodeBenchHooks,
): Promise<NodeBenchReport | undefined> {
  const { progress } = hooks;
  const interrupted = () => hooks.interrupted?.() ?? false;
  const seed = options.seed ?? SEED;
  const senders = createBenchSenders({ count: options.senders, shards: options.shards, seed });
  const recipients = createBenchRecipients(options.shards, 256, SEED);
  progress(
    options.attach
      ? `loading the running network in ${options.attach.dir}: ${options.shards} shard(s) × ${options.validators} validators`
      : `starting ${options.shards} shard(s) × ${options.validators} validators (separate processes, loopback)`,
  );
  const net =
    options.attach ??
    (await startBenchNetwork({
      shards: options.shards,
      validatorsPerShard: options.validators,
      balances: senders.map((sender) => ({ address: sender.address, amount: SENDER_BALANCE })),
      keepDir: options.keep,
      block: {
        ...(options.maxBlockTxs === undefined ? {} : { maxTransactions: options.maxBlockTxs }),
        ...(options.minBlockIntervalMs === undefined ? {} : { minIntervalMs: options.minBlockIntervalMs }),
      },
      ...(options.cpuProfileDir === undefined ? {} : { cpuProfileDir: options.cpuProfileDir }),
    }));
  hooks.onNetwork?.(net);
  let stopLoad: (() => Promise<void>) | undefined;
  try {
    const report = await measure(net, senders, recipients, options, hooks, (stop) => {
      stopLoad = stop;
    });
    return report;
  } catch (error) {
    if (!interrupted()) {
      progress(`failed${isShardpayError(error) ? ` [${error.code}]` : ''}: ${String(error)}`);
      await stopLoad?.();
      progress(`${net.logTails(12)}\n${await describeValidators(net)}`);
      if (!options.keep) progress('(rerun with --keep to keep the folder and the whole logs)');
    }
    throw error;
  } finally {
    await stopLoad?.();
    progress(options.attach ? 'done; the devnet keeps running' : 'stopping the validators');
    await net.stop();
    hooks.onNetwork?.(undefined);
  }
}

async function measure(
  net: BenchNetwork,
  senders: BenchSender[],
  recipients: ReturnType<typeof createBenchRecipients>,
  options: NodeBenchOptions,
  hooks: NodeBenchHooks,
  setStopLoad: (stop: () => Promise<void>) => void,
): Promise<NodeBenchReport | undefined> {
  const { progress } = hooks;
  const interrupted = () => hooks.interrupted?.() ?? false;
  const loadBefore = loadavg()[0]!;
  progress(`folder ${net.dir}${options.keep ? ' (kept)' : ''}`);
  if (options.cpuProfileDir !== undefined) {
    const pids = net.validators.map((v) => `s${v.shard}v${v.index} = pid ${v.pid()}`).join(', ');
    progress(`CPU profiles go to ${options.cpuProfileDir} when the validators stop: ${pids}`);
  }

  // Signing runs while the validators start; it is not part of what the bench measures.
  const transferOptions = { chainId: net.network.chainId, recipients, crossShardPct: options.crossShardPct };
  const perSender = Math.ceil(options.txs / options.senders);
  const signStarted = performance.now();
  await signBenchTransfersInParallel(senders, perSender, transferOptions, availableParallelism());
  progress(
    `pre-signed ${format(perSender * senders.length)} transfers from ${format(senders.length)} senders in ${format((performance.now() - signStarted) / 1000, 1)} s`,
  );

  await net.waitUntilCommitting(2n, START_TIMEOUT_MS);
  progress('every validator answers and commits');
  if (options.attach) {
    progress(`paying ${senders.length} fresh senders from the network's faucets`);
    await fundBenchAccounts(options.attach, senders, ATTACHED_SENDER_BALANCE);
  }
  await assertSenderFunded(net, senders[0]!, options.attach ? ATTACHED_SENDER_BALANCE : SENDER_BALANCE);

  const followerErrors: unknown[] = [];
  const ticks = clockTicksPerSecond();
  const driver = createLoadDriver(
    senders,
    net.validators.map((v) => ({ shard: v.shard, rpcUrl: v.rpcUrl })),
    {
      window: options.window,
      batchSize: options.batch,
      requestsPerValidator: options.requests,
      requestTimeoutMs: 30_000,
      missedBlocks: 5,
      gossipSlackMs: 2000,
      stallMs: 30_000,
      ...(options.rate === undefined ? {} : { ratePerSec: options.rate }),
      isCrossShard: (sender, nonce) => isCrossShardTransfer(sender.publicKey, nonce, transferOptions),
      signMore: (sender: BenchSender) => {
        sender.transactions.push(
          ...signBenchTransfers(sender, sender.transactions.length, options.window, transferOptions),
        );
      },
      nowMs: () => Date.now(),
    },
  );
  const followers: BlockFollower[] = [];
  for (let shard = 0; shard < options.shards; shard++) {
    const shardValidators = net.validators.filter((v) => v.shard === shard);
    followers.push(
      createBlockFollower({
        shard,
        rpcUrls: shardValidators.map((v) => v.rpcUrl),
        wsUrl: shardValidators[0]!.wsUrl,
        committeeSize: options.validators,
        nowMs: () => Date.now(),
        onBlock: (block, transactions, credited) => driver.onCommitted(block, transactions, credited),
        onError: (error) => followerErrors.push(error),
        onWarning: (message) => {
          if (!interrupted()) progress(`warning: ${message}`);
        },
      }),
    );
  }
  let loadStopped = false;
  setStopLoad(async () => {
    if (loadStopped) return;
    loadStopped = true;
    for (const follower of followers) follower.stop();
    await driver.stop();
  });
  await Promise.all(followers.map((follower) => follower.start()));

  const cpuNow = () => ({
    validators: net.validators.map((v) => processCpuMs(v.pid(), ticks)),
    bench: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
    machine: machineCpuMs(ticks),
    at: Date.now(),
  });

  driver.start();
  const loadStarted = Date.now();
  const warmupEnd = loadStarted + options.warmupSec * 1000;
  const measureEnd = warmupEnd + options.durationSec * 1000;
  progress(`load started: warm-up ${options.warmupSec} s, then ${options.durationSec} s measured`);

  let cpuAtStart: CpuSnapshot | undefined;
  let cpuAtEnd: CpuSnapshot | undefined;
  let lastCommitted = 0;
  let lastTick = Date.now();
  let tailStarted = 0;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(PROGRESS_MS, 250)));
    if (interrupted()) return undefined;
    net.assertRunning();
    if (followerErrors.length > 0) throw followerErrors[0];
    const now = Date.now();
    if (!cpuAtStart && now >= warmupEnd) cpuAtStart = cpuNow();
    if (!cpuAtEnd && now >= measureEnd) {
      cpuAtEnd = cpuNow();
      tailStarted = now;
      progress('window closed: waiting for the window’s transactions to be final');
    }
    if (cpuAtEnd) {
      const { pending } = driver.latencies(warmupEnd, measureEnd);
      const cross = driver.crossShardLatencies(warmupEnd, measureEnd);
      if ((pending === 0 && cross.pending === 0) || now - tailStarted > TAIL_MAX_MS) break;
    }
    if (now - lastTick >= PROGRESS_MS) {
      const stats = driver.stats();
      const phase = now < warmupEnd ? 'warm-up' : now < measureEnd ? 'measure' : 'tail';
      const heights = followers
        .map((f) => `${f.height()}${f.round() > 0 ? ` (round ${f.round()})` : ''}`)
        .join(' / ');
      progress(
        `${phase.padEnd(7)} height ${heights}  final ${format(stats.committed)}  ` +
          `${format(((stats.committed - lastCommitted) / (now - lastTick)) * 1000)} tx/s  ` +
          `in flight ${format(stats.inFlight)}  refused ${format([...stats.refusals.values()].reduce((a, b) => a + b, 0))}`,
      );
      lastCommitted = stats.committed;
      lastTick = now;
    }
  }

  for (const follower of followers) follower.stop();
  await driver.stop();
  const stats = driver.stats();
  const loadAfter = loadavg()[0]!;

  const blocks: FollowedBlock[][] = followers.map((f) => [...f.blocks()]);
  const byHeader = blocks.map((list, shard) =>
    summarizeShardWindow(shard, list, warmupEnd, measureEnd, (b) => b.timestampMs),
  );
  const byObservation = blocks.map((list, shard) =>
    summarizeShardWindow(shard, list, warmupEnd, measureEnd, (b) => b.observedAtMs),
  );
  const { samples, pending } = driver.latencies(warmupEnd, measureEnd);
  const cross = driver.crossShardLatencies(warmupEnd, measureEnd);
  const report = {
    tps: transactionsPerSecond(byHeader),
    tpsObserved: transactionsPerSecond(byObservation),
    blocksPerSec: blocksPerSecond(byHeader),
    blocks: byHeader.reduce((sum, w) => sum + w.blocks, 0),
    transactions: byHeader.reduce((sum, w) => sum + w.transactions, 0),
    spanSec: Math.max(...byHeader.map((w) => w.spanMs)) / 1000,
    p50: percentile(samples, 0.5),
    p90: percentile(samples, 0.9),
    p99: percentile(samples, 0.99),
    crossP50: percentile(cross.samples, 0.5),
    crossP99: percentile(cross.samples, 0.99),
  };
  const inWindow = blocks.flat().filter((b) => b.timestampMs >= warmupEnd && b.timestampMs <= measureEnd);
  const polled = inWindow.filter((b) => b.observedByPoll).length;
  const laterRounds = inWindow.filter((b) => b.roundModCommittee !== 0).length;
  const cpu = describeCpu(cpuAtStart, cpuAtEnd, net.validators);
  // CPU seconds the validators used per second, over transactions finalized per second.
  const cpuPerTxUs =
    cpu.validatorsPct === undefined || report.tps <= 0
      ? undefined
      : (cpu.validatorsPct / 100 / report.tps) * 1e6;
  const crossPct = options.shards > 1 ? options.crossShardPct : 0;

  const rows: Array<[string, string]> = [
    ['machine', `${cpus().length} cores, load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}`],
    [
      'network',
      options.attach
        ? `${options.shards} shard(s) × ${options.validators} validators, the running devnet in ${options.attach.dir} (its own settings)`
        : `${options.shards} shard(s) × ${options.validators} validators, ${options.maxBlockTxs === undefined && options.minBlockIntervalMs === undefined ? 'default node settings' : 'default node settings but'} (block ≤ ${format(options.maxBlockTxs ?? defaultNodeSettings.block.maxTransactions)} txs, min interval ${options.minBlockIntervalMs ?? defaultNodeSettings.block.minIntervalMs} ms, propose timeout ${defaultNodeSettings.consensus.proposeBaseMs} ms + ${defaultNodeSettings.consensus.proposeDeltaMs} ms per round)`,
    ],
    [
      'load',
      `${format(options.senders)} senders, ≤ ${options.window} in flight each, ${options.batch} calls per batch, ${options.requests} requests per validator, ${options.rate === undefined ? 'open-loop at the most taken' : `offered ≤ ${format(options.rate)} tx/s`}, ${crossPct}% cross-shard`,
    ],
    [
      'window',
      `${options.durationSec} s after ${options.warmupSec} s warm-up; ${describeHeights(byHeader)}, span ${format(report.spanSec, 2)} s by header time`,
    ],
    ['finalized tx/s (header timestamps)', format(report.tps)],
    ['finalized tx/s (commit observed)', format(report.tpsObserved)],
  ];
  if (options.shards > 1) {
    rows.push([
      'finalized tx/s per shard',
      byHeader
        .map((w) => `shard ${w.shard} ${format(w.spanMs > 0 ? (w.transactions / w.spanMs) * 1000 : 0)}`)
        .join(', '),
    ]);
  }
  rows.push(
    ['blocks/s', format(report.blocksPerSec, 2)],
    ['mean txs per block', format(report.blocks > 0 ? report.transactions / report.blocks : Number.NaN)],
    [
      'blocks decided after round 0',
      `${format(laterRounds)} of ${format(inWindow.length)} in the window (round 0's proposal timed out)`,
    ],
    [
      'submit→final latency p50 / p90 / p99',
      `${format(report.p50)} / ${format(report.p90)} / ${format(report.p99)} ms (${format(samples.length)} txs first sent in the window; ${format(pending)} not final at the end)`,
    ],
  );
  if (crossPct > 0) {
    rows.push([
      'cross-shard submit→credited p50 / p99',
      `${format(report.crossP50)} / ${format(report.crossP99)} ms (${format(cross.samples.length)} transfers; ${format(cross.pending)} not credited at the end)`,
    ]);
  }
  rows.push(
    [
      'submissions',
      `${format(stats.distinct)} distinct, ${format(stats.accepted)} accepted, ${format(stats.requests)} requests; stalled senders resubmitted ${format(stats.stalls)}`,
    ],
    ['refusals', describeRefusals(stats)],
    [
      'signed during the run',
      stats.signedDuringRun > 0
        ? `${format(stats.signedDuringRun)} (the pre-signed ones ran out: raise --txs; signing cost CPU in the window)`
        : '0',
    ],
    ['CPU in the window (% of one core)', cpu.text],
    [
      'validator CPU per final transaction',
      cpuPerTxUs === undefined
        ? 'n/a'
        : `${format(cpuPerTxUs)} µs for all validators together, ${format(cpuPerTxUs / options.validators)} µs for each of the ${options.validators} validators of its shard (steadier than tx/s on a shared machine)`,
    ],
  );
  if (polled > 0) rows.push(['commits first seen by a poll', `${format(polled)} of the window's blocks`]);

  const roundPct = (value: number | undefined) => (value === undefined ? null : Math.round(value));
  const json: NodeBenchJson = {
    shards: options.shards,
    validators: options.validators,
    tps: Math.round(report.tps),
    p50Ms: rounded(report.p50),
    p90Ms: rounded(report.p90),
    p99Ms: rounded(report.p99),
    blocks: report.blocks,
    durationSec: Number(report.spanSec.toFixed(2)),
    tpsObserved: Math.round(report.tpsObserved),
    tpsPerShard: byHeader.map((w) => Math.round(w.spanMs > 0 ? (w.transactions / w.spanMs) * 1000 : 0)),
    blocksPerSec: Number(report.blocksPerSec.toFixed(2)),
    meanTxsPerBlock: report.blocks > 0 ? Math.round(report.transactions / report.blocks) : 0,
    transactions: report.transactions,
    latencySamples: samples.length,
    notFinal: pending,
    crossShardPct: crossPct,
    crossShardP50Ms: rounded(report.crossP50),
    crossShardP99Ms: rounded(report.crossP99),
    crossShardSamples: cross.samples.length,
    crossShardNotCredited: cross.pending,
    laterRoundBlocks: laterRounds,
    senders: options.senders,
    offeredRate: options.rate ?? null,
    maxBlockTxs: options.maxBlockTxs ?? defaultNodeSettings.block.maxTransactions,
    minBlockIntervalMs: options.minBlockIntervalMs ?? defaultNodeSettings.block.minIntervalMs,
    validatorCpuUsPerTx: cpuPerTxUs === undefined ? null : Math.round(cpuPerTxUs),
    cpuPct: {
      validators: roundPct(cpu.validatorsPct),
      bench: roundPct(cpu.benchPct),
      other: roundPct(cpu.otherPct),
    },
    loadAverage: Number(loadBefore.toFixed(2)),
  };
  if (report.blocks === 0) {
    throw new ShardpayError('BENCH_NO_BLOCKS', 'fewer than two blocks committed inside the window');
  }
  return { json, rows };
}

function describeHeights(windows: readonly ShardWindow[]): string {
  return windows
    .map(
      (w) =>
        `${windows.length > 1 ? `shard ${w.shard} ` : ''}heights ${w.fromHeight + 1n}..${w.toHeight} (${w.blocks} blocks)`,
    )
    .join(', ');
}

type CpuSnapshot = {
  validators: Array<number | undefined>;
  bench: number;
  machine: { busyMs: number; stolenMs: number } | undefined;
  at: number;
};

/** CPU use in the window, in % of one core: per validator, the bench, and other processes of the machine. */
interface CpuUse {
  text: string;
  validatorsPct: number | undefined;
  benchPct: number | undefined;
  otherPct: number | undefined;
}

function describeCpu(
  start: CpuSnapshot | undefined,
  end: CpuSnapshot | undefined,
  validators: BenchNetwork['validators'],
): CpuUse {
  if (!start || !end || end.at <= start.at) {
    return { text: 'n/a', validatorsPct: undefined, benchPct: undefined, otherPct: undefined };
  }
  const span = end.at - start.at;
  const parts: string[] = [];
  const bench = (end.bench - start.bench) / span;
  let ofValidators = 0;
  validators.forEach((v, k) => {
    const a = start.validators[k];
    const b = end.validators[k];
    if (a === undefined || b === undefined) {
      parts.push(`s${v.shard}v${v.index} n/a`);
      return;
    }
    ofValidators += (b - a) / span;
    parts.push(`s${v.shard}v${v.index} ${format(((b - a) / span) * 100)}%`);
  });
  parts.push(`bench ${format(bench * 100)}%`);
  const ours = ofValidators + bench;
  let machine = '';
  let other: number | undefined;
  if (start.machine && end.machine) {
    const busy = (end.machine.busyMs - start.machine.busyMs) / span;
    const stolen = (end.machine.stolenMs - start.machine.stolenMs) / span;
    other = Math.max(0, busy - ours);
    machine = `; whole machine busy ${format(busy * 100)}% (other processes ${format(other * 100)}%)${stolen > 0.005 ? `, stolen by the host ${format(stolen * 100)}%` : ''}`;
  }
  return {
    text: `${parts.join(', ')}; ours ${format(ours * 100)}% of ${cpus().length * 100}%${machine}`,
    validatorsPct: ofValidators * 100,
    benchPct: bench * 100,
    otherPct: other === undefined ? undefined : other * 100,
  };
}

/** The genesis funded the senders: check one balance through RPC before loading the network. */
async function assertSenderFunded(net: BenchNetwork, sender: BenchSender, balance: bigint): Promise<void> {
  const validator = net.validators.find((v) => v.shard === sender.shard)!;
  const account = (await callBenchRpc(
    validator.rpcUrl,
    'shardpay_getAccount',
    { address: encodeAddress(sender.address, net.network.addressPrefix) },
    5000,
  )) as { balance: string; nonce: string };
  const dollars = (balance / 1_000_000n).toString();
  if (account.balance !== `${dollars}.000000` && account.balance !== dollars) {
    throw new ShardpayError('BENCH_GENESIS_MISMATCH', `sender 0 holds ${account.balance}, not ${dollars}`);
  }
}

/** Each validator's height, round and peer count, for a failure report. */
async function describeValidators(net: BenchNetwork): Promise<string> {
  const lines = await Promise.all(
    net.validators.map(async (v) => {
      try {
        const info = (await callBenchRpc(v.rpcUrl, 'shardpay_networkInfo', {}, 3000)) as {
          height: string;
          round: number;
          peers: number;
        };
        return `shard ${v.shard} validator ${v.index}: height ${info.height}, round ${info.round}, ${info.peers} peers`;
      } catch (error) {
        return `shard ${v.shard} validator ${v.index}: no answer (${isShardpayError(error) ? error.code : String(error)})`;
      }
    }),
  );
  return lines.join('\n');
}
