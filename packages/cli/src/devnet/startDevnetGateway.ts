import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ShardpayError } from '@shardpay/crypto';
import { readLogTail } from './readLogTail.ts';

/** The gateway a devnet runs: its URL, its process, and how it ended. */
export interface DevnetGateway {
  url: string;
  pid: number;
  log: string;
  /** Resolves when the process exits. */
  exit: Promise<{ code: number | null; signal: string | null }>;
  running(): boolean;
  /** SIGTERM, then SIGKILL after `timeoutMs`; resolves once it exited. */
  stop(timeoutMs: number): Promise<void>;
}

export interface StartDevnetGatewayOptions {
  /** Absolute devnet folder. */
  dir: string;
  port: number;
  /** Each shard's validator RPC URLs. */
  shards: Array<{ id: number; rpc: string[] }>;
  /** The gateway program (default: @shardpay/gateway's bin/shardpay-gateway.js). */
  gatewayBin?: string;
  /** How long to wait for `/health` (default 60 s). */
  readyTimeoutMs?: number;
  signal?: AbortSignal;
}

/** The path of `shardpay-gateway`'s launcher, found through the @shardpay/gateway package. */
export function defaultGatewayBin(): string {
  const entry = fileURLToPath(import.meta.resolve('@shardpay/gateway'));
  return join(dirname(entry), '..', 'bin', 'shardpay-gateway.js');
}

/**
 * The devnet's JWT secret, made once and kept in `DIR/keys/gateway-jwt-secret` (0600), so that logins
 * survive a devnet restart. Never a constant in the code.
 */
async function devnetJwtSecret(dir: string): Promise<string> {
  const path = join(dir, 'keys', 'gateway-jwt-secret');
  try {
    const secret = (await readFile(path, 'utf8')).trim();
    if (/^[0-9a-f]{64}$/.test(secret)) return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(32).toString('hex');
  await writeFile(path, `${secret}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
  return secret;
}

/**
 * Starts the devnet's gateway process on `127.0.0.1:port` (mode `devnet`, PGlite in `DIR/gateway/db`,
 * the faucet keys of `DIR/keys`, logs in `DIR/logs/gateway.log`) and resolves once `/health` answers.
 * Rejects with DEVNET_START_FAILED (after stopping it) if it exits or does not answer in time.
 */
export async function startDevnetGateway(options: StartDevnetGatewayOptions): Promise<DevnetGateway> {
  const { dir, port } = options;
  const dataDir = join(dir, 'gateway', 'db');
  await mkdir(dataDir, { recursive: true });
  const logPath = join(dir, 'logs', 'gateway.log');
  const chainNodes = Object.fromEntries(options.shards.map((shard) => [String(shard.id), shard.rpc]));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    SHARDPAY_MODE: 'devnet',
    HOST: '127.0.0.1',
    PORT: String(port),
    SHARDPAY_GATEWAY_DATA_DIR: dataDir,
    SHARDPAY_CHAIN_NODES: JSON.stringify(chainNodes),
    SHARDPAY_FAUCET_KEYS_DIR: join(dir, 'keys'),
    SHARDPAY_JWT_SECRET: await devnetJwtSecret(dir),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  };
  const fd = openSync(logPath, 'a');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [options.gatewayBin ?? defaultGatewayBin()], {
      cwd: dir,
      env,
      stdio: ['ignore', fd, fd, 'ipc'],
      detached: true,
    });
  } finally {
    closeSync(fd);
  }
  let running = true;
  const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      running = false;
      resolve({ code, signal });
    });
    child.once('error', () => {
      if (child.pid === undefined) {
        running = false;
        resolve({ code: null, signal: null });
      }
    });
  });
  const stop = async (timeoutMs: number) => {
    if (running) child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const exited = await Promise.race([
      exit.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (!exited && running) child.kill('SIGKILL');
    await exit;
  };
  const url = `http://127.0.0.1:${port}`;
  const gateway: DevnetGateway = {
    url,
    pid: child.pid ?? -1,
    log: logPath,
    exit,
    running: () => running,
    stop,
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (let wait = 50; ; wait = Math.min(wait * 2, 500)) {
    if (!running) {
      const lines = await readLogTail(logPath, 5);
      throw new ShardpayError(
        'DEVNET_START_FAILED',
        `the gateway exited while the devnet started; see ${logPath}${lines ? `:\n${lines}` : ''}`,
        { meta: { log: logPath } },
      );
    }
    if (await answersHealth(url)) return gateway;
    if (Date.now() > deadline || options.signal?.aborted) {
      await stop(5000);
      throw new ShardpayError(
        'DEVNET_START_FAILED',
        `the gateway did not answer on ${url} in time; see ${logPath}`,
        {
          meta: { log: logPath },
        },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

async function answersHealth(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}
