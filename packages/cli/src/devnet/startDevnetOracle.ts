import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  addressFromPublicKey,
  bytesToHex,
  encodeAddress,
  generatePrivateKey,
  hexToBytes,
  isValidPrivateKey,
  publicKeyFromPrivateKey,
  ShardpayError,
} from '@shardpay/crypto';
import { networkConfigFromJson } from '@shardpay/protocol';
import { type DevnetService, devnetSecret, startDevnetService } from './startDevnetService.ts';

export interface StartDevnetOracleOptions {
  /** Absolute devnet folder. */
  dir: string;
  port: number;
  /** Each shard's validator RPC URLs (the oracle reads escrows and submits releases there). */
  shards: Array<{ id: number; rpc: string[] }>;
  /** The oracle program (default: @shardpay/oracle's bin/shardpay-oracle.js). */
  oracleBin?: string;
  signal?: AbortSignal;
}

/** The path of `shardpay-oracle`'s launcher, found through the @shardpay/oracle package. */
export function defaultOracleBin(): string {
  const entry = fileURLToPath(import.meta.resolve('@shardpay/oracle'));
  return join(dirname(entry), '..', 'bin', 'shardpay-oracle.js');
}

/**
 * The devnet oracle's key file `DIR/keys/oracle.json` (0600, like the operator keys): made once on
 * the first start, kept after, so escrows naming the oracle's address stay releasable across restarts.
 */
export async function devnetOracleKeyFile(dir: string): Promise<{ path: string; address: string }> {
  const path = join(dir, 'keys', 'oracle.json');
  const network = networkConfigFromJson(JSON.parse(await readFile(join(dir, 'genesis.json'), 'utf8')));
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text !== undefined) {
    let privateKeyHex: unknown;
    try {
      privateKeyHex = (JSON.parse(text) as { privateKey?: unknown } | null)?.privateKey;
    } catch {
      privateKeyHex = undefined;
    }
    if (
      typeof privateKeyHex !== 'string' ||
      !/^[0-9a-f]{64}$/.test(privateKeyHex) ||
      !isValidPrivateKey(hexToBytes(privateKeyHex))
    ) {
      // Never replaced silently: escrows name this key's address.
      throw new ShardpayError(
        'DEVNET_STATE_INVALID',
        `${path} holds no valid "privateKey"; restore it or remove it`,
        {
          meta: { path },
        },
      );
    }
    const publicKey = publicKeyFromPrivateKey(hexToBytes(privateKeyHex));
    return { path, address: encodeAddress(addressFromPublicKey(publicKey), network.addressPrefix) };
  }
  const privateKey = generatePrivateKey();
  const publicKey = publicKeyFromPrivateKey(privateKey);
  const address = encodeAddress(addressFromPublicKey(publicKey), network.addressPrefix);
  const json = { privateKey: bytesToHex(privateKey), publicKey: bytesToHex(publicKey), address };
  await writeFile(path, `${JSON.stringify(json, null, 2)}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
  return { path, address };
}

/**
 * Starts the delivery oracle sandbox on `127.0.0.1:port` with its state in `DIR/oracle/db`, its
 * oracle key in `DIR/keys/oracle.json` and an API key in `DIR/keys/oracle-api-key`. Logs in
 * `DIR/logs/oracle.log`.
 */
export async function startDevnetOracle(
  options: StartDevnetOracleOptions,
): Promise<{ service: DevnetService; apiKey: string; address: string }> {
  const { dir } = options;
  const dataDir = join(dir, 'oracle', 'db');
  await mkdir(dataDir, { recursive: true });
  const apiKey = await devnetSecret(dir, 'oracle-api-key');
  const key = await devnetOracleKeyFile(dir);
  const chainNodes = Object.fromEntries(options.shards.map((shard) => [String(shard.id), shard.rpc]));
  const service = await startDevnetService({
    name: 'the delivery oracle sandbox',
    bin: options.oracleBin ?? defaultOracleBin(),
    dir,
    port: options.port,
    logFile: 'oracle.log',
    env: {
      HOST: '127.0.0.1',
      PORT: String(options.port),
      SHARDPAY_ORACLE_DATA_DIR: dataDir,
      SHARDPAY_ORACLE_API_KEY: apiKey,
      SHARDPAY_ORACLE_KEY_FILE: key.path,
      SHARDPAY_CHAIN_NODES: JSON.stringify(chainNodes),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    },
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  return { service, apiKey, address: key.address };
}
