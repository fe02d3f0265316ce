import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
/**
 * The `shardpay` command of this repository. The bench drives the devnet as a user does, through the
 * command and its `--json` output, rather than importing @shardpay/cli (a package of the same layer,
 * which imports this one).
 */
const shardpayBin = resolve(here, '..', '..', 'cli', 'bin', 'shardpay.js');

export interface BenchDevnet {
  dir: string;
  shards: Array<{ id: number; rpc: string[] }>;
  /** True when the bench started it (and stops it); false for `--dir`. */
  owned: boolean;
  stop(): Promise<void>;
}

async function isPortFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** A base port P whose devnet ports (docs/devnet.md: P, P+1, P+10+k, P+110+k) are all free. */
async function freeDevnetBasePort(validators: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 400) * 100;
    const ports = [base, base + 1];
    for (let k = 0; k < validators; k++) ports.push(base + 10 + k, base + 110 + k);
    let free = true;
    for (const port of ports) if (!(await isPortFree(port))) free = false;
    if (free) return base;
  }
  throw new Error('no free devnet base port found in 50 tries');
}

/** The validators of the running devnet in `dir`, from `shardpay status --dir DIR --json`. */
export async function attachBenchDevnet(dir: string): Promise<BenchDevnet> {
  const root = resolve(dir);
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [shardpayBin, 'status', '--dir', root, '--json'],
    {
      maxBuffer: 1 << 20,
    },
  );
  const status = JSON.parse(stdout) as {
    shards: Array<{ id: number; nodes: Array<{ rpc: string; up: boolean }> }>;
  };
  const shards = status.shards.map((shard) => ({ id: shard.id, rpc: shard.nodes.map((node) => node.rpc) }));
  const down = status.shards.flatMap((shard) =>
    shard.nodes.filter((node) => !node.up).map((node) => node.rpc),
  );
  if (down.length > 0) throw new Error(`validators of ${root} do not answer: ${down.join(', ')}`);
  return { dir: root, shards, owned: false, stop: async () => {} };
}

/**
 * Starts `shardpay devnet --no-gateway --json` (S shards × N validators, validators only) in a new
 * temporary folder, under a watchdog that stops it if the bench dies, and resolves once it is up.
 */
export async function startBenchDevnet(shards: number, validators: number): Promise<BenchDevnet> {
  const dir = mkdtempSync(join(tmpdir(), 'shardpay-gwbench-'));
  const port = await freeDevnetBasePort(shards * validators);
  const args = ['devnet', '--shards', String(shards), '--validators', String(validators)];
  args.push('--dir', join(dir, 'devnet'), '--port', String(port), '--no-gateway', '--json');
  const child: ChildProcess = spawn(
    process.execPath,
    [join(here, 'devnetWatchdog.ts'), shardpayBin, ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    },
  );
  child.channel?.unref();
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const line = await new Promise<string>((done, fail) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const newline = out.indexOf('\n');
        if (newline >= 0) done(out.slice(0, newline));
      });
      void exited.then(() => fail(new Error(`shardpay devnet exited before it was up:\n${stderr}`)));
    });
    const ready = JSON.parse(line) as { dir: string; shards: Array<{ id: number; rpc: string[] }> };
    return { dir: ready.dir, shards: ready.shards, owned: true, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
