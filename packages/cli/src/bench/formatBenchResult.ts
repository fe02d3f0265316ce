import type { PeerResult } from './peerWorkload.ts';
import type { ShardpayBenchResult } from './runShardpayBench.ts';

const n = (value: number | null | undefined, digits = 0) =>
  value === null || value === undefined || !Number.isFinite(value)
    ? 'n/a'
    : value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function peerLine(name: string, peer: PeerResult | undefined): [string, string] {
  if (!peer) return [name, 'not run'];
  if (!peer.ran) return [name, `did not run: ${peer.reason}`];
  return [
    name,
    `${n(peer.tps)} tx/s, p50 ${n(peer.p50Ms, 1)} ms, p99 ${n(peer.p99Ms, 1)} ms (${n(peer.transfers)} transfers in ${n(peer.durationSec, 1)} s; ${peer.setup})`,
  ];
}

/** The people's view of `shardpay bench`: the node table, the bound, scaling and peers. */
export function formatBenchResult(result: ShardpayBenchResult, nodeRows: Array<[string, string]>): string {
  const rows: Array<[string, string]> = [...nodeRows];
  rows.push(
    [
      'machine limit',
      `${n(result.limitTps)} tx/s = ${n(result.verifyPerSecPerCore)} signature checks per core-second × ${result.cores} cores ÷ ${result.shards * result.validators} validators on this machine`,
    ],
    ['ratio to the limit', n(result.ratioToLimit, 2)],
    [
      'CPU per tx per validator',
      `${n(result.cpuUsPerTxPerValidator)} µs (signature-check floor ${n(result.cpuFloorUsPerTx, 1)} µs; ${n(result.cpuToFloor, 1)}× the floor)`,
    ],
  );
  for (const row of result.scaling ?? []) {
    rows.push([
      `scaling: ${row.shards} shard(s) × ${row.validators}`,
      `${n(row.tps)} tx/s in total, per shard ${row.tpsPerShard.map((t) => n(t)).join(' / ')}; p99 ${n(row.p99Ms)} ms, cross-shard p99 ${n(row.crossShardP99Ms)} ms; ${n(row.cpuUsPerTxPerValidator)} µs CPU per tx per validator; other processes ${n(row.otherCpuPct)}%`,
    ]);
  }
  if ('postgres' in result.peers || 'hardhat' in result.peers) {
    rows.push(peerLine('peer: PostgreSQL ledger', result.peers.postgres as PeerResult | undefined));
    rows.push(peerLine('peer: Hardhat 3 / EDR', result.peers.hardhat as PeerResult | undefined));
    const ratios = result.peers.ratios as {
      shardpayToPostgres: number | null;
      shardpayToHardhat: number | null;
    };
    rows.push([
      'shardpay ÷ peer tx/s',
      `PostgreSQL ${n(ratios.shardpayToPostgres, 2)}, Hardhat ${n(ratios.shardpayToHardhat, 2)}`,
    ]);
  }
  const width = Math.max(...rows.map(([label]) => label.length));
  return [
    'shardpay bench: validators as separate processes on loopback, load through JSON-RPC',
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
  ].join('\n');
}
