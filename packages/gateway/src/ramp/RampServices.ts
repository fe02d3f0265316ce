import type { Database } from '@shardpay/database';
import type { NetworkConfig } from '@shardpay/protocol';
import type { WalletAccount } from '@shardpay/sdk';
import type { FastifyBaseLogger } from 'fastify';
import type { BankClient } from '../bank/BankClient.ts';
import type { ChainClient } from '../chain/createChainClient.ts';
import type { CrashHook } from './crashPoints.ts';

/** Timings of the ramp worker. */
export interface RampSettings {
  /** How often the worker looks for due work (ms). */
  pollIntervalMs: number;
  /** How long a replica owns a row it is advancing; a crashed replica's rows are taken over after it. */
  leaseMs: number;
  /** A mint or refund may be included up to this many blocks after it was signed. */
  mintExpiryBlocks: number;
  /** Retries after a 5xx/unreachable bank: base · 2^attempt with full jitter, at most `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** A purchase whose authorization never got an answer (a crash mid-request) is failed after this. */
  authorizationTimeoutMs: number;
  /** How often the reserves are reconciled (ms); 0 turns the job off. */
  reconcileIntervalMs: number;
}

export const defaultRampSettings: RampSettings = {
  pollIntervalMs: 1000,
  leaseMs: 30_000,
  mintExpiryBlocks: 120,
  retryBaseMs: 1000,
  retryMaxMs: 5 * 60_000,
  authorizationTimeoutMs: 15 * 60_000,
  reconcileIntervalMs: 60_000,
};

/** Everything the on-ramp and off-ramp use: what the routes and the worker are given. */
export interface RampServices {
  database: Database;
  chain: ChainClient;
  network: NetworkConfig;
  bank: BankClient;
  /** The issuer account (its key is the only one allowed to mint). */
  issuer: WalletAccount;
  now: () => Date;
  log: FastifyBaseLogger;
  crash: CrashHook;
  settings: RampSettings;
  /** A random number in [0, 1) for retry jitter (seeded in tests). */
  random: () => number;
}

/** Exponential backoff with full jitter: a random delay in [0, min(max, base · 2^attempt)]. */
export function retryDelayMs(settings: RampSettings, attempt: number, random: () => number): number {
  const ceiling = Math.min(settings.retryMaxMs, settings.retryBaseMs * 2 ** Math.min(attempt, 30));
  return Math.max(settings.pollIntervalMs / 2, Math.floor(random() * ceiling));
}
