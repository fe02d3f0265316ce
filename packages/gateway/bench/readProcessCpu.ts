import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time from Linux /proc, to say which process group (gateway replicas, validators, PostgreSQL)
 * used the machine during a load phase. The same reading as packages/node/bench/readCpuTimes.ts,
 * which @shardpay/node does not export. Undefined where /proc cannot be read (not Linux).
 */
const ticksPerSecond = (() => {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
})();

/** CPU time (user + system) a process used so far, in ms. */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After "pid (comm) ": utime is field 14 and stime field 15 of the line.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond) * 1000;
  } catch {
    return undefined;
  }
}

/** Busy CPU time of the whole machine so far (all cores), in ms. */
export function machineBusyMs(): number | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0] = line
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    return ((user + nice + system + irq + softirq) / ticksPerSecond) * 1000;
  } catch {
    return undefined;
  }
}

/** Process ids whose command line (NUL-separated arguments) satisfies `matches`. */
export function findPids(matches: (args: string[]) => boolean): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((entry) => /^[0-9]+$/.test(entry));
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const entry of entries) {
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (matches(args)) pids.push(Number(entry));
    } catch {
      // Ended while we looked.
    }
  }
  return pids;
}

/** The validator processes of the devnet in `dir` (`shardpay-node --config DIR/validators/…`). */
export function findValidatorPids(dir: string): number[] {
  return findPids(
    (args) => args.includes('--config') && args.some((arg) => arg.startsWith(`${dir}/validators/`)),
  );
}

/**
 * The PostgreSQL processes that work for `database`: its backends (whose title names the database)
 * and the server's background processes (WAL writer, checkpointer…, which write our commits too), but
 * not the backends of other databases of a shared server.
 */
export function findPostgresPids(database: string): number[] {
  return findPids((args) => {
    const title = args.join(' ');
    if (!title.startsWith('postgres') && !title.includes('/postgres ')) return false;
    if (title.includes(database)) return true;
    // A backend's title is "postgres: [cluster: ]user database host(port) state"; background ones
    // have no host part.
    return !/\d+\.\d+\.\d+\.\d+\(\d+\)|\[local\]/.test(title);
  });
}

/** CPU ms per named group of processes, and of the machine and this process, at one instant. */
export interface CpuSample {
  atMs: number;
  machineMs: number | undefined;
  selfMs: number;
  groups: Record<string, Map<number, number>>;
}

export function sampleCpu(groups: Record<string, number[]>): CpuSample {
  const sampled: Record<string, Map<number, number>> = {};
  for (const [name, pids] of Object.entries(groups)) {
    const times = new Map<number, number>();
    for (const pid of pids) {
      const ms = processCpuMs(pid);
      if (ms !== undefined) times.set(pid, ms);
    }
    sampled[name] = times;
  }
  const self = process.cpuUsage();
  return {
    atMs: performance.now(),
    machineMs: machineBusyMs(),
    selfMs: (self.user + self.system) / 1000,
    groups: sampled,
  };
}

/**
 * CPU % of one core per group between two samples (a process first seen in `end` was born in the
 * window and counts from 0), plus `bench` (this process), `machine` and `other` (the machine's busy
 * time minus every group and the bench).
 */
export function cpuPercent(start: CpuSample, end: CpuSample): Record<string, number | null> {
  const spanMs = end.atMs - start.atMs;
  const pct = (ms: number) => Math.round((ms / spanMs) * 1000) / 10;
  const out: Record<string, number | null> = {};
  let ours = end.selfMs - start.selfMs;
  for (const [name, times] of Object.entries(end.groups)) {
    let used = 0;
    for (const [pid, ms] of times) used += ms - (start.groups[name]?.get(pid) ?? 0);
    ours += used;
    out[name] = pct(used);
  }
  out.bench = pct(end.selfMs - start.selfMs);
  if (start.machineMs === undefined || end.machineMs === undefined) {
    out.machine = null;
    out.other = null;
  } else {
    const machine = end.machineMs - start.machineMs;
    out.machine = pct(machine);
    out.other = pct(Math.max(0, machine - ours));
  }
  return out;
}
