import { readFile } from 'node:fs/promises';
import { hexToBytes, isValidPrivateKey, ShardpayError } from '@shardpay/crypto';

/** Everything the oracle reads from its environment, resolved and checked. */
export interface OracleConfig {
  host: string;
  port: number;
  /** PGlite data folder; in memory when absent. */
  dataDir: string | undefined;
  /** The one API key callers (a merchant's shop, the gateway) present as `Authorization: Bearer <key>`. */
  apiKey: string;
  /** The oracle's signing key (32 bytes): its address is what an escrow names as `oracle`. */
  oracleKey: Uint8Array;
  /** RPC URLs of each shard's nodes: `chainNodes[shard]`. */
  chainNodes: string[][];
  /** How often the worker looks for due shipments and final transactions. */
  pollIntervalMs: number;
  /** Heights a release transaction stays valid for before it is rebuilt. */
  expiryBlocks: number;
  logLevel: string;
  bodyLimitBytes: number;
}

const minimumApiKeyLength = 32;

export type OracleConfigOverrides = Partial<OracleConfig> &
  Pick<OracleConfig, 'apiKey' | 'oracleKey' | 'chainNodes'>;

function refuse(variable: string, message: string): ShardpayError {
  return new ShardpayError('CONFIG_INVALID', message, { meta: { variable } });
}

/** A complete config from defaults and `overrides` (tests pass their own key and nodes). */
export function resolveOracleConfig(overrides: OracleConfigOverrides): OracleConfig {
  if (typeof overrides.apiKey !== 'string' || overrides.apiKey.length < minimumApiKeyLength) {
    throw refuse(
      'SHARDPAY_ORACLE_API_KEY',
      `SHARDPAY_ORACLE_API_KEY is required: at least ${minimumApiKeyLength} characters (e.g. 64 hex chars)`,
    );
  }
  if (!(overrides.oracleKey instanceof Uint8Array) || !isValidPrivateKey(overrides.oracleKey)) {
    throw refuse('SHARDPAY_ORACLE_KEY_FILE', 'the oracle key is not a valid 32-byte private key');
  }
  if (!Array.isArray(overrides.chainNodes) || overrides.chainNodes.length === 0) {
    throw refuse('SHARDPAY_CHAIN_NODES', 'SHARDPAY_CHAIN_NODES names the nodes of every shard');
  }
  return {
    host: '127.0.0.1',
    port: 8072,
    dataDir: undefined,
    pollIntervalMs: 1000,
    expiryBlocks: 600,
    logLevel: 'info',
    bodyLimitBytes: 64 * 1024,
    ...overrides,
  };
}

function integerVariable(env: NodeJS.ProcessEnv, name: string, min: number, max: number): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw refuse(name, `${name} must be an integer in ${min}..${max}`);
  }
  return value;
}

/**
 * `{"0": ["http://127.0.0.1:8090", …], "1": […]}` (the gateway's format): shards 0..n-1, each
 * with at least one http(s) URL.
 */
export function parseChainNodes(text: string | undefined): string[][] {
  const invalid = () =>
    refuse(
      'SHARDPAY_CHAIN_NODES',
      'SHARDPAY_CHAIN_NODES is JSON {"<shard>": ["http://host:port", …]} for shards 0..n-1',
    );
  if (text === undefined || text === '') {
    throw refuse(
      'SHARDPAY_CHAIN_NODES',
      'SHARDPAY_CHAIN_NODES is required: JSON {"<shard>": ["http://host:port", …]}',
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid();
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid();
  const nodes: string[][] = [];
  for (const [shard, urls] of Object.entries(parsed)) {
    if (!/^(0|[1-9][0-9]{0,3})$/.test(shard) || !Array.isArray(urls) || urls.length === 0) throw invalid();
    if (!urls.every((url) => typeof url === 'string' && /^https?:\/\/[^\s]+$/.test(url))) throw invalid();
    nodes[Number(shard)] = urls as string[];
  }
  // Every shard from 0 up: the oracle may have to look an escrow up on any of them.
  if (
    nodes.length === 0 ||
    nodes.some((urls) => urls === undefined) ||
    Object.keys(parsed).length !== nodes.length
  ) {
    throw invalid();
  }
  return nodes;
}

/** The private key of a JSON key file `{"privateKey": "<hex>", …}` (a devnet's `keys/oracle.json`). */
export async function readOracleKeyFile(path: string | undefined): Promise<Uint8Array> {
  const variable = 'SHARDPAY_ORACLE_KEY_FILE';
  if (path === undefined || path === '') {
    throw refuse(variable, `${variable} is required: a JSON key file {"privateKey": "<hex>"}`);
  }
  let privateKeyHex: unknown;
  try {
    privateKeyHex = (JSON.parse(await readFile(path, 'utf8')) as { privateKey?: unknown } | null)?.privateKey;
  } catch {
    // Never the content: it is a secret.
    throw refuse(variable, `${path} is not a readable JSON key file`);
  }
  if (typeof privateKeyHex !== 'string' || !/^[0-9a-fA-F]{64}$/.test(privateKeyHex)) {
    throw refuse(variable, `${path} has no "privateKey" of 64 hex characters`);
  }
  const key = hexToBytes(privateKeyHex.toLowerCase());
  if (!isValidPrivateKey(key)) throw refuse(variable, `${path} does not hold a valid private key`);
  return key;
}

/** The config from environment variables (documented in docs/oracle.md). */
export async function loadOracleConfig(env: NodeJS.ProcessEnv = process.env): Promise<OracleConfig> {
  const overrides: OracleConfigOverrides = {
    apiKey: env.SHARDPAY_ORACLE_API_KEY ?? '',
    chainNodes: parseChainNodes(env.SHARDPAY_CHAIN_NODES),
    oracleKey: new Uint8Array(0),
  };
  // The API key is checked before the key file is read: the cheapest refusal first.
  resolveOracleConfig({ ...overrides, oracleKey: new Uint8Array(32).fill(1) });
  overrides.oracleKey = await readOracleKeyFile(env.SHARDPAY_ORACLE_KEY_FILE);
  if (env.HOST) overrides.host = env.HOST;
  const port = integerVariable(env, 'PORT', 0, 65535);
  if (port !== undefined) overrides.port = port;
  if (env.SHARDPAY_ORACLE_DATA_DIR) overrides.dataDir = env.SHARDPAY_ORACLE_DATA_DIR;
  const poll = integerVariable(env, 'SHARDPAY_ORACLE_POLL_MS', 10, 600_000);
  if (poll !== undefined) overrides.pollIntervalMs = poll;
  if (env.LOG_LEVEL) overrides.logLevel = env.LOG_LEVEL;
  return resolveOracleConfig(overrides);
}
