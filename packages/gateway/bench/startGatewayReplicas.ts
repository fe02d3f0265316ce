import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitUntil } from './benchHttp.ts';
import { freePort } from './startBenchDevnet.ts';

const gatewayBin = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'shardpay-gateway.js');

/**
 * The per-IP rate limit of every replica (SHARDPAY_RATE_LIMIT_MAX, per minute; its maximum). All load
 * comes from 127.0.0.1, so the default (300) would turn the bench into a 429 count. The limiter stays
 * on, so its cost is measured.
 */
export const BENCH_RATE_LIMIT_MAX = 1_000_000;

export interface GatewayReplica {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export interface StartReplicasOptions {
  count: number;
  databaseUrl: string;
  /** 64 hex chars shared by every replica, so a token from one is good on all. */
  jwtSecret: string;
  shards: Array<{ id: number; rpc: string[] }>;
  /** The devnet's key folder (faucet keys, for POST /v1/faucet). */
  keysDir: string;
  /** Appended to by every replica. */
  logFile: string;
}

/**
 * Starts `count` gateway processes (packages/gateway/bin/shardpay-gateway.js) on free ports, mode
 * devnet, all on one PostgreSQL database, and resolves once each answers /health. Each has an IPC
 * channel to the bench, so it stops by itself if the bench dies.
 */
export async function startGatewayReplicas(options: StartReplicasOptions): Promise<GatewayReplica[]> {
  // All at once: they migrate the same database under an advisory lock, so each migration applies once.
  const started = await Promise.allSettled(
    Array.from({ length: options.count }, () => startReplica(options)),
  );
  const replicas = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = started.find((result) => result.status === 'rejected');
  if (failed !== undefined) {
    await Promise.all(replicas.map((replica) => replica.stop()));
    throw failed.reason;
  }
  return replicas;
}

async function startReplica(options: StartReplicasOptions): Promise<GatewayReplica> {
  const port = await freePort();
  const log = openSync(options.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [gatewayBin], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        SHARDPAY_MODE: 'devnet',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: options.databaseUrl,
        SHARDPAY_JWT_SECRET: options.jwtSecret,
        SHARDPAY_CHAIN_NODES: JSON.stringify(
          Object.fromEntries(options.shards.map((s) => [String(s.id), s.rpc])),
        ),
        SHARDPAY_FAUCET_KEYS_DIR: options.keysDir,
        SHARDPAY_RATE_LIMIT_MAX: String(BENCH_RATE_LIMIT_MAX),
        // Request lines at info would be the bulk of the replica's output; warnings and errors stay.
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', log, log, 'ipc'],
    });
  } finally {
    closeSync(log);
  }
  child.channel?.unref();
  let running = true;
  const exited = new Promise<void>((done) =>
    child.once('exit', () => {
      running = false;
      done();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (running) child.kill('SIGTERM');
    const timer = setTimeout(() => running && child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitUntil(`the gateway replica on ${url} (log: ${options.logFile})`, 60_000, async () => {
      if (!running) throw new Error(`a gateway replica exited at start; see ${options.logFile}`);
      try {
        const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
        await response.arrayBuffer();
        return response.ok;
      } catch {
        return false;
      }
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, pid: child.pid!, stop };
}
