import { randomBytes } from 'node:crypto';
import { decodeAddress, ShardpayError } from '@shardpay/crypto';
import {
  defaultWebhookSettings,
  loadWebhookSettings,
  type WebhookSettings,
} from './webhooks/webhookSettings.ts';

/** Where the gateway runs: outside devnet/test every secret must be configured. */
export type GatewayMode = 'devnet' | 'test' | 'production';

/** Everything the gateway reads from its environment, resolved and checked. */
export interface GatewayConfig {
  mode: GatewayMode;
  host: string;
  port: number;
  /** bech32m prefix of this network's addresses (`spd` on a devnet). */
  addressPrefix: string;
  /** PostgreSQL server; PGlite when absent. */
  databaseUrl: string | undefined;
  /** PGlite data folder; in memory when absent as well. */
  dataDir: string | undefined;
  jwtSecret: Uint8Array;
  jwtIssuer: string;
  jwtAudience: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** scrypt cost N for password hashes (a power of two). */
  passwordScryptN: number;
  bodyLimitBytes: number;
  /** Requests per client per window; false turns limiting off. */
  rateLimit: { max: number; windowMs: number } | false;
  idempotencyRetentionSeconds: number;
  logLevel: string;
  /** Behind a load balancer: trust X-Forwarded-For from it (rate limits key on the client IP). */
  trustProxy: boolean;
  /** Shard id → node RPC URLs; payments are served only when set. */
  chainNodes: Record<number, string[]> | undefined;
  /** Folder of the devnet's `faucet-<shard>.json` keys; POST /v1/faucet serves only in mode devnet. */
  faucetKeysDir: string | undefined;
  /** The bank sandbox (`http://host:port`); purchases, cash-outs and reserves need it, a chain and an issuer key. */
  bankUrl: string | undefined;
  bankApiKey: string | undefined;
  /** JSON key file `{"privateKey": "<hex>", …}` of the issuer (a devnet's `keys/issuer.json`). */
  issuerKeyFile: string | undefined;
  /** Card purchases per unverified user, minor units per rolling 24 hours and 7 days. */
  purchaseLimits: { daily: bigint; weekly: bigint };
  /** Webhook retry timings (SHARDPAY_WEBHOOK_*: tests and devnets only; see docs/gateway.md "Webhooks"). */
  webhooks: WebhookSettings;
  /** Public base URL of the web app (checkout pages: `<publicUrl>/checkout/<inv_…>`); the request's origin when absent. */
  publicUrl: string | undefined;
  /** Events older than this many days are deleted by the hourly retention job. */
  eventRetentionDays: number;
  /** The delivery oracle escrow-backed invoices name when the merchant names none (bech32m), if any. */
  oracleAddress: string | undefined;
  /** The delivery oracle sandbox (`http://host:port`): shipments of escrow-backed orders; with `oracleApiKey`. */
  oracleUrl: string | undefined;
  /** Its API key (a secret: never logged). */
  oracleApiKey: string | undefined;
  /** A built web app (apps/web/dist: a folder with index.html) served at `/`; API only when absent. */
  webDir: string | undefined;
}

const minimumSecretBytes = 32;

/** A complete config from defaults and `overrides` (tests and embedding use it directly). */
export function resolveGatewayConfig(overrides: Partial<GatewayConfig> = {}): GatewayConfig {
  const mode = overrides.mode ?? 'test';
  const jwtSecret = overrides.jwtSecret ?? devSecret(mode);
  if (jwtSecret.length < minimumSecretBytes) {
    throw new ShardpayError('CONFIG_INVALID', `the JWT secret must be at least ${minimumSecretBytes} bytes`, {
      meta: { variable: 'SHARDPAY_JWT_SECRET' },
    });
  }
  return {
    mode,
    host: '127.0.0.1',
    port: 8080,
    addressPrefix: 'spd',
    databaseUrl: undefined,
    dataDir: undefined,
    jwtIssuer: 'shardpay-gateway',
    jwtAudience: 'shardpay-api',
    accessTokenTtlSeconds: 15 * 60,
    refreshTokenTtlSeconds: 30 * 24 * 3600,
    passwordScryptN: 2 ** 15,
    bodyLimitBytes: 64 * 1024,
    rateLimit: { max: 300, windowMs: 60_000 },
    idempotencyRetentionSeconds: 24 * 3600,
    logLevel: 'info',
    trustProxy: false,
    chainNodes: undefined,
    faucetKeysDir: undefined,
    bankUrl: undefined,
    bankApiKey: undefined,
    issuerKeyFile: undefined,
    purchaseLimits: { daily: 500_000_000n, weekly: 1_000_000_000n },
    webhooks: defaultWebhookSettings,
    publicUrl: undefined,
    eventRetentionDays: 30,
    oracleAddress: undefined,
    oracleUrl: undefined,
    oracleApiKey: undefined,
    webDir: undefined,
    ...overrides,
    jwtSecret,
  };
}

