import { type ChildProcess, spawn } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex, ShardpayError } from '@shardpay/crypto';
import { type Address, type NetworkConfig, networkConfigToJson } from '@shardpay/protocol';
import { createDevnetGenesis } from '../src/index.ts';
import { callBenchRpc } from './callBenchRpc.ts';

const nodeBin = join(import.meta.dirname, '..', 'bin', 'shardpay-node.js');
const DIR_PREFIX = 'shardpay-nodebench-';
/** Names the bench process that owns a folder, so that a later run can remove it if that process was killed. */
const OWNER_FILE = 'owner.pid';
const STOP_GRACE_MS = 15_000;

export interface BenchNetworkOptions {
  shards: number;
  validatorsPerShard: number;
  /** Accounts funded at genesis besides the devnet faucets (minor units). */
  balances: ReadonlyArray<{ address: Address; amount: bigint }>;
  /** Leave the temp folder (configs, LMDB, logs) in place after `stop()`. */
  keepDir: boolean;
  /** Overrides of the default node settings written into every validator's config (`block` section). */
  block?: { maxTransactions?: number; minIntervalMs?: number };
  /** When set, every validator runs with `--cpu-prof` and writes its profiles there on exit (named by pid). */
  cpuProfileDir?: string;
}

/** One validator process of the bench network. */
export interface BenchValidator {
  shard: number;
  index: number;
  rpcUrl: string;
  wsUrl: string;
  logPath: string;
  /** The process id while it runs. */
  pid(): number | undefined;
}

export interface BenchNetwork {
  dir: string;
  network: NetworkConfig;
  validators: BenchValidator[];
  /** Resolves once every validator answers and has committed `height` blocks; bounded by `timeoutMs`. */
  waitUntilCommitting(height: bigint, timeoutMs: number): Promise<void>;
  /** Throws BENCH_VALIDATOR_EXITED when a validator process ended while the bench runs. */
  assertRunning(): void;
  /** The last `lines` lines of each validator's log (for a failure report). */
  logTails(lines: number): string;
  /** Stops every validator (SIGTERM, then SIGKILL after a grace period) and removes the folder. */
  stop(): Promise<void>;
  /** Synchronous last resort for `process.on('exit')`: SIGKILLs what still runs and removes the folder. */
  killNow(): void;
}

/** Free loopback TCP ports, all distinct (held open together while picking, then released). */
export async function findFreePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => {
    const address = server.address();
    return typeof address === 'object' && address ? address.port : 0;
  });
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

