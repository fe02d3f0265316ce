/**
 * The payment workload every peer runs, the same shape as the chain's: `senders` funded accounts
 * paying 1–100 minor units to `recipients` other accounts, chosen by a seeded generator so that
 * runs repeat.
 */
export interface PeerWorkload {
  senders: number;
  recipients: number;
  next(): { from: number; to: number; amount: bigint };
}

/** mulberry32: a small seeded generator, uniform in [0, 1). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function createPeerWorkload(senders: number, recipients: number, seed: number): PeerWorkload {
  const random = seededRandom(seed);
  return {
    senders,
    recipients,
    next() {
      return {
        from: Math.floor(random() * senders),
        to: Math.floor(random() * recipients),
        amount: BigInt(1 + Math.floor(random() * 100)),
      };
    },
  };
}

/** What a peer measured, or why it did not run. */
export type PeerResult =
  | {
      ran: true;
      tps: number;
      p50Ms: number | null;
      p99Ms: number | null;
      transfers: number;
      clients: number;
      durationSec: number;
      /** CPU % of one core this process used while driving the peer (the peer itself for in-process ones). */
      driverCpuPct: number;
      setup: string;
    }
  | { ran: false; reason: string };

/**
 * Runs `clients` closed-loop clients that each call `transfer` back to back until `durationSec` is
 * over, and returns the completed transfers per second and the latency percentiles.
 */
export async function driveClosedLoop(
  clients: number,
  durationSec: number,
  transfer: (client: number) => Promise<void>,
): Promise<{ tps: number; latencies: number[]; transfers: number; wallSec: number; cpuPct: number }> {
  const latencies: number[] = [];
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  const deadline = started + durationSec * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (performance.now() < deadline) {
        const sent = performance.now();
        await transfer(client);
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const wallSec = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  return {
    tps: latencies.length / wallSec,
    latencies,
    transfers: latencies.length,
    wallSec,
    cpuPct: ((cpu.user + cpu.system) / 1e6 / wallSec) * 100,
  };
}
