import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ShardpayError } from '@shardpay/crypto';
import { BANK_PORT_OFFSET, ORACLE_PORT_OFFSET } from './devnetPorts.ts';
import { findTakenPort, type PortUse } from './findTakenPort.ts';
import {
  type DevnetManifest,
  type DevnetValidatorRecord,
  type OpenDevnetOptions,
  openDevnet,
} from './openDevnet.ts';
import { queryDevnetStatus, validatorRpcUrl } from './queryDevnetStatus.ts';
import { readLogTail } from './readLogTail.ts';
import { startDevnetBank } from './startDevnetBank.ts';
import { startDevnetGateway } from './startDevnetGateway.ts';
import { devnetOracleKeyFile, startDevnetOracle } from './startDevnetOracle.ts';
import { type DevnetService, devnetSecret } from './startDevnetService.ts';

/** The services a devnet runs beside its validators. */
export type DevnetServiceKind = 'gateway' | 'bank' | 'oracle';

/** What the supervisor reports while it works (the CLI prints these for people). */
export type DevnetEvent =
  | {
      type: 'generated' | 'resumed';
      dir: string;
      shards: number;
      validatorsPerShard: number;
      basePort: number;
    }
  | { type: 'validator-started'; shard: number; index: number; pid: number; log: string }
  | {
      type: 'progress';
      /** Per shard: validators answering RPC, the indices of those not (yet) answering, the highest height. */
      shards: Array<{ id: number; up: number; validators: number; down: number[]; height: number | null }>;
    }
  | { type: 'service-started'; service: DevnetServiceKind; url: string; pid: number; log: string }
  | {
      type: 'ready';
      shards: Array<{ id: number; rpc: string[] }>;
      gateway: string | null;
      bank: string | null;
      oracle: string | null;
    }
  | {
      type: 'service-exited';
      service: DevnetServiceKind;
      code: number | null;
      signal: string | null;
      log: string;
    }
  | {
      type: 'validator-exited';
      shard: number;
      index: number;
      code: number | null;
      signal: string | null;
      log: string;
    }
  | { type: 'stopping' }
  | { type: 'stopped' };

export interface StartDevnetOptions extends OpenDevnetOptions {
  onEvent?: (event: DevnetEvent) => void;
  /** Fails (and stops everything) if some shard has not committed a block by then. Default 180 s. */
  readyTimeoutMs?: number;
  /** Aborting stops every validator started and rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Time validators get to stop after SIGTERM before SIGKILL. Default 10 s. */
  stopTimeoutMs?: number;
  /** How often readiness is polled. Default 500 ms. */
  pollIntervalMs?: number;
  /** The validator program (default: @shardpay/node's bin/shardpay-node.js). */
  nodeBin?: string;
  /**
   * Once every shard commits, start the bank sandbox (on P + 1) and the gateway (on the base port P)
   * (default true; false runs the validators only).
   */
  gateway?: boolean;
  /** The gateway program (default: @shardpay/gateway's bin/shardpay-gateway.js). */
  gatewayBin?: string;
  /** The bank sandbox program (default: @shardpay/bank's bin/shardpay-bank.js). */
  bankBin?: string;
  /** The delivery oracle sandbox program (default: @shardpay/oracle's bin/shardpay-oracle.js). */
  oracleBin?: string;
}

export interface RunningDevnet {
  chainId: string;
  /** Absolute path of the devnet folder. */
  dir: string;
  manifest: DevnetManifest;
  /** Each shard's validator RPC URLs. */
  shards: Array<{ id: number; rpc: string[] }>;
  /** Every validator's RPC URL. */
  urls: string[];
  /** The gateway's URL (`http://127.0.0.1:P`), or null when started without one. */
  gateway: string | null;
  /** The bank sandbox's URL (`http://127.0.0.1:P+1`), or null when started without one. */
  bank: string | null;
  /** The delivery oracle sandbox's URL (`http://127.0.0.1:P+2`), or null when started without one. */
  oracle: string | null;
  /** Validators still running. */
  alive(): number;
  /** Resolves once every validator has exited (after `stop()`, or if all died). */
  exited: Promise<void>;
  /** SIGTERM to every validator, SIGKILL to those still running after `stopTimeoutMs`; idempotent. */
  stop(): Promise<void>;
}

interface Child {
  record: DevnetValidatorRecord;
  process: ChildProcess;
  logPath: string;
  running: boolean;
  exit: Promise<{ code: number | null; signal: string | null }>;
}

/** The path of `shardpay-node`'s launcher, found through the @shardpay/node package. */
export function defaultNodeBin(): string {
  const entry = fileURLToPath(import.meta.resolve('@shardpay/node'));
  return join(dirname(entry), '..', 'bin', 'shardpay-node.js');
}

function startFailed(message: string, meta: Record<string, unknown> = {}): ShardpayError {
  return new ShardpayError('DEVNET_START_FAILED', message, { meta });
}

