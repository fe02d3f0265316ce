import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ORACLE_PORT_OFFSET } from './devnetPorts.ts';
import { type DevnetService, devnetSecret, startDevnetService } from './startDevnetService.ts';

export interface StartDevnetGatewayOptions {
  /** Absolute devnet folder. */
  dir: string;
  port: number;
  /** Each shard's validator RPC URLs. */
  shards: Array<{ id: number; rpc: string[] }>;
  /** The bank sandbox the gateway buys and pays out through, when the devnet runs one. */
  bank?: { url: string; apiKey: string };
  /** The gateway program (default: @shardpay/gateway's bin/shardpay-gateway.js). */
  gatewayBin?: string;
  /** More environment, over the devnet's (tests: e.g. the test-only SHARDPAY_CRASH_AT). */
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

/** The path of `shardpay-gateway`'s launcher, found through the @shardpay/gateway package. */
export function defaultGatewayBin(): string {
  const entry = fileURLToPath(import.meta.resolve('@shardpay/gateway'));
  return join(dirname(entry), '..', 'bin', 'shardpay-gateway.js');
}

/**
 * The built web app (`apps/web/dist` of this repository, made by `npm run build -w @shardpay/web`,
 * which `npm start` runs first), or undefined when it was not built: the gateway then serves the API only.
 */
export function devnetWebDir(): string | undefined {
  const dist = join(import.meta.dirname, '..', '..', '..', '..', 'apps', 'web', 'dist');
  return existsSync(join(dist, 'index.html')) ? dist : undefined;
}

/**
 * The delivery oracle's address from `DIR/keys/oracle.json` (written by the oracle sandbox's start),
 * or undefined when the devnet runs no oracle: escrow-backed invoices name it by default.
 */
async function devnetOracleAddress(dir: string): Promise<string | undefined> {
  try {
    const parsed = JSON.parse(await readFile(join(dir, 'keys', 'oracle.json'), 'utf8')) as {
      address?: unknown;
    };
    return typeof parsed.address === 'string' ? parsed.address : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The delivery oracle sandbox the gateway ships escrow orders through: `127.0.0.1:P+2` (the gateway
 * listens on P) with the API key the oracle was started with (`DIR/keys/oracle-api-key`), or
 * undefined when the devnet runs no oracle (no `keys/oracle.json` or no API key file).
 */
async function devnetOracleService(
  dir: string,
  gatewayPort: number,
): Promise<{ url: string; apiKey: string } | undefined> {
  try {
    const apiKey = (await readFile(join(dir, 'keys', 'oracle-api-key'), 'utf8')).trim();
    if (apiKey === '') return undefined;
    return { url: `http://127.0.0.1:${gatewayPort + ORACLE_PORT_OFFSET}`, apiKey };
  } catch {
    return undefined;
  }
}

/**
 * Starts the devnet's gateway on `127.0.0.1:port`: mode `devnet`, PGlite in `DIR/gateway/db`, the
 * faucet keys and the issuer key of `DIR/keys`, a JWT secret kept in `DIR/keys/gateway-jwt-secret`
 * (logins survive a restart), logs in `DIR/logs/gateway.log`.
 */
export async function startDevnetGateway(options: StartDevnetGatewayOptions): Promise<DevnetService> {
  const { dir } = options;
  const dataDir = join(dir, 'gateway', 'db');
  await mkdir(dataDir, { recursive: true });
  const chainNodes = Object.fromEntries(options.shards.map((shard) => [String(shard.id), shard.rpc]));
  const oracleAddress = await devnetOracleAddress(dir);
  const oracle = oracleAddress === undefined ? undefined : await devnetOracleService(dir, options.port);
  const webDir = devnetWebDir();
  return startDevnetService({
    name: 'the gateway',
    bin: options.gatewayBin ?? defaultGatewayBin(),
    dir,
    port: options.port,
    logFile: 'gateway.log',
    env: {
      SHARDPAY_MODE: 'devnet',
      HOST: '127.0.0.1',
      PORT: String(options.port),
      SHARDPAY_GATEWAY_DATA_DIR: dataDir,
      SHARDPAY_CHAIN_NODES: JSON.stringify(chainNodes),
      SHARDPAY_FAUCET_KEYS_DIR: join(dir, 'keys'),
      SHARDPAY_ISSUER_KEY_FILE: join(dir, 'keys', 'issuer.json'),
      SHARDPAY_JWT_SECRET: await devnetSecret(dir, 'gateway-jwt-secret'),
      ...(oracleAddress === undefined ? {} : { SHARDPAY_ORACLE_ADDRESS: oracleAddress }),
      ...(oracle === undefined
        ? {}
        : { SHARDPAY_ORACLE_URL: oracle.url, SHARDPAY_ORACLE_API_KEY: oracle.apiKey }),
      ...(webDir === undefined ? {} : { SHARDPAY_WEB_DIR: webDir }),
      ...(options.bank
        ? { SHARDPAY_BANK_URL: options.bank.url, SHARDPAY_BANK_API_KEY: options.bank.apiKey }
        : {}),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      ...options.env,
    },
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
}
