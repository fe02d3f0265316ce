import { createPgliteDatabase, type Database, runMigrations } from '@shardpay/database';
import type { FastifyInstance } from 'fastify';
import { type BankDeps, buildBankApp } from './buildBankApp.ts';
import type { BankConfig } from './config.ts';
import { bankMigrationsDirectory } from './db/migrationsDirectory.ts';
import { createPayoutScheduler } from './payouts/createPayoutScheduler.ts';
import { purgeExpiredIdempotencyKeys } from './plugins/idempotencyPlugin.ts';
import { makeOpeningDeposit } from './reserve/makeOpeningDeposit.ts';

/** A listening bank sandbox. */
export interface BankServer {
  app: FastifyInstance;
  database: Database;
  /** `http://host:port` it listens on. */
  url: string;
  /** Stops taking requests, lets running ones finish, stops the payout clock, closes the database. Idempotent. */
  close(): Promise<void>;
}

const purgeIntervalMs = 60 * 60 * 1000;

/**
 * Opens and migrates the database (a PGlite folder, or memory), settles the payouts that came due
 * while it was down, starts the payout clock and listens on `config.host:config.port` (0 = a free
 * port). Pass `deps.database` to bring your own (it is migrated here too).
 */
export async function createBankServer(
  config: BankConfig,
  deps: Partial<Omit<BankDeps, 'onPayoutCreated'>> = {},
): Promise<BankServer> {
  const database = deps.database ?? (await createPgliteDatabase({ dataDir: config.dataDir }));
  const ownsDatabase = deps.database === undefined;
  const now = deps.now ?? (() => new Date());
  try {
    await runMigrations(database, bankMigrationsDirectory);
    await makeOpeningDeposit(database, config.openingDepositCents, now());
  } catch (error) {
    if (ownsDatabase) await database.close();
    throw error;
  }
  let app: FastifyInstance | undefined;
  const scheduler = createPayoutScheduler({
    database,
    now,
    onError: (error) => app?.log.warn({ err: error }, 'settling payouts failed; retrying'),
  });
  app = buildBankApp(config, { ...deps, database, now, onPayoutCreated: () => scheduler.wake() });
  const purge = () =>
    purgeExpiredIdempotencyKeys(database, now()).catch((error: unknown) =>
      app?.log.warn({ err: error }, 'purging expired idempotency keys failed'),
    );
  const purgeTimer = setInterval(purge, purgeIntervalMs);
  purgeTimer.unref();
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      clearInterval(purgeTimer);
      await app.close();
      await scheduler.stop();
      if (ownsDatabase) await database.close();
    })();
    return closing;
  };
  try {
    await scheduler.start();
    const url = await app.listen({ host: config.host, port: config.port });
    return { app, database, url, close };
  } catch (error) {
    await close();
    throw error;
  }
}
