/**
 * End-to-end throughput of a validator network: S shards × n validators as separate `shardpay-node`
 * processes on loopback, fed signed transfers through JSON-RPC as fast as the machine takes them.
 *
 *   npm run bench:node -- [--shards 1] [--validators 4] [--duration 30] [--senders 200]
 *                         [--warmup 10] [--txs N] [--window 60] [--batch 100] [--requests 2]
 *                         [--rate TX_PER_SEC] [--cross-shard PCT] [--max-block-txs N]
 *                         [--min-block-interval MS] [--cpu-prof DIR] [--keep]
 *
 * The run itself is `runNodeBench.ts` (shared with `shardpay bench`); this file reads the flags,
 * handles Ctrl-C and prints.
 *
 * Genesis funds `--senders` accounts; their transfers (to recipients on the same shard, or for
 * `--cross-shard PCT` percent of them on another shard, timed until credited there) are signed
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
import { parseArgs } from 'node:util';
import { isShardpayError, ShardpayError } from '@shardpay/crypto';
import { defaultNodeRpcLimits, defaultNodeSettings } from '../src/index.ts';
import { defaultPresignCount, type NodeBenchOptions, runNodeBench } from './runNodeBench.ts';
import type { BenchNetwork } from './startBenchNetwork.ts';

const usage = `usage: npm run bench:node -- [--shards 1] [--validators 4] [--duration 30] [--senders 200]
       [--warmup 10] [--txs N] [--window 60] [--batch ${defaultNodeRpcLimits.maxBatch}] [--requests 2]
       [--rate TX_PER_SEC] [--cross-shard PCT] [--max-block-txs N] [--min-block-interval MS]
       [--cpu-prof DIR] [--keep]`;

function readOptions(argv: string[]): NodeBenchOptions {
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
      'cross-shard': { type: 'string' },
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
  // Enough for the whole run at more than a shard commits; more are signed on demand.
  const presign = defaultPresignCount(shards, warmupSec, durationSec);
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
    crossShardPct: integer('cross-shard', 0, 0, 100),
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

/** The running network, while there is one: what a second Ctrl-C must kill. */
let network: BenchNetwork | undefined;
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

async function main(): Promise<number> {
  let options: NodeBenchOptions;
  try {
    options = readOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`nodeBench: ${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
    return 2;
  }
  installCleanup();
  try {
    const report = await runNodeBench(options, {
      progress,
      onNetwork: (net) => {
        network = net;
      },
      interrupted: () => interrupted,
    });
    if (report) {
      const width = Math.max(...report.rows.map(([label]) => label.length));
      console.log('node benchmark: validators as separate processes on loopback, load through JSON-RPC');
      for (const [label, value] of report.rows) console.log(`  ${label.padEnd(width)}  ${value}`);
      console.log(JSON.stringify(report.json));
    }
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
    return 1;
  }
}

process.exitCode = await main();
// Whatever a library may still hold open (a keep-alive socket), the run is over.
setTimeout(() => process.exit(), 2000).unref();
