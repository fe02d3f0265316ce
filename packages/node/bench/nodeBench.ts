/**
 * End-to-end throughput of a validator network: S shards × n validators as separate `shardpay-node`
 * processes on loopback, fed signed transfers through JSON-RPC as fast as the machine takes them.
 *
 *   npm run bench:node -- [--shards 1] [--validators 4] [--duration 30] [--senders 200]
 *                         [--warmup 10] [--txs N] [--window 60] [--batch 100] [--requests 2]
 *                         [--rate TX_PER_SEC] [--max-block-txs N] [--min-block-interval MS]
 *                         [--cpu-prof DIR] [--keep]
 *
 * Genesis funds `--senders` accounts; their transfers (to recipients on the same shard) are signed
 * before the load starts, `--txs` in all (more are signed on the spot if a sender runs out, which is
 * reported). Each sender keeps at most `--window` transactions submitted and not yet final (the
 * mempool allows a nonce gap of 64) and submits the next ones as blocks commit them; batches of
 * `--batch` calls go to the shard's validators in turn, `--requests` outstanding per validator.
 * `--rate` caps the offered load (for latency below saturation); by default it is open-loop at the
 * most the network takes. `--max-block-txs N` and `--min-block-interval MS` override the node's
 * default block size limit and minimum time between commit and next proposal (every other node
 * setting keeps its default). `--cpu-prof DIR` profiles every validator (`node --cpu-prof`; files
 * named by process id, listed at the start); `--keep` keeps the temp folder with the validators'
 * JSON-line logs.
 *
 * After `--warmup` seconds the bench measures `--duration` seconds: it follows every committed block
 * (a `newHeads` subscription times the commit, `shardpay_getBlock` counts the transactions) and
 * reports finalized transactions per second and blocks per second over the window by the blocks'
 * header timestamps (the proposers' clock; every process shares this machine's clock), with the rate
 * by commit-observation time beside it, the mean block size, and the submit→final latency of every
 * transaction first submitted in the window (first submission to the push announcing its block).
 *
 * Progress goes to stderr; the table to stdout, and its LAST line is a JSON object:
 *   {"shards":1,"validators":4,"tps":…,"p50Ms":…,"p99Ms":…,"blocks":…,"durationSec":…, …}
 * Every validator is stopped and the temp folder removed at the end, on failure and on Ctrl-C.
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { encodeAddress, isShardpayError, ShardpayError } from '@shardpay/crypto';
import { defaultNodeRpcLimits, defaultNodeSettings } from '../src/index.ts';
import { callBenchRpc } from './callBenchRpc.ts';
import {
  type BenchSender,
  createBenchRecipients,
  createBenchSenders,
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
const START_TIMEOUT_MS = 120_000;
const TAIL_MAX_MS = 30_000;
const PROGRESS_MS = 2_000;
const SEED = 'v1';
/** Transfers pre-signed per shard-second by default: above what a shard commits on a 2-core machine. */
const PRESIGN_TX_PER_SEC = 3_000;

const usage = `usage: npm run bench:node -- [--shards 1] [--validators 4] [--duration 30] [--senders 200]
       [--warmup 10] [--txs N] [--window 60] [--batch ${defaultNodeRpcLimits.maxBatch}] [--requests 2]
       [--rate TX_PER_SEC] [--max-block-txs N] [--min-block-interval MS] [--cpu-prof DIR] [--keep]`;

interface BenchOptions {
  shards: number;
  validators: number;
  durationSec: number;
  warmupSec: number;
  senders: number;
  txs: number;
  window: number;
  batch: number;
  requests: number;
  rate: number | undefined;
  maxBlockTxs: number | undefined;
  minBlockIntervalMs: number | undefined;
  cpuProfileDir: string | undefined;
  keep: boolean;
}

function readOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      shards: { type: 'string' },
      validators: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      senders: { type: 'string' },
      txs: { type: 'string' },
      window: { type: 'string' },
      batch: { type: 'string' },
      requests: { type: 'string' },
      rate: { type: 'string' },
      'max-block-txs': { type: 'string' },
      'min-block-interval': { type: 'string' },
      'cpu-prof': { type: 'string' },
      keep: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const integer = (name: keyof typeof values, fallback: number, min: number, max: number): number => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (typeof raw !== 'string' || !Number.isInteger(value) || value < min || value > max) {
      throw new ShardpayError('USAGE', `--${name}: expected a whole number in ${min}..${max}`, {
        meta: { field: name },
      });
    }
    return value;
  };
  const senders = integer('senders', 200, 1, 100_000);
  const shards = integer('shards', 1, 1, 16);
  const durationSec = integer('duration', 30, 1, 3600);
  const warmupSec = integer('warmup', 10, 0, 600);
  const maxWindow = defaultNodeSettings.mempool.maxNonceGap - 4;
  // Enough for PRESIGN_TX_PER_SEC per shard over warm-up, window and tail; more are signed on demand.
  const presign = Math.min(2_000_000, (warmupSec + durationSec + 20) * PRESIGN_TX_PER_SEC * shards);
  return {
    shards,
    validators: integer('validators', 4, 1, 31),
    durationSec,
    warmupSec,
    senders,
    txs: integer('txs', Math.max(senders, presign), senders, 10_000_000),
    window: integer('window', Math.min(60, maxWindow), 1, maxWindow),
    batch: integer('batch', defaultNodeRpcLimits.maxBatch, 1, defaultNodeRpcLimits.maxBatch),
    requests: integer('requests', 2, 1, 64),
    rate: values.rate === undefined ? undefined : integer('rate', 0, 1, 10_000_000),
    maxBlockTxs:
      values['max-block-txs'] === undefined ? undefined : integer('max-block-txs', 0, 1, 1_000_000),
    minBlockIntervalMs:
      values['min-block-interval'] === undefined ? undefined : integer('min-block-interval', 0, 0, 60_000),
    cpuProfileDir: values['cpu-prof'],
    keep: values.keep ?? false,
  };
}

