import { ShardpayError } from '@shardpay/crypto';
import { parseFiatAmount } from './fiatAmount.ts';

/** Everything the bank reads from its environment, resolved and checked. */
export interface BankConfig {
  host: string;
  port: number;
  /** PGlite data folder; in memory when absent. */
  dataDir: string | undefined;
  /** The one API key callers (the gateway) present as `Authorization: Bearer <key>`. */
  apiKey: string;
  /** How long a payout stays `pending` before the receiving bank's answer. */
  payoutDelayMs: number;
  logLevel: string;
  bodyLimitBytes: number;
  /** Cents placed in the reserve account once, when the database is new (0: none). */
  openingDepositCents: bigint;
}

const minimumApiKeyLength = 32;

/** Any part of the config; `apiKey` must be given (it may be undefined only to be refused). */
export type BankConfigOverrides = Partial<Omit<BankConfig, 'apiKey'>> & { apiKey: string | undefined };

/** A complete config from defaults and `overrides`; `apiKey` is required (tests pass their own). */
export function resolveBankConfig(overrides: BankConfigOverrides): BankConfig {
  const { apiKey } = overrides;
  if (apiKey === undefined || apiKey.length < minimumApiKeyLength) {
    throw new ShardpayError(
      'CONFIG_INVALID',
      `SHARDPAY_BANK_API_KEY is required: at least ${minimumApiKeyLength} characters (e.g. 64 hex chars)`,
      { meta: { variable: 'SHARDPAY_BANK_API_KEY' } },
    );
  }
  return {
    host: '127.0.0.1',
    port: 8070,
    dataDir: undefined,
    payoutDelayMs: 1000,
    logLevel: 'info',
    bodyLimitBytes: 64 * 1024,
    openingDepositCents: 0n,
    ...overrides,
    apiKey,
  };
}

function integerVariable(env: NodeJS.ProcessEnv, name: string, min: number, max: number): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ShardpayError('CONFIG_INVALID', `${name} must be an integer in ${min}..${max}`, {
      meta: { variable: name },
    });
  }
  return value;
}

/** The config from environment variables (documented in docs/bank.md). */
export function loadBankConfig(env: NodeJS.ProcessEnv = process.env): BankConfig {
  const overrides: BankConfigOverrides = {
    apiKey: env.SHARDPAY_BANK_API_KEY,
  };
  if (env.HOST) overrides.host = env.HOST;
  const port = integerVariable(env, 'PORT', 0, 65535);
  if (port !== undefined) overrides.port = port;
  if (env.SHARDPAY_BANK_DATA_DIR) overrides.dataDir = env.SHARDPAY_BANK_DATA_DIR;
  const delay = integerVariable(env, 'SHARDPAY_BANK_PAYOUT_DELAY_MS', 0, 24 * 3600 * 1000);
  if (delay !== undefined) overrides.payoutDelayMs = delay;
  if (env.LOG_LEVEL) overrides.logLevel = env.LOG_LEVEL;
  const deposit = env.SHARDPAY_BANK_OPENING_DEPOSIT;
  if (deposit !== undefined && deposit !== '') {
    try {
      // Larger than any one payment may be: a devnet backs every shard's genesis allocation with it.
      overrides.openingDepositCents = parseFiatAmount(deposit, 'SHARDPAY_BANK_OPENING_DEPOSIT', 10n ** 17n);
    } catch {
      throw new ShardpayError(
        'CONFIG_INVALID',
        'SHARDPAY_BANK_OPENING_DEPOSIT is an amount in dollars with at most 2 decimals, above zero (e.g. 2000000.00)',
        { meta: { variable: 'SHARDPAY_BANK_OPENING_DEPOSIT' } },
      );
    }
  }
  return resolveBankConfig(overrides);
}
