/**
 * Real network faults for the chaos runner: every validator runs in its own network namespace, joined
 * to the root namespace by a veth pair on its own /24 (10.X.K.0/24, K = 1 + its place in the devnet:
 * 10.X.K.1 on the root side, 10.X.K.2 inside, where it listens for p2p and RPC). The root namespace
 * routes between them (ip_forward), so validators reach each other, and the gateway, the bank and
 * the load driver (which stay in the root namespace) reach every validator, at 10.X.K.2.
 *
 * - A partition takes the validator's veth down: nothing reaches it or leaves it, yet it keeps running.
 * - A slow link shapes both ends of its veth: `netem delay` (+ jitter and loss) where the kernel has
 *   netem, else a `tbf` bandwidth cap, whose queue delays packets by up to a second and drops beyond.
 *
 * Safety: an `unreachable 10.X.0.0/16` route in the root namespace (added before any veth) catches
 * traffic to a validator whose veth is down, and a namespace only has a route to 10.X.0.0/16, so no
 * packet for these addresses ever leaves the machine. Every name starts with `spc` + the runner's
 * pid in base 36 (`spc2hwc0-5`: fits the 15-byte interface names), and a state file in
 * /run/shardpay-chaos records each run, so a later run removes what a crashed one left (only when its
 * pid is gone) and the last run to end restores ip_forward as it found it. Needs root, iproute2
 * (`ip`, `tc`) and a kernel with network namespaces and veth.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const STATE_DIR = '/run/shardpay-chaos';
const FORWARD = '/proc/sys/net/ipv4/ip_forward';
/** Where the ip_forward value found by the first of the concurrent runs is kept until the last ends. */
const FORWARD_SAVED = join(STATE_DIR, 'ip_forward.orig');
/** Second octets runs may use: 10.77.0.0/16 … 10.126.0.0/16. */
const FIRST_SUBNET = 77;
const LAST_SUBNET = 126;

/** How a slow link is shaped: both directions, drawn from the seed (faults.ts). */
export interface LinkShape {
  /** netem: added delay and jitter (ms) and loss (percent). */
  delayMs: number;
  jitterMs: number;
  lossPercent: number;
  /** tbf (without netem): the bandwidth cap. */
  rateKbit: number;
}

export interface NetnsLab {
  /** `spc<pid36>-`: every namespace and root-side veth of this run starts with it. */
  prefix: string;
  /** The second octet X of 10.X.0.0/16. */
  subnet: number;
  /** Whether slow links use netem (delay, jitter, loss) rather than a tbf bandwidth cap. */
  netem: boolean;
  /** The validator at place `k` of the devnet (shard · n + index): its address inside its namespace. */
  address(k: number): string;
  /** Its namespace, also the name of its veth's root-side end. */
  namespace(k: number): string;
  /** Creates the namespace and veth of the validator at place `k` (idempotent per run). */
  add(k: number): void;
  partition(k: number): void;
  heal(k: number): void;
  slow(k: number, shape: LinkShape): void;
  unslow(k: number): void;
  /** `netem delay 120ms 30ms loss 1%` or `tbf 256kbit`, for the log. */
  describe(shape: LinkShape): string;
  /** Removes every namespace, veth and route of this run; restores ip_forward if no other run is on. */
  teardown(): void;
}

