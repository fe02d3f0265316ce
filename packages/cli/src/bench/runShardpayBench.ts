import { cpus } from 'node:os';
import {
  type AttachedBenchNetwork,
  type BenchNetwork,
  measureVerifyRate,
  type NodeBenchJson,
  type NodeBenchOptions,
  type NodeBenchReport,
  runNodeBench,
} from '@shardpay/node/bench';
import type { PeerResult } from './peerWorkload.ts';
import { runHardhatPeer } from './runHardhatPeer.ts';
import { runPostgresPeer } from './runPostgresPeer.ts';

export interface ShardpayBenchOptions {
  shards: number;
  validators: number;
  durationSec: number;
  warmupSec: number;
  crossShardPct: number;
  rate: number | undefined;
  senders: number;
  scaling: boolean;
  peers: boolean;
  /** PostgreSQL server for the peer run (SHARDPAY_BENCH_DATABASE_URL or DATABASE_URL). */
  databaseUrl: string | undefined;
  /** Concurrent clients of each peer. */
  peerClients: number;
  /** Load this running devnet (`--dir`) instead of starting one; `shards`/`validators` come from it. */
  attach?: AttachedBenchNetwork;
}

export interface BenchHooks {
  progress(message: string): void;
  onNetwork(network: BenchNetwork | undefined): void;
  interrupted(): boolean;
}

/** One line of `--scaling`. */
export interface ScalingRow {
  shards: number;
  validators: number;
  tps: number;
  tpsPerShard: number[];
  p99Ms: number | null;
  crossShardP99Ms: number | null;
  cpuUsPerTxPerValidator: number | null;
  /** CPU % of one core that other processes of the machine used in this run's window. */
  otherCpuPct: number | null;
}

/** The object `shardpay bench --json` prints (CLI.md), with more fields after the documented ones. */
export interface ShardpayBenchResult {
  tps: number;
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
  crossShardP50Ms: number | null;
  crossShardP99Ms: number | null;
  cpuUsPerTxPerValidator: number | null;
  limitTps: number;
  ratioToLimit: number;
  peers: Record<string, unknown>;
  shards: number;
  validators: number;
  crossShardPct: number;
  durationSec: number;
  /** Native signature checks per CPU-second on one core, measured at the start of this run. */
  verifyPerSecPerCore: number;
  cores: number;
  /** One signature check per transaction per validator: the crypto floor of the CPU per transaction. */
  cpuFloorUsPerTx: number;
  cpuToFloor: number | null;
  scaling?: ScalingRow[];
  node: NodeBenchJson;
}

const round2 = (value: number) => Number(value.toFixed(2));

function nodeOptions(options: ShardpayBenchOptions, shards: number, validators: number): NodeBenchOptions {
  return {
    shards,
    validators,
    durationSec: options.durationSec,
    warmupSec: options.warmupSec,
    senders: options.senders,
    // Enough for 3,000 tx/s per shard over warm-up and window: above what a shard commits here.
    txs: Math.max(options.senders, (options.warmupSec + options.durationSec + 5) * 3000 * shards),
    window: 60,
    batch: 100,
    requests: 2,
    rate: options.rate,
    crossShardPct: options.crossShardPct,
    maxBlockTxs: undefined,
    minBlockIntervalMs: undefined,
    cpuProfileDir: undefined,
    keep: false,
    ...(options.attach === undefined ? {} : { attach: options.attach, seed: `attached-${Date.now()}` }),
  };
}

function perValidator(json: NodeBenchJson): number | null {
  return json.validatorCpuUsPerTx === null ? null : Math.round(json.validatorCpuUsPerTx / json.validators);
}

/**
 * `shardpay bench`: measures the machine's signature-check rate (the bound), runs the node
 * benchmark on a devnet of its own, then — with `--scaling` — 1, 2 and 4 shards, and — with
 * `--peers` — the same payment workload on PostgreSQL and on Hardhat's EDR. Returns undefined when
 * interrupted.
 */
