/**
 * The fault schedule of a scenario, drawn from its seed before anything runs, so that `--seed S`
 * replays the same faults at the same offsets. Validator faults respect the BFT bound: at most
 * f = ⌊(n − 1) / 3⌋ validators of a shard are faulty at any time (the shard keeps its quorum of
 * 2f + 1). Each shard has f lanes; lane j only touches validators whose index ≡ j (mod f), and a
 * lane's faults never overlap, so two concurrent faults never hit one validator. Partitions and
 * slow links (with `networkFaults`) are validator faults like kills and pauses and share the lanes.
 */
import type { FaultKind } from './history.ts';
import type { LinkShape } from './netns.ts';

export interface PlannedFault {
  kind: FaultKind;
  /** Milliseconds after the load starts. */
  at: number;
  /** How long the target stays down (killed), paused, cut off or slowed before it is healed. */
  downMs: number;
  shard?: number;
  index?: number;
  /** A slow link's shape. */
  link?: LinkShape;
}

export interface FaultPlanOptions {
  shards: number;
  validatorsPerShard: number;
  durationMs: number;
  /** Whether the bank and the gateway run (then each may be killed and restarted once). */
  services: boolean;
  /** Whether validators may also be partitioned or slowed (they run in network namespaces). */
  networkFaults?: boolean;
}

/** The largest number of faulty validators a shard of `n` tolerates. */
export function faultTolerance(n: number): number {
  return Math.floor((n - 1) / 3);
}

export function planFaults(random: () => number, options: FaultPlanOptions): PlannedFault[] {
  const { shards, validatorsPerShard: n, durationMs } = options;
  const f = faultTolerance(n);
  const between = (low: number, high: number) => Math.floor(low + random() * (high - low));
  const plan: PlannedFault[] = [];
  for (let shard = 0; shard < shards; shard++) {
    for (let lane = 0; lane < f; lane++) {
      const members = Array.from({ length: n }, (_, i) => i).filter((i) => i % f === lane);
      // Faults end 2 s before the load stops, so the run ends healed.
      for (let at = between(1000, 4000); ; ) {
        const downMs = between(1500, 8000);
        if (at + downMs > durationMs - 2000) break;
        // One draw either way, so a run without network faults keeps the schedules it always had.
        const r = random();
        const kind: FaultKind = !options.networkFaults
          ? r < 0.5
            ? 'kill'
            : 'pause'
          : r < 0.25
            ? 'kill'
            : r < 0.5
              ? 'pause'
              : r < 0.75
                ? 'partition'
                : 'slow';
        const index = members[between(0, members.length)]!;
        const fault: PlannedFault = { kind, at, downMs, shard, index };
        if (kind === 'slow') fault.link = drawLink(between);
        plan.push(fault);
        at += downMs + between(1000, 5000);
      }
    }
  }
  if (options.services) {
    for (const kind of ['gateway-restart', 'bank-restart'] as const) {
      if (random() < 0.5) continue;
      const at = between(1000, Math.max(1001, durationMs - 6000));
      plan.push({ kind, at, downMs: between(500, 3000) });
    }
  }
  return plan.sort((a, b) => a.at - b.at);
}

/**
 * A slow link: 50–400 ms of delay each way with a quarter of it as jitter and 0–3 % loss (netem), or,
 * where the kernel has no netem, a 64–512 kbit/s cap each way (tbf).
 */
function drawLink(between: (low: number, high: number) => number): LinkShape {
  const delayMs = between(50, 400);
  return {
    delayMs,
    jitterMs: Math.floor(delayMs / 4),
    lossPercent: between(0, 4),
    rateKbit: [64, 128, 256, 512][between(0, 4)]!,
  };
}

/** `kill s0-v2 at 3.1 s for 4.2 s`, for the schedule printed before a scenario runs. */
export function describeFault(fault: PlannedFault, describeLink?: (link: LinkShape) => string): string {
  const target = fault.shard === undefined ? '' : ` s${fault.shard}-v${fault.index}`;
  const link = fault.link
    ? ` (${describeLink ? describeLink(fault.link) : `${fault.link.delayMs}±${fault.link.jitterMs} ms, ${fault.link.lossPercent}% loss / ${fault.link.rateKbit} kbit/s`})`
    : '';
  return `${fault.kind}${target}${link} at ${(fault.at / 1000).toFixed(1)} s for ${(fault.downMs / 1000).toFixed(1)} s`;
}
