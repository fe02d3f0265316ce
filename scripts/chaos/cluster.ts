/**
 * The devnet's processes under the chaos runner's control. The validators are started here (not by
 * `startDevnet`, whose supervisor neither exposes nor restarts them), each in its own process group
 * with an IPC channel like the devnet supervisor's, so they stop by themselves if the runner dies.
 * The bank and the gateway are `startDevnetBank` / `startDevnetGateway` services, killed and started
 * again on the same folders and ports. With network faults (netns.ts), each validator runs in its own
 * network namespace at 10.X.K.2, where the devnet's genesis and configs point.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  BANK_PORT_OFFSET,
  callNodeRpc,
  type DevnetManifest,
  type DevnetService,
  defaultNodeBin,
  devnetSecret,
  findFreeDevnetPort,
  openDevnet,
  readDevnetManifest,
  startDevnetBank,
  startDevnetGateway,
} from '@shardpay/cli';
import { waitFor } from '../../packages/node/test/helpers/waitFor.ts';
import {
  type NetnsLab,
  netnsAddress,
  netnsUnavailable,
  openNetnsLab,
  pickSubnet,
  removeStaleNetns,
  subnetOf,
} from './netns.ts';

export interface ValidatorProcess {
  shard: number;
  index: number;
  url: string;
  configPath: string;
  logPath: string;
  child: ChildProcess | undefined;
  exited: Promise<void>;
  paused: boolean;
  /** A deliberately broken build to run (`--break`, mutants/mutations.ts), or undefined. */
  mutation: string | undefined;
  /** Its network namespace (run in it with `ip netns exec`), or undefined on loopback. */
  netns: string | undefined;
  /** Its place in the devnet (shard · n + index): names its namespace and subnet. */
  place: number;
}

export interface Cluster {
  dir: string;
  manifest: DevnetManifest;
  validators: ValidatorProcess[];
  /** Each shard's RPC URLs, for clients and the gateway. */
  shards: Array<{ id: number; rpc: string[] }>;
  bank: DevnetService | undefined;
  gateway: DevnetService | undefined;
  /** The validators' network namespaces, or undefined when they run on loopback. */
  net: NetnsLab | undefined;
  /** Whether scenarios may partition and slow validators' links (namespaces, and not `--no-network-faults`). */
  networkFaults: boolean;
}

export function createCluster(
  dir: string,
  manifest: DevnetManifest,
  mutation?: string,
  net?: NetnsLab,
): Cluster {
  const validators = manifest.validators.map((record, place) => ({
    shard: record.shard,
    index: record.index,
    url: `http://${net ? net.address(place) : '127.0.0.1'}:${record.rpcPort}`,
    configPath: join(dir, record.dir, 'config.json'),
    logPath: join(dir, record.log),
    child: undefined,
    exited: Promise.resolve(),
    paused: false,
    mutation,
    netns: net?.namespace(place),
    place,
  }));
  const shards = Array.from({ length: manifest.shards }, (_, id) => ({
    id,
    rpc: validators.filter((v) => v.shard === id).map((v) => v.url),
  }));
  return {
    dir,
    manifest,
    validators,
    shards,
    bank: undefined,
    gateway: undefined,
    net,
    networkFaults: false,
  };
}

export const validatorName = (v: { shard: number; index: number }) => `s${v.shard}-v${v.index}`;

export function startValidator(validator: ValidatorProcess): void {
  const fd = openSync(validator.logPath, 'a');
  try {
    const mutant =
      validator.mutation === undefined
        ? []
        : ['--import', join(import.meta.dirname, 'mutants', 'register.ts')];
    const node = [process.execPath, ...mutant, defaultNodeBin(), '--config', validator.configPath];
    // `ip netns exec` enters the namespace and execs node in the same process: same pid, signals, IPC.
    const command = validator.netns === undefined ? node : ['ip', 'netns', 'exec', validator.netns, ...node];
    const child = spawn(command[0]!, command.slice(1), {
      cwd: join(validator.configPath, '..'),
      env: { ...process.env, SHARDPAY_CHAOS_BREAK: validator.mutation ?? '' },
      stdio: ['ignore', fd, fd, 'ipc'],
      detached: true,
    });
    validator.child = child;
    validator.paused = false;
    validator.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  } finally {
    closeSync(fd);
  }
}