/**
 * Runs a devnet: opens (or generates) it in `options.dir`, checks its ports, starts one
 * `shardpay-node` process per validator (logging to `DIR/logs/s<shard>-v<i>.log`) and resolves once
 * every shard has committed at least one block. Nothing is restarted: a validator that exits is
 * reported (`validator-exited`). On any failure before ready, everything started is stopped.
 *
 * @example const devnet = await startDevnet({ dir, shards: 1, validators: 4, port }); …; await devnet.stop();
 */
export async function startDevnet(options: StartDevnetOptions): Promise<RunningDevnet> {
  const emit = options.onEvent ?? (() => {});
  options.signal?.throwIfAborted();
  const { dir, manifest, created } = await openDevnet(options);
  emit({
    type: created ? 'generated' : 'resumed',
    dir,
    shards: manifest.shards,
    validatorsPerShard: manifest.validatorsPerShard,
    basePort: manifest.basePort,
  });

  const uses: PortUse[] = manifest.validators.flatMap((v) => [
    { port: v.rpcPort, purpose: `RPC of shard ${v.shard} validator ${v.index}` },
    { port: v.p2pPort, purpose: `p2p of shard ${v.shard} validator ${v.index}` },
  ]);
  const withGateway = options.gateway ?? true;
  if (withGateway) {
    uses.unshift(
      { port: manifest.basePort, purpose: 'the gateway' },
      { port: manifest.basePort + BANK_PORT_OFFSET, purpose: 'the bank sandbox' },
      { port: manifest.basePort + ORACLE_PORT_OFFSET, purpose: 'the delivery oracle sandbox' },
    );
  }
  const taken = await findTakenPort(uses);
  if (taken) {
    throw new ShardpayError(
      'PORT_IN_USE',
      `port ${taken.port} (${taken.purpose}) is taken: stop what listens there (another devnet?)` +
        (created
          ? ''
          : `; this devnet's ports derive from --port ${manifest.basePort}, recorded in ${dir}/devnet.json`),
      { meta: { port: taken.port, purpose: taken.purpose } },
    );
  }

  const nodeBin = options.nodeBin ?? defaultNodeBin();
  const children: Child[] = [];
  let stopping = false;
  let stopPromise: Promise<void> | undefined;
  const stopTimeoutMs = options.stopTimeoutMs ?? 10_000;

  // Started after the validators, stopped before them (the gateway first: it talks to the others).
  const services: Array<{ kind: DevnetServiceKind; service: DevnetService }> = [];

  async function stopAll(): Promise<void> {
    stopping = true;
    emit({ type: 'stopping' });
    for (const { service } of [...services].reverse()) await service.stop(stopTimeoutMs);
    for (const child of children) if (child.running) child.process.kill('SIGTERM');
    const allExited = Promise.all(children.map((child) => child.exit));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      allExited.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), stopTimeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (timedOut) for (const child of children) if (child.running) child.process.kill('SIGKILL');
    await allExited;
    emit({ type: 'stopped' });
  }
  const stop = () => {
    stopPromise ??= stopAll();
    return stopPromise;
  };

  let firstDeath: Child | undefined;
  for (const record of manifest.validators) {
    const logPath = join(dir, record.log);
    const fd = openSync(logPath, 'a');
    let child: ChildProcess;
    try {
      writeSync(
        fd,
        `${JSON.stringify({ time: new Date().toISOString(), event: 'devnet_starting_validator' })}\n`,
      );
      child = spawn(process.execPath, [nodeBin, '--config', join(dir, record.dir, 'config.json')], {
        cwd: join(dir, record.dir),
        // The IPC channel lets a validator notice that its supervisor died (it then stops itself).
        stdio: ['ignore', fd, fd, 'ipc'],
        // Its own process group: a Ctrl-C in the terminal reaches the supervisor only, which stops
        // the validators in order (SIGTERM, then SIGKILL after a bound).
        detached: true,
      });
    } finally {
      closeSync(fd);
    }
    const entry: Child = {
      record,
      process: child,
      logPath,
      running: true,
      exit: new Promise((resolve) => {
        child.once('exit', (code, signal) => resolve({ code, signal }));
        // spawn itself failed (no such program): no 'exit' follows.
        child.once('error', () => {
          if (child.exitCode === null && child.pid === undefined) resolve({ code: null, signal: null });
        });
      }),
    };
    void entry.exit.then(({ code, signal }) => {
      entry.running = false;
      if (stopping) return;
      firstDeath ??= entry;
      emit({
        type: 'validator-exited',
        shard: record.shard,
        index: record.index,
        code,
        signal,
        log: logPath,
      });
    });
    children.push(entry);
    emit({
      type: 'validator-started',
      shard: record.shard,
      index: record.index,
      pid: child.pid ?? -1,
      log: logPath,
    });
  }

  const shards = Array.from({ length: manifest.shards }, (_, id) => ({
    id,
    rpc: manifest.validators.filter((v) => v.shard === id).map((v) => validatorRpcUrl(v.rpcPort)),
  }));

  async function waitUntilReady(): Promise<void> {
    const deadline = Date.now() + (options.readyTimeoutMs ?? 180_000);
    const pollMs = options.pollIntervalMs ?? 500;
    let lastProgress = '';
    const firstHeights = new Map<string, number>();
    for (;;) {
      options.signal?.throwIfAborted();
      if (firstDeath) {
        const { record, logPath } = firstDeath;
        const lines = await readLogTail(logPath, 5);
        throw startFailed(
          `validator ${record.index} of shard ${record.shard} exited while the devnet started; see ${logPath}` +
            (lines ? `:\n${lines}` : ''),
          { shard: record.shard, index: record.index, log: logPath },
        );
      }
      const status = await queryDevnetStatus(dir, manifest, { timeoutMs: 1000 });
      const progress = status.shards.map((s) => ({
        id: s.id,
        up: s.up,
        validators: s.validators,
        down: s.down,
        height: s.height,
      }));
      const text = JSON.stringify(progress);
      if (text !== lastProgress) {
        lastProgress = text;
        emit({ type: 'progress', shards: progress });
      }
      // A shard is ready when all its validators answer and it committed a block during this run:
      // above the lowest height its validators reported when they first answered (a resumed devnet
      // starts from its stored height).
      for (const shard of status.shards) {
        for (const node of shard.nodes) {
          const key = `${shard.id}/${node.index}`;
          if (node.up && node.height !== undefined && !firstHeights.has(key))
            firstHeights.set(key, node.height);
        }
      }
      const waiting = status.shards.filter((shard) => {
        const firsts = shard.nodes.map((node) => firstHeights.get(`${shard.id}/${node.index}`) ?? 0);
        const baseline = Math.min(...firsts);
        return (
          shard.up < shard.validators || shard.height === null || shard.height < Math.max(1, baseline + 1)
        );
      });
      if (waiting.length === 0) return;
      if (Date.now() > deadline) {
        const ids = waiting.map((shard) => shard.id);
        throw startFailed(
          `shard ${ids.join(', ')} did not get every validator up and commit a block in time; see the logs in ${join(dir, 'logs')}`,
          { shards: ids },
        );
      }
      await sleepUnlessAborted(pollMs, options.signal);
    }
  }

  try {
    await waitUntilReady();
    if (withGateway) {
      const watch = (kind: DevnetServiceKind, service: DevnetService) => {
        services.push({ kind, service });
        emit({
          type: 'service-started',
          service: kind,
          url: service.url,
          pid: service.pid,
          log: service.log,
        });
        void service.exit.then(({ code, signal }) => {
          if (!stopping) emit({ type: 'service-exited', service: kind, code, signal, log: service.log });
        });
      };
      const signal = options.signal === undefined ? {} : { signal: options.signal };
      // The three services need nothing of each other at start-up (each takes seconds, most of it
      // opening its database), so they start together: the gateway gets the bank's URL and API key
      // up front, and its ramp worker retries while the bank is still coming up.
      const bankPort = manifest.basePort + BANK_PORT_OFFSET;
      const bankApiKey = await devnetSecret(dir, 'bank-api-key');
      // Made (once) before the three start: the gateway reads the oracle's address (the escrows'
      // default oracle) and its API key (to register shipments) while the oracle reads them too.
      await devnetOracleKeyFile(dir);
      await devnetSecret(dir, 'oracle-api-key');
      const started = await Promise.allSettled([
        startDevnetBank({
          dir,
          port: bankPort,
          ...(options.bankBin === undefined ? {} : { bankBin: options.bankBin }),
          ...signal,
        }).then((bank) => bank.service),
        startDevnetOracle({
          dir,
          port: manifest.basePort + ORACLE_PORT_OFFSET,
          shards,
          ...(options.oracleBin === undefined ? {} : { oracleBin: options.oracleBin }),
          ...signal,
        }).then((oracle) => oracle.service),
        startDevnetGateway({
          dir,
          port: manifest.basePort,
          shards,
          bank: { url: `http://127.0.0.1:${bankPort}`, apiKey: bankApiKey },
          ...(options.gatewayBin === undefined ? {} : { gatewayBin: options.gatewayBin }),
          ...signal,
        }),
      ]);
      const kinds: DevnetServiceKind[] = ['bank', 'oracle', 'gateway'];
      // Whatever started is watched first, so a failure of another still stops it.
      started.forEach((result, i) => {
        if (result.status === 'fulfilled') watch(kinds[i] as DevnetServiceKind, result.value);
      });
      const failed = started.find((result) => result.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const urlOf = (kind: DevnetServiceKind) =>
    services.find((entry) => entry.kind === kind)?.service.url ?? null;
  emit({ type: 'ready', shards, gateway: urlOf('gateway'), bank: urlOf('bank'), oracle: urlOf('oracle') });

  return {
    chainId: manifest.chainId,
    dir,
    manifest,
    shards,
    urls: shards.flatMap((shard) => shard.rpc),
    gateway: urlOf('gateway'),
    bank: urlOf('bank'),
    oracle: urlOf('oracle'),
    alive: () => children.filter((child) => child.running).length,
    exited: Promise.all(children.map((child) => child.exit)).then(() => undefined),
    stop,
  };
}

function sleepUnlessAborted(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
