/**
 * The devnet's processes under the chaos runner's control. The validators are started here (not by
 * `startDevnet`, whose supervisor neither exposes nor restarts them), each in its own process group
 * with an IPC channel like the devnet supervisor's, so they stop by themselves if the runner dies.
 * The bank and the gateway are `startDevnetBank` / `startDevnetGateway` services, killed and started
 * again on the same folders and ports.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
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
  startDevnetBank,
  startDevnetGateway,
} from '@shardpay/cli';
import { waitFor } from '../../packages/node/test/helpers/waitFor.ts';

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
}

export interface Cluster {
  dir: string;
  manifest: DevnetManifest;
  validators: ValidatorProcess[];
  /** Each shard's RPC URLs, for clients and the gateway. */
  shards: Array<{ id: number; rpc: string[] }>;
  bank: DevnetService | undefined;
  gateway: DevnetService | undefined;
}

export function createCluster(dir: string, manifest: DevnetManifest, mutation?: string): Cluster {
  const validators = manifest.validators.map((record) => ({
    shard: record.shard,
    index: record.index,
    url: `http://127.0.0.1:${record.rpcPort}`,
    configPath: join(dir, record.dir, 'config.json'),
    logPath: join(dir, record.log),
    child: undefined,
    exited: Promise.resolve(),
    paused: false,
    mutation,
  }));
  const shards = Array.from({ length: manifest.shards }, (_, id) => ({
    id,
    rpc: validators.filter((v) => v.shard === id).map((v) => v.url),
  }));
  return { dir, manifest, validators, shards, bank: undefined, gateway: undefined };
}

export const validatorName = (v: { shard: number; index: number }) => `s${v.shard}-v${v.index}`;

export function startValidator(validator: ValidatorProcess): void {
  const fd = openSync(validator.logPath, 'a');
  try {
    const mutant =
      validator.mutation === undefined
        ? []
        : ['--import', join(import.meta.dirname, 'mutants', 'register.ts')];
    const child = spawn(process.execPath, [...mutant, defaultNodeBin(), '--config', validator.configPath], {
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

/** Stops everything: the gateway, then the bank (SIGTERM), then every validator (SIGCONT, SIGTERM, SIGKILL after 10 s). */
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
}

/**
 * Opens a devnet in `dir` (generated on first use) on free ports, starts every validator and, with
 * `services`, the bank and the gateway at the same time (each takes seconds to open its database),
 * and resolves once every validator answers and every shard committed. On failure, stops what it started.
 */
export async function startCluster(
  dir: string,
  shards: number,
  validators: number,
  services: boolean,
  mutation?: string,
): Promise<Cluster> {
  const port = await findFreeDevnetPort(shards, validators);
  const { manifest } = await openDevnet({ dir, shards, validators, port });
  const cluster = createCluster(resolve(dir), manifest, mutation);
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
