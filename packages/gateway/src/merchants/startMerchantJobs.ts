import type { Database } from '@shardpay/database';
import type { NetworkConfig } from '@shardpay/protocol';
import type { ChainClient } from '../chain/createChainClient.ts';
import { expireInvoices } from './expireInvoices.ts';
import type { OracleClient } from './oracleClient.ts';
import { purgeOldEvents } from './purgeOldEvents.ts';
import { createEscrowWatcher } from './watchEscrows.ts';

/** Timing of the merchant jobs (tests shorten them). */
export interface MerchantJobSettings {
  invoiceIntervalMs?: number;
  retentionIntervalMs?: number;
  /** The escrow watcher's period (default 2 s). */
  escrowIntervalMs?: number;
}

/**
 * Runs on every replica: the invoice expiry job every second (idempotent moves, so replicas may
 * overlap), the escrow watcher every 2 s when there is a chain, and the event retention purge hourly. Returns a stop function that waits for a running
 * round to end.
 */
export function startMerchantJobs(
  deps: {
    database: Database;
    now: () => Date;
    retentionDays: number;
    onError: (error: unknown, job: string) => void;
    /** The chain escrow invoices are followed on; without it the escrow watcher does not run. */
    chain?: { client: ChainClient; network: NetworkConfig } | undefined;
    /** The delivery oracle the escrow watcher refreshes shipments from (SHARDPAY_ORACLE_URL), if any. */
    oracle?: OracleClient | undefined;
  },
  settings: MerchantJobSettings = {},
): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const run = (job: string, work: () => Promise<unknown>) => {
    if (stopped) return;
    running = running.then(work).catch((error: unknown) => deps.onError(error, job));
  };
  const invoices = setInterval(
    () => run('invoices', () => expireInvoices(deps.database, deps.now())),
    settings.invoiceIntervalMs ?? 1000,
  );
  const retention = setInterval(
    () => run('event retention', () => purgeOldEvents(deps.database, deps.now(), deps.retentionDays)),
    settings.retentionIntervalMs ?? 60 * 60 * 1000,
  );
  const chain = deps.chain;
  const watcher =
    chain === undefined
      ? undefined
      : createEscrowWatcher({
          database: deps.database,
          chain: chain.client,
          network: chain.network,
          now: deps.now,
          oracle: deps.oracle,
        });
  const escrows =
    watcher === undefined
      ? undefined
      : setInterval(() => run('escrows', () => watcher.runOnce()), settings.escrowIntervalMs ?? 2000);
  invoices.unref();
  retention.unref();
  escrows?.unref();
  return async () => {
    stopped = true;
    clearInterval(invoices);
    clearInterval(retention);
    clearInterval(escrows);
    await running;
  };
}
