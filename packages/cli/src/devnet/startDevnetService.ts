import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ShardpayError } from '@shardpay/crypto';
import { readLogTail } from './readLogTail.ts';

/** A service process a devnet runs beside its validators (the gateway, the bank sandbox). */
export interface DevnetService {
  /** What the devnet calls it in messages ("the gateway"). */
  name: string;
  url: string;
  pid: number;
  log: string;
  /** Resolves when the process exits. */
  exit: Promise<{ code: number | null; signal: string | null }>;
  running(): boolean;
  /** SIGTERM, then SIGKILL after `timeoutMs`; resolves once it exited. */
  stop(timeoutMs: number): Promise<void>;
}

export interface StartDevnetServiceOptions {
  name: string;
  /** Its launcher (run with this Node). */
  bin: string;
  /** Absolute devnet folder (the working directory). */
  dir: string;
  port: number;
  /** The whole environment it gets (PATH and HOME are added). */
  env: NodeJS.ProcessEnv;
  /** Appended to, under DIR/logs. */
  logFile: string;
  /** How long to wait for `/health` (default 60 s). */
  readyTimeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * A secret of the devnet, made once (32 random bytes, hex) and kept in `DIR/keys/<file>` (0600) so that
 * what depends on it survives a restart. Never a constant in the code.
 */
export async function devnetSecret(dir: string, file: string): Promise<string> {
  const path = join(dir, 'keys', file);
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
 * Starts a service on `127.0.0.1:port` in its own process group (with an IPC channel, so it stops by
 * itself if the devnet supervisor dies), logging to `DIR/logs/<logFile>`, and resolves once its
 * `/health` answers. Rejects with DEVNET_START_FAILED (after stopping it) if it exits or does not
 * answer in time.
 */
export async function startDevnetService(options: StartDevnetServiceOptions): Promise<DevnetService> {
  const { name, dir, port } = options;
  const logPath = join(dir, 'logs', options.logFile);
  const fd = openSync(logPath, 'a');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [options.bin], {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
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
  const service: DevnetService = {
    name,
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
        `${name} exited while the devnet started; see ${logPath}${lines ? `:\n${lines}` : ''}`,
        { meta: { log: logPath } },
      );
    }
    if (await answersHealth(url)) return service;
    if (Date.now() > deadline || options.signal?.aborted) {
      await stop(5000);
      throw new ShardpayError(
        'DEVNET_START_FAILED',
        `${name} did not answer on ${url} in time; see ${logPath}`,
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
