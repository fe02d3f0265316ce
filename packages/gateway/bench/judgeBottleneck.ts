import type { ProbeSummary } from './probeDuringPhase.ts';

/** What limited a load phase, and why, from the figures the bench measured. */
export interface Verdict {
  bottleneck: 'gateway' | 'chain' | 'database';
  reason: string;
}

export interface PhaseFigures {
  kind: 'reads' | 'payments';
  replicas: number;
  okPerSec: number;
  p50Ms: number;
  probes: ProbeSummary;
  /** CPU % of one core: gateway (all replicas), validators, postgres, machine (all cores), other. */
  cpuPct: Record<string, number | null>;
  cores: number;
  /** Payments only: what the chain finalized per second over the same window. */
  chainTxPerSec?: number;
}

const pct = (value: number | null | undefined) => `${Math.round(value ?? 0)}%`;

/**
 * The rules, in order (docs/benchmarks.md, "Gateway load"):
 * 1. payments: the chain finalized under 80 % of what the gateway accepted over the same window → chain
 *    (the gateway answers once a node has the transaction; a backlog grew in the mempool).
 * 2. a replica used ≥ 80 % of a core (one event loop each) → gateway.
 * 3. payments: on average at least one of the bench database's backends was waiting for an advisory
 *    lock (the event-order lock every payment write takes, held to its commit) → database.
 * 4. a validator's RPC took at least half the phase's median request time to answer a trivial call
 *    (`shardpay_networkInfo`) → chain (every balance read and payment waits on one RPC call).
 * 5. the machine's cores were ≥ 90 % busy → they were the limit; the verdict is the group (gateway
 *    replicas, validators, PostgreSQL) that took the most of them.
 * 6. otherwise, the group with the most CPU (nothing was saturated: the closed loop waited on it).
 */
export function judgeBottleneck(phase: PhaseFigures): Verdict {
  const gateway = phase.cpuPct.gateway ?? 0;
  const validators = phase.cpuPct.validators ?? 0;
  const postgres = phase.cpuPct.postgres ?? 0;
  const perReplica = gateway / phase.replicas;
  const shares = `gateway ${pct(gateway)} (${pct(perReplica)} per replica), validators ${pct(validators)}, PostgreSQL ${pct(postgres)}, other processes ${pct(phase.cpuPct.other)} of ${phase.cores * 100}%`;
  if (
    phase.kind === 'payments' &&
    phase.chainTxPerSec !== undefined &&
    phase.chainTxPerSec < 0.8 * phase.okPerSec
  ) {
    return {
      bottleneck: 'chain',
      reason: `the gateway accepted ${phase.okPerSec} payments/s but the chain finalized ${phase.chainTxPerSec} tx/s in the same window; CPU: ${shares}`,
    };
  }
  if (perReplica >= 80) {
    return {
      bottleneck: 'gateway',
      reason: `each replica used ${pct(perReplica)} of one core (one event loop per replica); CPU: ${shares}`,
    };
  }
  const probes = phase.probes;
  const waits = `probes: validator RPC p50 ${probes.rpcP50Ms ?? 'n/a'} ms, PostgreSQL p50 ${probes.pgP50Ms ?? 'n/a'} ms, ${probes.pgActive} backends active of which ${probes.pgAdvisoryWaiting} waiting for an advisory lock`;
  if (phase.kind === 'payments' && probes.pgAdvisoryWaiting >= 1) {
    return {
      bottleneck: 'database',
      reason: `on average ${probes.pgAdvisoryWaiting} requests waited for the event-order advisory lock that serializes every payment write (lockEventOrder, held to the commit); ${waits}; CPU: ${shares}`,
    };
  }
  if (probes.rpcP50Ms !== null && probes.rpcP50Ms >= 0.5 * phase.p50Ms) {
    return {
      bottleneck: 'chain',
      reason: `a validator took ${probes.rpcP50Ms} ms (p50) to answer a trivial RPC call, against a median request of ${phase.p50Ms} ms; ${waits}; CPU: ${shares}`,
    };
  }
  const largest = (): Verdict['bottleneck'] =>
    gateway >= validators && gateway >= postgres ? 'gateway' : validators >= postgres ? 'chain' : 'database';
  const machine = phase.cpuPct.machine;
  if (machine !== null && machine !== undefined && machine >= 0.9 * phase.cores * 100) {
    return {
      bottleneck: largest(),
      reason: `the machine's ${phase.cores} cores were ${pct(machine)} busy, so CPU was the limit, and this group took the most of it; ${waits}; CPU: ${shares}`,
    };
  }
  return {
    bottleneck: largest(),
    reason: `no core was saturated; the connections waited longest on the group with the most CPU; ${waits}; CPU: ${shares}`,
  };
}

/** Replica scaling of one phase: the last replica count's throughput ÷ the first's. */
export function scaling(rates: Array<{ replicas: number; okPerSec: number }>): number | null {
  const first = rates[0];
  const last = rates.at(-1);
  if (first === undefined || last === undefined || first === last || first.okPerSec === 0) return null;
  return Math.round((last.okPerSec / first.okPerSec) * 100) / 100;
}
