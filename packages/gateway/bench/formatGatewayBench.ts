import type { GatewayBenchReport, PhaseReport } from './runGatewayBench.ts';

const n = (value: number | null | undefined) =>
  value === null || value === undefined ? 'n/a' : value.toLocaleString('en-US', { maximumFractionDigits: 1 });

function failures(phase: PhaseReport): string {
  const parts = Object.entries(phase.errorCodes).map(([code, count]) => `${count}× ${code}`);
  if (phase.errors > 0) parts.push(`${phase.errors} socket errors`);
  if (phase.timeouts > 0) parts.push(`${phase.timeouts} timeouts`);
  return parts.length === 0 ? '0' : parts.join(', ');
}

function probes(phase: PhaseReport): string {
  const p = phase.probes;
  return `validator RPC p50/p99 ${n(p.rpcP50Ms)}/${n(p.rpcP99Ms)} ms, PostgreSQL p50 ${n(p.pgP50Ms)} ms, backends active ${n(p.pgActive)} (waiting for an advisory lock ${n(p.pgAdvisoryWaiting)}, another lock ${n(p.pgOtherWaiting)})`;
}

function cpu(phase: PhaseReport): string {
  const c = phase.cpuPct;
  return `gw ${n(c.gateway)} / val ${n(c.validators)} / pg ${n(c.postgres)} / bench ${n(c.bench)} / other ${n(c.other)}`;
}

/** The human table of a gateway bench run (the JSON object is the machine form). */
export function formatGatewayBench(report: GatewayBenchReport): string {
  const lines = [
    `gateway load: ${report.shards} shard × ${report.validators} validators, PostgreSQL, ${report.connections} connections, ${report.durationSec} s per phase, ${report.senders} senders / ${report.users} users, rate limit ${n(report.rateLimitMax)}/min per IP, load average ${report.loadAverage.start} → ${report.loadAverage.end} on ${report.cores} cores`,
    '',
    '| replicas | phase | req/s (2xx) | p50 ms | p99 ms | non-2xx / errors | chain tx/s | CPU % of a core |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const run of report.runs) {
    lines.push(
      `| ${run.replicas} | balance reads | ${n(run.reads.okPerSec)} | ${n(run.reads.p50Ms)} | ${n(run.reads.p99Ms)} | ${failures(run.reads)} | — | ${cpu(run.reads)} |`,
      `| ${run.replicas} | payments | ${n(run.payments.okPerSec)} | ${n(run.payments.p50Ms)} | ${n(run.payments.p99Ms)} | ${failures(run.payments)} | ${n(run.payments.chain.finalizedTxPerSec)} | ${cpu(run.payments)} |`,
    );
  }
  lines.push('');
  for (const run of report.runs) {
    const p = run.payments;
    lines.push(
      `${run.replicas} replica(s): payments sent ${p.sent}, unanswered in the window and retried with their key ${p.retried}, accepted ${p.accepted}, final on chain ${p.finalOnChain}${p.exhausted ? ' (ran out of pre-signed payments: raise --payments-per-sender)' : ''}`,
      `  reads probes: ${probes(run.reads)}`,
      `  payments probes: ${probes(p)}`,
      `  reads: bottleneck ${run.reads.verdict.bottleneck}: ${run.reads.verdict.reason}`,
      `  payments: bottleneck ${p.verdict.bottleneck}: ${p.verdict.reason}`,
    );
  }
  lines.push(
    `scaling ${report.replicas.join(' → ')} replicas: reads ${n(report.scaling.reads)}×, payments ${n(report.scaling.payments)}×`,
    `bottleneck: ${report.bottleneck.bottleneck} (${report.bottleneck.reason})`,
  );
  return lines.join('\n');
}