// Devnet and tests get a random per-process secret (never a constant in the code): tokens simply
// do not survive a restart there.
function devSecret(mode: GatewayMode): Uint8Array {
  if (mode === 'production') {
    throw new ShardpayError(
      'CONFIG_INVALID',
      'SHARDPAY_JWT_SECRET is required outside devnet/test (at least 32 bytes, e.g. 64 hex chars)',
      { meta: { variable: 'SHARDPAY_JWT_SECRET' } },
    );
  }
  return new Uint8Array(randomBytes(minimumSecretBytes));
}

function integerVariable(env: NodeJS.ProcessEnv, name: string, min: number, max: number): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ShardpayError('CONFIG_INVALID', `${name} must be an integer in ${min}..${max}`, {
      meta: { variable: name },
    });
  }
  return value;
}

/** A decimal USD amount ("500", "1000.00") as minor units, or undefined when unset. */
function amountVariable(env: NodeJS.ProcessEnv, name: string): bigint | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const match = /^([0-9]{1,9})(?:\.([0-9]{1,6}))?$/.exec(text);
  if (match === null) {
    throw new ShardpayError('CONFIG_INVALID', `${name} is a USD amount like "500.00"`, {
      meta: { variable: name },
    });
  }
  return BigInt(match[1]!) * 1_000_000n + BigInt((match[2] ?? '').padEnd(6, '0'));
}