/** SIGKILL (it reaches a paused process too); resolves once it exited. */
export async function killValidator(validator: ValidatorProcess): Promise<void> {
  const child = validator.child;
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGKILL');
  await validator.exited;
  validator.child = undefined;
  validator.paused = false;
}

export function pauseValidator(validator: ValidatorProcess): void {
  validator.child?.kill('SIGSTOP');
  validator.paused = true;
}

export function resumeValidator(validator: ValidatorProcess): void {
  validator.child?.kill('SIGCONT');
  validator.paused = false;
}

/** The validator's committed height, or undefined when it does not answer. */
export async function validatorHeight(validator: ValidatorProcess): Promise<bigint | undefined> {
  if (validator.child === undefined || validator.paused) return undefined;
  try {
    const info = (await callNodeRpc(validator.url, 'shardpay_networkInfo', {}, { timeoutMs: 2000 })) as {
      height: string;
    };
    return BigInt(info.height);
  } catch {
    return undefined;
  }
}

export async function startBank(cluster: Cluster): Promise<void> {
  const started = await startDevnetBank({
    dir: cluster.dir,
    port: cluster.manifest.basePort + BANK_PORT_OFFSET,
  });
  cluster.bank = started.service;
}

/** Starts the gateway, pointed at the bank's fixed port (P + 1) whether or not the bank is up yet. */
export async function startGateway(cluster: Cluster): Promise<void> {
  const apiKey = await devnetSecret(cluster.dir, 'bank-api-key');
  const bankUrl = `http://127.0.0.1:${cluster.manifest.basePort + BANK_PORT_OFFSET}`;
  cluster.gateway = await startDevnetGateway({
    dir: cluster.dir,
    port: cluster.manifest.basePort,
    shards: cluster.shards,
    bank: { url: bankUrl, apiKey },
    // The runner reads /v1/reserves every second; the per-IP limit is not what it tests.
    env: { SHARDPAY_RATE_LIMIT_MAX: '0' },
  });
}

/** SIGKILL to a service's process; resolves once it exited. */
export async function killService(service: DevnetService | undefined): Promise<void> {
  if (service === undefined || !service.running()) return;
  process.kill(service.pid, 'SIGKILL');
  await service.exit;
}

/**
 * Stops everything: the gateway, then the bank (SIGTERM), then every validator (SIGCONT, SIGTERM,
 * SIGKILL after 10 s), then removes the validators' namespaces and veths.
 */
export async function stopCluster(cluster: Cluster): Promise<void> {
  await cluster.gateway?.stop(10_000);
  await cluster.bank?.stop(10_000);
  await Promise.all(
    cluster.validators.map(async (validator) => {
      const child = validator.child;
      if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGCONT');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await validator.exited;
      clearTimeout(timer);
      validator.child = undefined;
    }),
  );
  cluster.net?.teardown();
}

export interface ClusterNetworkOptions {
  /** Run validators in network namespaces so scenarios can partition and slow them. Default false. */
  networkFaults?: boolean;
  /** Where the one line saying why network faults are off goes. Default console.log. */
  log?: (line: string) => void;
}

/** Points a new devnet's genesis and validator configs at 10.X.K.2 (before any validator started). */
function moveDevnetToNetns(dir: string, manifest: DevnetManifest, subnet: number): void {
  const genesisPath = join(dir, 'genesis.json');
  const genesis = JSON.parse(readFileSync(genesisPath, 'utf8')) as {
    committees: Array<{ shard: number; validators: Array<{ addresses: string[] }> }>;
  };
  manifest.validators.forEach((record, place) => {
    const host = netnsAddress(subnet, place);
    const listen = `/ip4/${host}/tcp/${record.p2pPort}`;
    genesis.committees.find((c) => c.shard === record.shard)!.validators[record.index]!.addresses = [listen];
    const configPath = join(dir, record.dir, 'config.json');
    const config = JSON.parse(readFileSync(configPath, 'utf8')) as {
      p2p: { listen: string[] };
      rpc: { host: string; port: number };
    };
    config.p2p.listen = [listen];
    config.rpc.host = host;
    writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
  });
  writeFileSync(genesisPath, `${JSON.stringify(genesis, null, 2)}\n`);
}