export async function runShardpayBench(
  options: ShardpayBenchOptions,
  hooks: BenchHooks,
): Promise<{ result: ShardpayBenchResult; table: NodeBenchReport['rows'] } | undefined> {
  hooks.progress('measuring native signature checks on one core (2 s)');
  const verify = measureVerifyRate(2000);
  const cores = cpus().length;
  hooks.progress(
    `verify: ${verify.perCpuSecond.toLocaleString('en-US')} per CPU-second (${verify.backend}), ${verify.perWallSecond.toLocaleString('en-US')} per wall second`,
  );
  const nodeHooks = { progress: hooks.progress, onNetwork: hooks.onNetwork, interrupted: hooks.interrupted };
  const main = await runNodeBench(nodeOptions(options, options.shards, options.validators), nodeHooks);
  if (!main) return undefined;

  let scaling: ScalingRow[] | undefined;
  if (options.scaling) {
    scaling = [];
    for (const shards of [1, 2, 4]) {
      const json =
        shards === options.shards
          ? main.json
          : (await runNodeBench(nodeOptions(options, shards, options.validators), nodeHooks))?.json;
      if (!json) return undefined;
      scaling.push({
        shards,
        validators: options.validators,
        tps: json.tps,
        tpsPerShard: json.tpsPerShard,
        p99Ms: json.p99Ms,
        crossShardP99Ms: json.crossShardP99Ms,
        cpuUsPerTxPerValidator: perValidator(json),
        otherCpuPct: json.cpuPct.other,
      });
    }
  }

  const peers: Record<string, unknown> = {};
  if (options.peers) {
    const peerDuration = Math.max(1, Math.min(options.durationSec, 30));
    let postgres: PeerResult;
    if (options.databaseUrl === undefined) {
      postgres = { ran: false, reason: 'no SHARDPAY_BENCH_DATABASE_URL or DATABASE_URL set' };
    } else {
      hooks.progress(
        `peer: PostgreSQL double-entry ledger, ${options.peerClients} clients, ${peerDuration} s`,
      );
      postgres = await runPostgresPeer({
        serverUrl: options.databaseUrl,
        durationSec: peerDuration,
        clients: options.peerClients,
        senders: options.senders,
        recipients: 256,
      });
    }
    hooks.progress(`peer: Hardhat 3 / EDR automine, ${options.peerClients} clients, ${peerDuration} s`);
    const hardhat = await runHardhatPeer({
      durationSec: peerDuration,
      clients: options.peerClients,
      recipients: 256,
    });
    peers.postgres = postgres;
    peers.hardhat = hardhat;
    peers.ratios = {
      shardpayToPostgres: postgres.ran && postgres.tps > 0 ? round2(main.json.tps / postgres.tps) : null,
      shardpayToHardhat: hardhat.ran && hardhat.tps > 0 ? round2(main.json.tps / hardhat.tps) : null,
    };
  }

  const validatorsOnMachine = options.shards * options.validators;
  const limitTps = Math.round((verify.perCpuSecond * cores) / validatorsOnMachine);
  const cpuPerValidator = perValidator(main.json);
  const cpuFloorUsPerTx = round2(1e6 / verify.perCpuSecond);
  const result: ShardpayBenchResult = {
    tps: main.json.tps,
    p50Ms: main.json.p50Ms,
    p90Ms: main.json.p90Ms,
    p99Ms: main.json.p99Ms,
    crossShardP50Ms: main.json.crossShardP50Ms,
    crossShardP99Ms: main.json.crossShardP99Ms,
    cpuUsPerTxPerValidator: cpuPerValidator,
    limitTps,
    ratioToLimit: limitTps > 0 ? round2(main.json.tps / limitTps) : 0,
    peers,
    shards: options.shards,
    validators: options.validators,
    crossShardPct: main.json.crossShardPct,
    durationSec: main.json.durationSec,
    verifyPerSecPerCore: verify.perCpuSecond,
    cores,
    cpuFloorUsPerTx,
    cpuToFloor: cpuPerValidator === null ? null : round2(cpuPerValidator / cpuFloorUsPerTx),
    ...(scaling === undefined ? {} : { scaling }),
    node: main.json,
  };
  return { result, table: main.rows };
}
