import { ShardpayError } from '@shardpay/crypto';
import type { BenchNetwork } from '@shardpay/node/bench';
import type { Command } from '../main.ts';
import type { Output } from '../output.ts';
import { parseCountFlag } from './parseCountFlag.ts';

const usage =
  'shardpay bench [--dir DIR of a running devnet] [--shards 1] [--validators 4] [--duration 30] [--warmup SEC] [--cross-shard PCT] [--rate TPS] [--senders 200] [--scaling] [--peers] [--peer-clients 16] [--json]';

/** A flag holding a whole number in min..max, or the fallback when left out. */
function rangeFlag(
  values: Record<string, string | boolean | undefined>,
  flag: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = values[flag];
  if (value === undefined) return fallback;
  if (
    typeof value !== 'string' ||
    !/^[0-9]{1,7}$/.test(value) ||
    Number(value) < min ||
    Number(value) > max
  ) {
    throw new ShardpayError(
      'USAGE',
      `--${flag} takes a whole number in ${min}..${max}, not ${JSON.stringify(value)}`,
      {
        meta: { flag },
      },
    );
  }
  return Number(value);
}

async function runBench(
  values: Record<string, string | boolean | undefined>,
  output: Output,
): Promise<number> {
  const durationSec = rangeFlag(values, 'duration', 30, 1, 3600);
  // The bench's modules (load generator, profilers, peers) load only when it runs: every other
  // command starts without them.
  const { attachDevnet } = await import('../bench/attachDevnet.ts');
  const attach = typeof values.dir === 'string' ? await attachDevnet(values.dir) : undefined;
  if (attach && (values.shards !== undefined || values.validators !== undefined || values.scaling === true)) {
    throw new ShardpayError(
      'USAGE',
      '--dir loads the devnet as it is: leave out --shards, --validators and --scaling',
    );
  }
  const options = {
    shards: attach ? attach.network.committees.length : rangeFlag(values, 'shards', 1, 1, 16),
    validators: attach
      ? attach.validators.filter((v) => v.shard === 0).length
      : rangeFlag(values, 'validators', values.scaling === true ? 1 : 4, 1, 31),
    ...(attach === undefined ? {} : { attach }),
    durationSec,
    warmupSec: rangeFlag(values, 'warmup', Math.min(10, durationSec), 0, 600),
    crossShardPct: rangeFlag(values, 'cross-shard', 0, 0, 100),
    rate: parseCountFlag(values.rate, 'rate'),
    senders: rangeFlag(values, 'senders', 200, 1, 100_000),
    scaling: values.scaling === true,
    peers: values.peers === true,
    databaseUrl: process.env.SHARDPAY_BENCH_DATABASE_URL || process.env.DATABASE_URL || undefined,
    peerClients: rangeFlag(values, 'peer-clients', 16, 1, 1000),
  };
  // Progress always goes to stderr: a run takes a minute, and stdout stays the one JSON object.
  const progress = (message: string) => process.stderr.write(`bench: ${message}\n`);
  let network: BenchNetwork | undefined;
  let interrupted = false;
  const onSignal = () => {
    // Between devnet runs (signing, peers) there is nothing to stop gracefully: exit at once.
    if (interrupted || network === undefined) {
      network?.killNow();
      process.exit(130);
    }
    interrupted = true;
    progress('interrupted: stopping the validators (again to kill them at once)');
  };
  const onExit = () => network?.killNow();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', onExit);
  try {
    const { runShardpayBench } = await import('../bench/runShardpayBench.ts');
    const { formatBenchResult } = await import('../bench/formatBenchResult.ts');
    const outcome = await runShardpayBench(options, {
      progress,
      onNetwork: (net) => {
        network = net;
      },
      interrupted: () => interrupted,
    });
    if (!outcome) return 130;
    output.result(outcome.result, () => formatBenchResult(outcome.result, outcome.table));
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', onExit);
  }
}

/** `shardpay bench`: throughput, latency and CPU of a devnet of its own, against the machine's limit and peers. */
export const benchCommand: Command = {
  summary: 'measure tx/s, latency and CPU of a fresh devnet (and peers with --peers)',
  usage,
  options: {
    dir: { type: 'string' },
    shards: { type: 'string' },
    validators: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    'cross-shard': { type: 'string' },
    rate: { type: 'string' },
    senders: { type: 'string' },
    scaling: { type: 'boolean' },
    peers: { type: 'boolean' },
    'peer-clients': { type: 'string' },
  },
  run: ({ values }, output) => runBench(values, output),
};