/**
 * The namespaces the devnet needs, or undefined for loopback. A new devnet goes into namespaces when
 * network faults are asked for and possible; a resumed one where its genesis says (the addresses are
 * part of the genesis hash, so they cannot change after the first start).
 */
function openNetwork(
  dir: string,
  manifest: DevnetManifest,
  created: boolean,
  wanted: boolean,
  log: (line: string) => void,
): { net: NetnsLab | undefined; faults: boolean } {
  // Checked once, and as root whatever this run asks: what a crashed run left goes first.
  const unavailable = netnsUnavailable();
  if (unavailable === undefined) {
    const stale = removeStaleNetns();
    if (stale > 0)
      log(`chaos: removed the namespaces and veths of ${stale} earlier run(s) that did not clean up`);
  }
  const genesis = readFileSync(join(dir, 'genesis.json'), 'utf8');
  const recorded = created ? undefined : subnetOf(/"\/ip4\/[^"]+"/.exec(genesis)?.[0]?.slice(1, -1) ?? '');
  if (!created && recorded === undefined) {
    if (wanted)
      log('chaos: network faults off: this devnet was made on loopback (its genesis says 127.0.0.1)');
    return { net: undefined, faults: false };
  }
  if (!wanted && recorded === undefined) return { net: undefined, faults: false };
  if (unavailable !== undefined) {
    if (recorded !== undefined) {
      throw new Error(
        `this devnet's validators live in network namespaces (10.${recorded}.*), but ${unavailable}`,
      );
    }
    log(`chaos: network faults off: ${unavailable}; kills, pauses and restarts still run`);
    return { net: undefined, faults: false };
  }
  const subnet = recorded ?? pickSubnet();
  const net = openNetnsLab(subnet);
  try {
    if (recorded === undefined) moveDevnetToNetns(dir, manifest, subnet);
    for (let place = 0; place < manifest.validators.length; place++) net.add(place);
  } catch (error) {
    net.teardown();
    throw error;
  }
  return { net, faults: wanted };
}

/**
 * Opens a devnet in `dir` (generated on first use) on free ports, starts every validator and, with
 * `services`, the bank and the gateway at the same time (each takes seconds to open its database),
 * and resolves once every validator answers and every shard committed. On failure, stops what it started.
 * With `network.networkFaults`, a new devnet's validators run in network namespaces (netns.ts) when
 * this machine allows it (else one line says why, and the run goes on without network faults).
 */
export async function startCluster(
  dir: string,
  shards: number,
  validators: number,
  services: boolean,
  mutation?: string,
  network: ClusterNetworkOptions = {},
): Promise<Cluster> {
  // A devnet already in `dir` (`--dir` to resume) keeps its recorded ports; only a new one needs free ones.
  const port = (await readDevnetManifest(resolve(dir)))
    ? undefined
    : await findFreeDevnetPort(shards, validators);
  const { manifest, created } = await openDevnet({
    dir,
    shards,
    validators,
    ...(port === undefined ? {} : { port }),
  });
  const log = network.log ?? ((line: string) => console.log(line));
  const { net, faults } = openNetwork(resolve(dir), manifest, created, network.networkFaults === true, log);
  const cluster = createCluster(resolve(dir), manifest, mutation, net);
  cluster.networkFaults = faults;
  try {
    for (const validator of cluster.validators) startValidator(validator);
    const ready = waitFor('every validator answers and every shard commits', 180_000, async () => {
      const heights = await Promise.all(cluster.validators.map(validatorHeight));
      return heights.every((h) => h !== undefined && h >= 2n);
    });
    if (services) {
      // Made once before both start, so they cannot race to create two different keys.
      await devnetSecret(cluster.dir, 'bank-api-key');
      await Promise.all([ready, startBank(cluster), startGateway(cluster)]);
    } else {
      await ready;
    }
  } catch (error) {
    await stopCluster(cluster);
    throw error;
  }
  return cluster;
}
