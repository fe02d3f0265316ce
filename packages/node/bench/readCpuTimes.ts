import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second of the /proc CPU times (usually 100). */
export function clockTicksPerSecond(): number {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
}

/** CPU time (user + system) a process used so far, in ms, from /proc (Linux); undefined elsewhere. */
export function processCpuMs(pid: number | undefined, ticksPerSecond: number): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "pid (comm) ": state is field 3 of the line, utime field 14, stime field 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond) * 1000;
  } catch {
    return undefined;
  }
}

/** CPU time all processes of the machine used so far (all cores), and time the hypervisor took away, in ms. */
export function machineCpuMs(ticksPerSecond: number): { busyMs: number; stolenMs: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest time is inside user).
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const toMs = (ticks: number) => (ticks / ticksPerSecond) * 1000;
    return { busyMs: toMs(user + nice + system + irq + softirq), stolenMs: toMs(steal) };
  } catch {
    return undefined;
  }
}