function run(args: string[]): string {
  return execFileSync(args[0]!, args.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function tryRun(args: string[]): boolean {
  try {
    run(args);
    return true;
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface RunState {
  pid: number;
  prefix: string;
  subnet: number;
}

function readStates(): RunState[] {
  if (!existsSync(STATE_DIR)) return [];
  return readdirSync(STATE_DIR)
    .filter((name) => /^spc[0-9a-z]+-\.json$/.test(name))
    .flatMap((name) => {
      try {
        return [JSON.parse(readFileSync(join(STATE_DIR, name), 'utf8')) as RunState];
      } catch {
        return [];
      }
    });
}

const ownerPid = (name: string): number | undefined => {
  const match = /^spc([0-9a-z]+)-/.exec(name);
  return match ? Number.parseInt(match[1]!, 36) : undefined;
};

/** Why network faults cannot run here (one line), or undefined when they can. */
export function netnsUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (process.getuid?.() !== 0) return 'not root (network namespaces need root)';
  for (const tool of ['ip', 'tc']) {
    if (!tryRun([tool, '-V'])) return `\`${tool}\` (iproute2) is not installed`;
  }
  const probe = `spc${process.pid.toString(36)}-probe`;
  try {
    run(['ip', 'netns', 'add', probe]);
  } catch (error) {
    return `\`ip netns add\` failed: ${firstLine(error)}`;
  }
  try {
    run(['ip', 'link', 'add', probe, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', probe]);
    run(['ip', 'link', 'del', probe]);
  } catch (error) {
    return `cannot make a veth pair: ${firstLine(error)}`;
  } finally {
    tryRun(['ip', 'netns', 'del', probe]);
  }
  return undefined;
}

function firstLine(error: unknown): string {
  const e = error as { stderr?: string; message?: string };
  return (e.stderr || e.message || String(error)).trim().split('\n')[0]!;
}

/** Removes one run's namespaces (killing what still runs in them), veths, route and state file. */
function removeRun(prefix: string, subnet: number | undefined): void {
  const namespaces = run(['ip', 'netns', 'list'])
    .split('\n')
    .map((line) => line.split(' ')[0]!)
    .filter((name) => name.startsWith(prefix));
  for (const ns of namespaces) {
    for (const pid of tryPids(ns)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
    }
  }
  const links = run(['ip', '-o', 'link', 'show'])
    .split('\n')
    .map((line) => /^\d+: ([^:@]+)/.exec(line)?.[1])
    .filter((name): name is string => name?.startsWith(prefix) === true);
  for (const link of links) tryRun(['ip', 'link', 'del', link]);
  for (const ns of namespaces) tryRun(['ip', 'netns', 'del', ns]);
  if (subnet !== undefined) tryRun(['ip', 'route', 'del', 'unreachable', `10.${subnet}.0.0/16`]);
  rmSync(join(STATE_DIR, `${prefix}.json`), { force: true });
}

function tryPids(ns: string): number[] {
  try {
    return run(['ip', 'netns', 'pids', ns])
      .split('\n')
      .filter((line) => /^\d+$/.test(line))
      .map(Number);
  } catch {
    return [];
  }
}

/** Puts ip_forward back as the first run found it, once no run is left. */
function restoreForwarding(): void {
  if (readStates().some((state) => alive(state.pid)) || !existsSync(FORWARD_SAVED)) return;
  try {
    writeFileSync(FORWARD, readFileSync(FORWARD_SAVED, 'utf8').trim());
  } finally {
    rmSync(FORWARD_SAVED, { force: true });
  }
}

/**
 * Removes what runs that are gone left behind (their runner's pid no longer exists): namespaces,
 * veths and routes named in their state files, and any `spc…` namespace or link whose owner is gone.
 * Returns how many runs it cleaned.
 */
export function removeStaleNetns(): number {
  const stale = new Map<string, number | undefined>();
  for (const state of readStates()) if (!alive(state.pid)) stale.set(state.prefix, state.subnet);
  const names = [
    ...run(['ip', 'netns', 'list'])
      .split('\n')
      .map((line) => line.split(' ')[0]!),
    ...run(['ip', '-o', 'link', 'show'])
      .split('\n')
      .map((line) => /^\d+: ([^:@]+)/.exec(line)?.[1] ?? ''),
  ];
  for (const name of names) {
    const pid = ownerPid(name);
    if (pid === undefined || alive(pid)) continue;
    const prefix = `spc${pid.toString(36)}-`;
    if (!stale.has(prefix)) stale.set(prefix, undefined);
  }
  for (const [prefix, subnet] of stale) removeRun(prefix, subnet);
  restoreForwarding();
  return stale.size;
}

/** A free second octet for a new devnet's addresses (none of a live run, no route of the machine's). */
export function pickSubnet(): number {
  const taken = new Set(readStates().map((state) => state.subnet));
  const routes = run(['ip', '-4', 'route', 'show', 'table', 'all']);
  for (let x = FIRST_SUBNET; x <= LAST_SUBNET; x++) {
    if (!taken.has(x) && !routes.includes(`10.${x}.`)) return x;
  }
  throw new Error(`no free 10.X.0.0/16 for the chaos namespaces (X = ${FIRST_SUBNET}..${LAST_SUBNET})`);
}

/** The second octet of a 10.X.K.2 multiaddr or host, or undefined for anything else (127.0.0.1). */
export function subnetOf(address: string): number | undefined {
  const match = /(?:^|\/)10\.(\d+)\.\d+\.2(?:\/|$)/.exec(address);
  return match ? Number(match[1]) : undefined;
}

export const netnsAddress = (subnet: number, k: number) => `10.${subnet}.${k + 1}.2`;

/**
 * Sets up this run in subnet 10.`subnet`.0.0/16: state file, the safety route, ip_forward on.
 * Namespaces are added per validator with `add`. Throws if another live run holds the subnet.
 */
export function openNetnsLab(subnet: number): NetnsLab {
  const prefix = `spc${process.pid.toString(36)}-`;
  const holder = readStates().find((state) => state.subnet === subnet && alive(state.pid));
  if (holder && holder.pid !== process.pid) {
    throw new Error(`10.${subnet}.0.0/16 is in use by another chaos run (pid ${holder.pid})`);
  }
  mkdirSync(STATE_DIR, { recursive: true });
  // Recorded before anything is made, so a crash at any point leaves a record to clean up.
  writeFileSync(join(STATE_DIR, `${prefix}.json`), JSON.stringify({ pid: process.pid, prefix, subnet }));
  if (!existsSync(FORWARD_SAVED)) writeFileSync(FORWARD_SAVED, readFileSync(FORWARD, 'utf8'));
  tryRun(['ip', 'route', 'del', 'unreachable', `10.${subnet}.0.0/16`]);
  run(['ip', 'route', 'add', 'unreachable', `10.${subnet}.0.0/16`]);
  writeFileSync(FORWARD, '1');

  const added = new Set<number>();
  const name = (k: number) => `${prefix}${k}`;
  const host = (k: number) => `10.${subnet}.${k + 1}.1`;
  let netem: boolean | undefined;
  let closed = false;

  const lab: NetnsLab = {
    prefix,
    subnet,
    get netem() {
      if (netem === undefined) {
        // Probed once on a real veth: this kernel may lack sch_netem (then tbf is used).
        const k = [...added][0];
        netem =
          k !== undefined &&
          tryRun(['tc', 'qdisc', 'add', 'dev', name(k), 'root', 'netem', 'delay', '1ms']) &&
          tryRun(['tc', 'qdisc', 'del', 'dev', name(k), 'root']);
      }
      return netem;
    },
    address: (k) => netnsAddress(subnet, k),
    namespace: name,
    add(k) {
      if (added.has(k)) return;
      const ns = name(k);
      run(['ip', 'netns', 'add', ns]);
      added.add(k);
      run(['ip', 'link', 'add', ns, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
      run(['ip', 'addr', 'add', `${host(k)}/24`, 'dev', ns]);
      run(['ip', 'link', 'set', ns, 'up']);
      run(['ip', '-n', ns, 'addr', 'add', `${lab.address(k)}/24`, 'dev', 'eth0']);
      run(['ip', '-n', ns, 'link', 'set', 'eth0', 'up']);
      run(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
      // Only the devnet's /16, no default route: nothing from a validator can leave the machine.
      run(['ip', '-n', ns, 'route', 'add', `10.${subnet}.0.0/16`, 'via', host(k)]);
    },
    partition(k) {
      run(['ip', 'link', 'set', name(k), 'down']);
    },
    heal(k) {
      run(['ip', 'link', 'set', name(k), 'up']);
      run(['ip', '-n', name(k), 'route', 'replace', `10.${subnet}.0.0/16`, 'via', host(k)]);
    },
    slow(k, shape) {
      const qdisc = lab.netem
        ? [
            'netem',
            'delay',
            `${shape.delayMs}ms`,
            `${shape.jitterMs}ms`,
            ...(shape.lossPercent > 0 ? ['loss', `${shape.lossPercent}%`] : []),
          ]
        : ['tbf', 'rate', `${shape.rateKbit}kbit`, 'burst', '16kb', 'latency', '1000ms'];
      run(['tc', 'qdisc', 'replace', 'dev', name(k), 'root', ...qdisc]);
      run(['ip', 'netns', 'exec', name(k), 'tc', 'qdisc', 'replace', 'dev', 'eth0', 'root', ...qdisc]);
    },
    unslow(k) {
      tryRun(['tc', 'qdisc', 'del', 'dev', name(k), 'root']);
      tryRun(['ip', 'netns', 'exec', name(k), 'tc', 'qdisc', 'del', 'dev', 'eth0', 'root']);
    },
    describe: (shape) =>
      lab.netem
        ? `netem delay ${shape.delayMs}ms ${shape.jitterMs}ms loss ${shape.lossPercent}%`
        : `tbf ${shape.rateKbit}kbit`,
    teardown() {
      if (closed) return;
      closed = true;
      removeRun(prefix, subnet);
      restoreForwarding();
    },
  };
  return lab;
}
