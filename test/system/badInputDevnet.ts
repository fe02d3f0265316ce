/**
 * The multi-process devnet of the bad-input system test: `openDevnet` writes genesis, keys and
 * configs; each validator runs as its own `shardpay-node` process logging JSON lines to its file.
 * Also raw JSON-RPC over HTTP (to send what a well-behaved client never would) and bounded polls.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { openSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callNodeRpc, type DevnetManifest, findFreeDevnetPort, openDevnet } from '@shardpay/cli';
import { hexToBytes } from '@shardpay/crypto';
import { type NetworkConfig, networkConfigFromJson } from '@shardpay/protocol';

const root = join(import.meta.dirname, '..', '..');
const nodeBin = join(root, 'packages', 'node', 'bin', 'shardpay-node.js');

export { waitFor } from '../../packages/node/test/helpers/waitFor.ts';

export interface DevnetValidator {
  shard: number;
  index: number;
  url: string;
  configPath: string;
  keyPath: string;
  logPath: string;
  child: ChildProcess | undefined;
}

/** A JSON-RPC reply as it came over the wire. */
export interface RawRpcReply {
  status: number;
  body: {
    jsonrpc?: string;
    id?: unknown;
    result?: unknown;
    error?: { code: number; message: string; data?: { code: string; meta?: Record<string, unknown> } };
  };
}

/**
 * POSTs `body` as is and returns the HTTP status with the parsed reply. Uses node:http rather than
 * fetch so that a server answering 413 before reading an oversized body still yields its answer.
 */
export function postRaw(url: string, body: string): Promise<RawRpcReply> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as RawRpcReply['body'] });
          } catch {
            reject(
              new Error(`HTTP ${response.statusCode} with a body that is not JSON: ${text.slice(0, 200)}`),
            );
          }
        });
      },
    );
    // Writing the rest of an oversized body fails once the server hangs up: the answer counts.
    request.on('error', reject);
    request.setTimeout(10_000, () => request.destroy(new Error(`no answer from ${url} in 10 s`)));
    request.end(body);
  });
}

/** A JSON-RPC call whose refusal is returned (status and body), not thrown. */
export function callRaw(url: string, method: string, params: unknown): Promise<RawRpcReply> {
  return postRaw(url, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }));
}

export interface BadInputDevnet {
  dir: string;
  manifest: DevnetManifest;
  network: NetworkConfig;
  validators: DevnetValidator[];
  /** Private keys of the funded faucet account of each shard. */
  faucetKeys: Uint8Array[];
  start(validator: DevnetValidator): void;
  /** SIGKILLs the process and resolves once it exited. */
  kill(validator: DevnetValidator): Promise<void>;
  isRunning(validator: DevnetValidator): boolean;
  rpc(validator: DevnetValidator, method: string, params?: unknown): Promise<unknown>;
  height(validator: DevnetValidator): Promise<bigint | undefined>;
  /** The highest height any running validator of `shard` reports. */
  shardHeight(shard: number): Promise<bigint>;
  running(shard: number): DevnetValidator[];
  /** The JSON log lines of a validator's log file, parsed (lines that are not JSON are skipped). */
  logEvents(validator: DevnetValidator): Array<Record<string, unknown>>;
  /** Kills every process and removes the folder (kept when SHARDPAY_KEEP_DIR is set). */
  close(): Promise<void>;
}

/** Creates a `shards` × `validatorsPerShard` devnet in a temp folder (nothing started yet). */
export async function createBadInputDevnet(
  shards: number,
  validatorsPerShard: number,
): Promise<BadInputDevnet> {
  const dir = await mkdtemp(join(tmpdir(), 'shardpay-bad-input-'));
  const port = await findFreeDevnetPort(shards, validatorsPerShard);
  const { manifest } = await openDevnet({ dir, shards, validators: validatorsPerShard, port });
  const network = networkConfigFromJson(JSON.parse(readFileSync(join(dir, 'genesis.json'), 'utf8')));
  const validators: DevnetValidator[] = manifest.validators.map((record) => ({
    shard: record.shard,
    index: record.index,
    url: `http://127.0.0.1:${record.rpcPort}`,
    configPath: join(dir, record.dir, 'config.json'),
    keyPath: join(dir, record.dir, 'key.json'),
    logPath: join(dir, record.log),
    child: undefined,
  }));
  const faucetKeys = Array.from({ length: shards }, (_, shard) => {
    const json = JSON.parse(readFileSync(join(dir, 'keys', `faucet-${shard}.json`), 'utf8')) as {
      privateKey: string;
    };
    return hexToBytes(json.privateKey);
  });

  const isRunning = (validator: DevnetValidator): boolean =>
    validator.child !== undefined && validator.child.exitCode === null && validator.child.signalCode === null;

  function kill(validator: DevnetValidator): Promise<void> {
    const child = validator.child;
    validator.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  const rpc = (validator: DevnetValidator, method: string, params: unknown = {}) =>
    callNodeRpc(validator.url, method, params, { timeoutMs: 5000 });

  async function height(validator: DevnetValidator): Promise<bigint | undefined> {
    try {
      const info = (await rpc(validator, 'shardpay_networkInfo')) as { height: string };
      return BigInt(info.height);
    } catch {
      return undefined;
    }
  }

  const running = (shard: number) => validators.filter((v) => v.shard === shard && isRunning(v));

  return {
    dir,
    manifest,
    network,
    validators,
    faucetKeys,
    start(validator) {
      const log = openSync(validator.logPath, 'a');
      validator.child = spawn(process.execPath, [nodeBin, '--config', validator.configPath], {
        stdio: ['ignore', log, log],
      });
    },
    kill,
    isRunning,
    rpc,
    height,
    async shardHeight(shard) {
      const heights = await Promise.all(running(shard).map(height));
      return heights.reduce<bigint>((max, h) => (h !== undefined && h > max ? h : max), 0n);
    },
    running,
    logEvents(validator) {
      let text: string;
      try {
        text = readFileSync(validator.logPath, 'utf8');
      } catch {
        return [];
      }
      return text.split('\n').flatMap((line) => {
        if (!line.startsWith('{')) return [];
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
    },
    async close() {
      await Promise.all(validators.map(kill));
      if (process.env.SHARDPAY_KEEP_DIR) console.log(`kept ${dir}`);
      else rmSync(dir, { recursive: true, force: true });
    },
  };
}