/** The config from environment variables (documented in docs/gateway.md). */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const mode = env.SHARDPAY_MODE ?? 'production';
  if (mode !== 'devnet' && mode !== 'test' && mode !== 'production') {
    throw new ShardpayError('CONFIG_INVALID', 'SHARDPAY_MODE is devnet, test or production', {
      meta: { variable: 'SHARDPAY_MODE' },
    });
  }
  const overrides: Partial<GatewayConfig> = { mode };
  const secret = env.SHARDPAY_JWT_SECRET;
  if (secret !== undefined && secret !== '') overrides.jwtSecret = new TextEncoder().encode(secret);
  if (env.HOST) overrides.host = env.HOST;
  const port = integerVariable(env, 'PORT', 0, 65535);
  if (port !== undefined) overrides.port = port;
  if (env.DATABASE_URL) overrides.databaseUrl = env.DATABASE_URL;
  if (env.SHARDPAY_GATEWAY_DATA_DIR) overrides.dataDir = env.SHARDPAY_GATEWAY_DATA_DIR;
  if (env.SHARDPAY_ADDRESS_PREFIX) overrides.addressPrefix = env.SHARDPAY_ADDRESS_PREFIX;
  if (env.LOG_LEVEL) overrides.logLevel = env.LOG_LEVEL;
  if (env.SHARDPAY_TRUST_PROXY === 'true') overrides.trustProxy = true;
  if (env.SHARDPAY_CHAIN_NODES) overrides.chainNodes = parseChainNodes(env.SHARDPAY_CHAIN_NODES);
  if (env.SHARDPAY_FAUCET_KEYS_DIR) overrides.faucetKeysDir = env.SHARDPAY_FAUCET_KEYS_DIR;
  if (env.SHARDPAY_WEB_DIR) overrides.webDir = env.SHARDPAY_WEB_DIR;
  if (env.SHARDPAY_BANK_URL) {
    if (!/^https?:\/\/[^\s]+$/.test(env.SHARDPAY_BANK_URL)) {
      throw new ShardpayError('CONFIG_INVALID', 'SHARDPAY_BANK_URL is an http(s) URL', {
        meta: { variable: 'SHARDPAY_BANK_URL' },
      });
    }
    overrides.bankUrl = env.SHARDPAY_BANK_URL;
  }
  if (env.SHARDPAY_BANK_API_KEY) overrides.bankApiKey = env.SHARDPAY_BANK_API_KEY;
  if (env.SHARDPAY_ISSUER_KEY_FILE) overrides.issuerKeyFile = env.SHARDPAY_ISSUER_KEY_FILE;
  const daily = amountVariable(env, 'SHARDPAY_PURCHASE_LIMIT_DAILY');
  const weekly = amountVariable(env, 'SHARDPAY_PURCHASE_LIMIT_WEEKLY');
  if (daily !== undefined || weekly !== undefined) {
    overrides.purchaseLimits = { daily: daily ?? 500_000_000n, weekly: weekly ?? 1_000_000_000n };
  }
  if (env.SHARDPAY_PUBLIC_URL) {
    if (!/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(env.SHARDPAY_PUBLIC_URL)) {
      throw new ShardpayError('CONFIG_INVALID', 'SHARDPAY_PUBLIC_URL is an http(s) URL', {
        meta: { variable: 'SHARDPAY_PUBLIC_URL' },
      });
    }
    overrides.publicUrl = env.SHARDPAY_PUBLIC_URL.replace(/\/+$/, '');
  }
  const retentionDays = integerVariable(env, 'SHARDPAY_EVENT_RETENTION_DAYS', 1, 3650);
  if (retentionDays !== undefined) overrides.eventRetentionDays = retentionDays;
  if (env.SHARDPAY_ORACLE_ADDRESS) {
    try {
      decodeAddress(env.SHARDPAY_ORACLE_ADDRESS, overrides.addressPrefix ?? 'spd');
    } catch {
      throw new ShardpayError(
        'CONFIG_INVALID',
        'SHARDPAY_ORACLE_ADDRESS is a bech32m address of this network',
        {
          meta: { variable: 'SHARDPAY_ORACLE_ADDRESS' },
        },
      );
    }
    overrides.oracleAddress = env.SHARDPAY_ORACLE_ADDRESS;
  }
  if (env.SHARDPAY_ORACLE_URL) {
    if (!/^https?:\/\/[^\s]+$/.test(env.SHARDPAY_ORACLE_URL)) {
      throw new ShardpayError('CONFIG_INVALID', 'SHARDPAY_ORACLE_URL is an http(s) URL', {
        meta: { variable: 'SHARDPAY_ORACLE_URL' },
      });
    }
    overrides.oracleUrl = env.SHARDPAY_ORACLE_URL.replace(/\/+$/, '');
  }
  if (env.SHARDPAY_ORACLE_API_KEY) overrides.oracleApiKey = env.SHARDPAY_ORACLE_API_KEY;
  overrides.webhooks = loadWebhookSettings(env);
  const rateMax = integerVariable(env, 'SHARDPAY_RATE_LIMIT_MAX', 0, 1_000_000);
  if (rateMax !== undefined) overrides.rateLimit = rateMax === 0 ? false : { max: rateMax, windowMs: 60_000 };
  const bodyLimit = integerVariable(env, 'SHARDPAY_BODY_LIMIT_BYTES', 1024, 16 * 1024 * 1024);
  if (bodyLimit !== undefined) overrides.bodyLimitBytes = bodyLimit;
  return resolveGatewayConfig(overrides);
}

/** `{"0": ["http://127.0.0.1:8090", …], "1": […]}`: every shard with at least one http(s) URL. */
function parseChainNodes(text: string): Record<number, string[]> {
  const refuse = () =>
    new ShardpayError('CONFIG_INVALID', 'SHARDPAY_CHAIN_NODES is JSON {"<shard>": ["http://host:port", …]}', {
      meta: { variable: 'SHARDPAY_CHAIN_NODES' },
    });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw refuse();
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw refuse();
  const nodes: Record<number, string[]> = {};
  for (const [shard, urls] of Object.entries(parsed)) {
    if (!/^(0|[1-9][0-9]{0,3})$/.test(shard) || !Array.isArray(urls) || urls.length === 0) throw refuse();
    if (!urls.every((url) => typeof url === 'string' && /^https?:\/\/[^\s]+$/.test(url))) throw refuse();
    nodes[Number(shard)] = urls as string[];
  }
  if (Object.keys(nodes).length === 0) throw refuse();
  return nodes;
}
