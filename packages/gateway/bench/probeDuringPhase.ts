import pg from 'pg';
import { callRpc } from './benchHttp.ts';

/** What the probes saw while a phase ran. */
export interface ProbeSummary {
  samples: number;
  /** Round trip of `shardpay_networkInfo` to a validator: how fast the chain's RPC answers under this load. */
  rpcP50Ms: number | null;
  rpcP99Ms: number | null;
  /** Round trip of a pg_stat_activity read on the bench's PostgreSQL server. */
  pgP50Ms: number | null;
  /** Mean over samples of the bench database's backends running a query, and of those waiting for a lock. */
  pgActive: number;
  /** …waiting for an advisory lock (the gateway's event-order lock serializes payment writes). */
  pgAdvisoryWaiting: number;
  pgOtherWaiting: number;
}

/**
 * Samples every 250 ms, while a phase runs, how fast a validator's RPC and PostgreSQL answer, and what
 * the bench database's backends are doing (pg_stat_activity): the evidence behind a "chain" or
 * "database" verdict when no process is CPU-bound. One connection, one query per sample.
 */
export async function startPhaseProbes(options: {
  rpcUrl: string;
  databaseUrl: string;
  databaseName: string;
}) {
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  const rpc: number[] = [];
  const pgTimes: number[] = [];
  let active = 0;
  let advisory = 0;
  let otherLocks = 0;
  let samples = 0;
  let stopped = false;
  const probeRpc = async () => {
    const start = performance.now();
    try {
      await callRpc(options.rpcUrl, 'shardpay_networkInfo');
      rpc.push(performance.now() - start);
    } catch {}
  };
  const probePg = async () => {
    const start = performance.now();
    const result = await client.query<{
      state: string | null;
      wait_event_type: string | null;
      wait_event: string | null;
    }>(
      `SELECT state, wait_event_type, wait_event FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [options.databaseName],
    );
    pgTimes.push(performance.now() - start);
    samples++;
    for (const row of result.rows) {
      if (row.state !== 'active') continue;
      active++;
      if (row.wait_event_type === 'Lock' && row.wait_event === 'advisory') advisory++;
      else if (row.wait_event_type === 'Lock') otherLocks++;
    }
  };
  const loop = (async () => {
    while (!stopped) {
      const tick = new Promise((resolve) => setTimeout(resolve, 250));
      await Promise.all([probeRpc(), probePg().catch(() => {})]);
      await tick;
    }
  })();
  return async (): Promise<ProbeSummary> => {
    stopped = true;
    await loop;
    await client.end();
    const mean = (count: number) => (samples === 0 ? 0 : Math.round((count / samples) * 10) / 10);
    return {
      samples,
      rpcP50Ms: quantile(rpc, 0.5),
      rpcP99Ms: quantile(rpc, 0.99),
      pgP50Ms: quantile(pgTimes, 0.5),
      pgActive: mean(active),
      pgAdvisoryWaiting: mean(advisory),
      pgOtherWaiting: mean(otherLocks),
    };
  };
}

function quantile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * 10) / 10;
}