const started = Date.now();
function progress(message: string): void {
  process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${message}\n`);
}

const format = (value: number, digits = 0) =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : 'n/a';

function describeRefusals(stats: LoadStats): string {
  if (stats.refusals.size === 0) return 'none';
  return [...stats.refusals].map(([code, count]) => `${code} ${format(count)}`).join(', ');
}

/** The running network, while there is one: what every exit path must stop. */
let network: BenchNetwork | undefined;
/** Stops submitting and following (set once the load exists). */
let stopLoad: (() => Promise<void>) | undefined;
let interrupted = false;
/** The stop a signal started; the process exits when it is done. */
let stoppingOnSignal: Promise<void> | undefined;

/** Ctrl-C / SIGTERM stop the validators and exit; a second one kills them at once; exit kills what is left. */
function installCleanup(): void {
  const onSignal = (signal: string) => {
    if (interrupted) {
      network?.killNow();
      process.exit(130);
    }
    interrupted = true;
    progress(`${signal}: stopping the validators (again to kill them at once)`);
    stoppingOnSignal = (network?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('exit', () => network?.killNow());
}

async function run(options: BenchOptions): Promise<void> {
  const loadBefore = loadavg()[0]!;
  const senders = createBenchSenders({ count: options.senders, shards: options.shards, seed: SEED });
  const recipients = createBenchRecipients(options.shards, 256, SEED);
  progress(
    `starting ${options.shards} shard(s) × ${options.validators} validators (separate processes, loopback)`,
  );
  network = await startBenchNetwork({
    shards: options.shards,
    validatorsPerShard: options.validators,
    balances: senders.map((sender) => ({ address: sender.address, amount: SENDER_BALANCE })),
    keepDir: options.keep,
    block: {
      ...(options.maxBlockTxs === undefined ? {} : { maxTransactions: options.maxBlockTxs }),
      ...(options.minBlockIntervalMs === undefined ? {} : { minIntervalMs: options.minBlockIntervalMs }),
    },
    ...(options.cpuProfileDir === undefined ? {} : { cpuProfileDir: options.cpuProfileDir }),
  });
  const net = network;
  progress(`folder ${net.dir}${options.keep ? ' (kept)' : ''}`);
  if (options.cpuProfileDir !== undefined) {
    const pids = net.validators.map((v) => `s${v.shard}v${v.index} = pid ${v.pid()}`).join(', ');
    progress(`CPU profiles go to ${options.cpuProfileDir} when the validators stop: ${pids}`);
  }

  // Signing runs while the validators start; it is not part of what the bench measures.
  const transferOptions = { chainId: net.network.chainId, recipients };
  const perSender = Math.ceil(options.txs / options.senders);
  const signStarted = performance.now();
  await signBenchTransfersInParallel(senders, perSender, transferOptions, availableParallelism());
  progress(
    `pre-signed ${format(perSender * senders.length)} transfers from ${format(senders.length)} senders in ${format((performance.now() - signStarted) / 1000, 1)} s`,
  );

  await net.waitUntilCommitting(2n, START_TIMEOUT_MS);
  progress('every validator answers and commits');
  await assertSenderFunded(net, senders[0]!);

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
        onBlock: (block, transactions) => driver.onCommitted(block, transactions),
        onError: (error) => followerErrors.push(error),
        onWarning: (message) => {
          if (!interrupted) progress(`warning: ${message}`);
        },
      }),
    );
  }
  stopLoad = async () => {
    for (const follower of followers) follower.stop();
    await driver.stop();
  };
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

  let cpuAtStart: ReturnType<typeof cpuNow> | undefined;
  let cpuAtEnd: ReturnType<typeof cpuNow> | undefined;
  let lastCommitted = 0;
  let lastTick = Date.now();
  let tailStarted = 0;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(PROGRESS_MS, 250)));
    if (interrupted) return;
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
      if (pending === 0 || now - tailStarted > TAIL_MAX_MS) break;
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

  await stopLoad();
  const stats = driver.stats();
  const loadAfter = loadavg()[0]!;
  progress('stopping the validators');
  await net.stop();
  network = undefined;

  const blocks: FollowedBlock[][] = followers.map((f) => [...f.blocks()]);
  const byHeader = blocks.map((list, shard) =>
    summarizeShardWindow(shard, list, warmupEnd, measureEnd, (b) => b.timestampMs),
  );
  const byObservation = blocks.map((list, shard) =>
    summarizeShardWindow(shard, list, warmupEnd, measureEnd, (b) => b.observedAtMs),
  );
  const { samples, pending } = driver.latencies(warmupEnd, measureEnd);
  const report = {
    tps: transactionsPerSecond(byHeader),
    tpsObserved: transactionsPerSecond(byObservation),
    blocksPerSec: blocksPerSecond(byHeader),
    blocks: byHeader.reduce((sum, w) => sum + w.blocks, 0),
    transactions: byHeader.reduce((sum, w) => sum + w.transactions, 0),
    spanSec: Math.max(...byHeader.map((w) => w.spanMs)) / 1000,
    p50: percentile(samples, 0.5),
    p99: percentile(samples, 0.99),
  };
  const inWindow = blocks.flat().filter((b) => b.timestampMs >= warmupEnd && b.timestampMs <= measureEnd);
  const polled = inWindow.filter((b) => b.observedByPoll).length;
  const laterRounds = inWindow.filter((b) => b.roundModCommittee !== 0).length;
  const cpu = describeCpu(cpuAtStart, cpuAtEnd, net.validators);
  const roundPct = (value: number | undefined) => (value === undefined ? null : Math.round(value));
  // CPU seconds the validators used per second, over transactions finalized per second.
  const cpuPerTxUs =
    cpu.validatorsPct === undefined || report.tps <= 0
      ? undefined
      : (cpu.validatorsPct / 100 / report.tps) * 1e6;

  const rows: Array<[string, string]> = [
    ['machine', `${cpus().length} cores, load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}`],
    [
      'network',
      `${options.shards} shard(s) × ${options.validators} validators, ${options.maxBlockTxs === undefined && options.minBlockIntervalMs === undefined ? 'default node settings' : 'default node settings but'} (block ≤ ${format(options.maxBlockTxs ?? defaultNodeSettings.block.maxTransactions)} txs, min interval ${options.minBlockIntervalMs ?? defaultNodeSettings.block.minIntervalMs} ms, propose timeout ${defaultNodeSettings.consensus.proposeBaseMs} ms + ${defaultNodeSettings.consensus.proposeDeltaMs} ms per round)`,
    ],
    [
      'load',
      `${format(options.senders)} senders, ≤ ${options.window} in flight each, ${options.batch} calls per batch, ${options.requests} requests per validator, ${options.rate === undefined ? 'open-loop at the most taken' : `offered ≤ ${format(options.rate)} tx/s`}`,
    ],
    [
      'window',
      `${options.durationSec} s after ${options.warmupSec} s warm-up; ${describeHeights(byHeader)}, span ${format(report.spanSec, 2)} s by header time`,
    ],
    ['finalized tx/s (header timestamps)', format(report.tps)],
    ['finalized tx/s (commit observed)', format(report.tpsObserved)],
    ['blocks/s', format(report.blocksPerSec, 2)],
    ['mean txs per block', format(report.blocks > 0 ? report.transactions / report.blocks : Number.NaN)],
    [
      'blocks decided after round 0',
      `${format(laterRounds)} of ${format(inWindow.length)} in the window (round 0's proposal timed out)`,
    ],
    [
      'submit→final latency p50 / p99',
      `${format(report.p50)} / ${format(report.p99)} ms (${format(samples.length)} txs first sent in the window; ${format(pending)} not final at the end)`,
    ],
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
  ];
  if (polled > 0) rows.push(['commits first seen by a poll', `${format(polled)} of the window's blocks`]);
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log('node benchmark: validators as separate processes on loopback, load through JSON-RPC');
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
  console.log(
    JSON.stringify({
      shards: options.shards,
      validators: options.validators,
      tps: Math.round(report.tps),
      p50Ms: Number.isFinite(report.p50) ? Math.round(report.p50) : null,
      p99Ms: Number.isFinite(report.p99) ? Math.round(report.p99) : null,
      blocks: report.blocks,
      durationSec: Number(report.spanSec.toFixed(2)),
      tpsObserved: Math.round(report.tpsObserved),
      blocksPerSec: Number(report.blocksPerSec.toFixed(2)),
      meanTxsPerBlock: report.blocks > 0 ? Math.round(report.transactions / report.blocks) : 0,
      transactions: report.transactions,
      latencySamples: samples.length,
      notFinal: pending,
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
    }),
  );
  if (report.blocks === 0) {
    throw new ShardpayError('BENCH_NO_BLOCKS', 'fewer than two blocks committed inside the window');
  }
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
async function assertSenderFunded(net: BenchNetwork, sender: BenchSender): Promise<void> {
  const validator = net.validators.find((v) => v.shard === sender.shard)!;
  const account = (await callBenchRpc(
    validator.rpcUrl,
    'shardpay_getAccount',
    { address: encodeAddress(sender.address, net.network.addressPrefix) },
    5000,
  )) as { balance: string; nonce: string };
  const dollars = (SENDER_BALANCE / 1_000_000n).toString();
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

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = readOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`nodeBench: ${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
    return 2;
  }
  installCleanup();
  try {
    await run(options);
    if (interrupted) await stoppingOnSignal;
    return interrupted ? 130 : 0;
  } catch (error) {
    if (interrupted) {
      await stoppingOnSignal;
      return 130;
    }
    const code = isShardpayError(error) ? ` [${error.code}]` : '';
    process.stderr.write(
      `nodeBench failed${code}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    await stopLoad?.();
    if (network) {
      process.stderr.write(`${network.logTails(12)}\n${await describeValidators(network)}\n`);
      if (!options.keep) process.stderr.write('(rerun with --keep to keep the folder and the whole logs)\n');
      progress('stopping the validators');
      await network.stop();
      network = undefined;
    }
    return 1;
  }
}

process.exitCode = await main();
// Whatever a library may still hold open (a keep-alive socket), the run is over.
setTimeout(() => process.exit(), 2000).unref();