function writeSecret(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/**
 * Creates a fresh network in a temp folder — genesis (devnet keys plus the given balances), one
 * config, key and LMDB folder per validator, free loopback ports — and starts every validator as
 * its own `shardpay-node --config` process with default node settings. Logs go to `DIR/logs`.
 */
export async function startBenchNetwork(options: BenchNetworkOptions): Promise<BenchNetwork> {
  removeAbandonedBenchDirs();
  const dir = await mkdtemp(join(tmpdir(), DIR_PREFIX));
  writeFileSync(join(dir, OWNER_FILE), `${process.pid}\n`);
  const count = options.shards * options.validatorsPerShard;
  const children = new Map<number, ChildProcess>();
  const exits = new Map<number, string>();
  let stopping = false;
  let removed = false;

  function removeDir(): void {
    if (removed) return;
    removed = true;
    // A kept folder loses its owner file, so that no later run takes it for an abandoned one.
    if (options.keepDir) rmSync(join(dir, OWNER_FILE), { force: true });
    else rmSync(dir, { recursive: true, force: true });
  }

  try {
    const ports = await findFreePorts(2 * count);
    const rpcPort = (k: number) => ports[k]!;
    const p2pPort = (k: number) => ports[count + k]!;
    const genesis = createDevnetGenesis({
      chainId: 'shardpay-bench',
      shards: options.shards,
      validatorsPerShard: options.validatorsPerShard,
      p2pPort: (shard, index) => p2pPort(shard * options.validatorsPerShard + index),
      faucetBalance: '1000000',
      genesisTimeMs: BigInt(Date.now()),
      extraBalances: options.balances,
    });
    writeFileSync(join(dir, 'genesis.json'), `${JSON.stringify(networkConfigToJson(genesis.config))}\n`);
    mkdirSync(join(dir, 'logs'));

    const validators: BenchValidator[] = [];
    for (let shard = 0; shard < options.shards; shard++) {
      for (let index = 0; index < options.validatorsPerShard; index++) {
        const k = shard * options.validatorsPerShard + index;
        const folder = join(dir, 'validators', `s${shard}-v${index}`);
        mkdirSync(folder, { recursive: true });
        writeSecret(join(folder, 'key.json'), {
          privateKey: bytesToHex(genesis.validators[shard]![index]!.privateKey),
        });
        const configPath = join(folder, 'config.json');
        writeFileSync(
          configPath,
          `${JSON.stringify(
            {
              genesisPath: '../../genesis.json',
              keyPath: 'key.json',
              dataDir: 'data',
              shard,
              validatorIndex: index,
              p2p: { listen: [`/ip4/127.0.0.1/tcp/${p2pPort(k)}`] },
              rpc: { host: '127.0.0.1', port: rpcPort(k) },
              ...(options.block === undefined ? {} : { block: options.block }),
            },
            null,
            2,
          )}\n`,
        );
        const logPath = join(dir, 'logs', `s${shard}-v${index}.log`);
        const log = openSync(logPath, 'a');
        const profile =
          options.cpuProfileDir !== undefined
            ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`]
            : [];
        // The IPC channel makes a validator stop by itself if this process dies without cleaning up.
        const child = spawn(process.execPath, [...profile, nodeBin, '--config', configPath], {
          stdio: ['ignore', log, log, 'ipc'],
        });
        closeSync(log);
        children.set(k, child);
        child.once('exit', (code, signal) => {
          children.delete(k);
          exits.set(k, signal ?? `code ${code}`);
        });
        validators.push({
          shard,
          index,
          rpcUrl: `http://127.0.0.1:${rpcPort(k)}/`,
          wsUrl: `ws://127.0.0.1:${rpcPort(k)}/`,
          logPath,
          pid: () => children.get(k)?.pid,
        });
      }
    }

    const logTails = (lines: number) =>
      validators
        .map((v) => {
          let text = '';
          try {
            text = readFileSync(v.logPath, 'utf8');
          } catch {
            text = '(no log)';
          }
          return `--- shard ${v.shard} validator ${v.index} (${v.logPath}) ---\n${text.trimEnd().split('\n').slice(-lines).join('\n')}`;
        })
        .join('\n');

    const assertRunning = () => {
      if (exits.size === 0 || stopping) return;
      const [k, how] = [...exits][0]!;
      throw new ShardpayError('BENCH_VALIDATOR_EXITED', `validator process ${k} ended (${how})`, {
        meta: { validator: k, how },
      });
    };

    return {
      dir,
      network: genesis.config,
      validators,
      logTails,
      assertRunning,

      waitUntilCommitting: (height, timeoutMs) =>
        waitUntilCommitting(validators, height, timeoutMs, assertRunning),

      async stop() {
        stopping = true;
        await Promise.all(
          [...children.values()].map(
            (child) =>
              new Promise<void>((resolve) => {
                if (child.exitCode !== null || child.signalCode !== null) return resolve();
                const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
                child.once('exit', () => {
                  clearTimeout(timer);
                  resolve();
                });
                child.kill('SIGTERM');
              }),
          ),
        );
        removeDir();
      },

      killNow() {
        stopping = true;
        for (const child of children.values()) child.kill('SIGKILL');
        removeDir();
      },
    };
  } catch (error) {
    for (const child of children.values()) child.kill('SIGKILL');
    removeDir();
    throw error;
  }
}

/**
 * Resolves once every validator answers `shardpay_networkInfo` with at least `height`; polls every
 * 250 ms, calls `assertRunning` on each round, BENCH_START_TIMEOUT after `timeoutMs`.
 */
export async function waitUntilCommitting(
  validators: readonly Pick<BenchValidator, 'rpcUrl'>[],
  height: bigint,
  timeoutMs: number,
  assertRunning: () => void,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const ready = new Set<number>();
  while (ready.size < validators.length) {
    assertRunning();
    if (Date.now() > deadline) {
      throw new ShardpayError(
        'BENCH_START_TIMEOUT',
        `${validators.length - ready.size} validators did not reach height ${height} within ${timeoutMs} ms`,
        { meta: { timeoutMs } },
      );
    }
    await Promise.all(
      validators.map(async (v, k) => {
        if (ready.has(k)) return;
        try {
          const info = (await callBenchRpc(v.rpcUrl, 'shardpay_networkInfo', {}, 2000)) as {
            height: string;
          };
          if (BigInt(info.height) >= height) ready.add(k);
        } catch {
          // Not listening yet.
        }
      }),
    );
    if (ready.size < validators.length) await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temp folders of earlier runs whose bench process no longer exists (killed with
 * SIGKILL, so it could not clean up; its validators stopped by themselves when it died). Folders
 * without an owner file, or whose owner runs, are left alone.
 */
function removeAbandonedBenchDirs(): void {
  for (const entry of readdirSync(tmpdir())) {
    if (!entry.startsWith(DIR_PREFIX)) continue;
    const folder = join(tmpdir(), entry);
    let owner: number;
    try {
      owner = Number(readFileSync(join(folder, OWNER_FILE), 'utf8').trim());
    } catch {
      continue;
    }
    if (Number.isSafeInteger(owner) && owner > 0 && owner !== process.pid && !isProcessAlive(owner)) {
      rmSync(folder, { recursive: true, force: true });
    }
  }
}
