import { createPgliteDatabase, type Database, runMigrations } from '@shardpay/database';
import { createNodeClient } from '@shardpay/sdk';
import type { FastifyInstance } from 'fastify';
import { buildOracleApp, type OracleDeps } from './buildOracleApp.ts';
import type { OracleConfig } from './config.ts';
import { oracleMigrationsDirectory } from './db/migrationsDirectory.ts';
import { createOracleIdentity } from './OracleIdentity.ts';
import { createDeliveryWorker, type DeliveryWorker } from './worker/createDeliveryWorker.ts';

/** A listening delivery oracle sandbox with its worker running. */
export interface OracleServer {
  app: FastifyInstance;
  database: Database;
  worker: DeliveryWorker;
  /** `http://host:port` it listens on. */
  url: string;
  /** Stops taking requests, stops the worker (after its round), closes the database. Idempotent. */
  close(): Promise<void>;
}

/**
 * Opens and migrates the database (a PGlite folder, or memory), starts the delivery worker (which
 * first resumes whatever a previous run left half done) and listens on `config.host:config.port`.
 * `deps` replaces the chain (a node client over `config.chainNodes`), the clock or the database.
 */
export async function createOracleServer(
  config: OracleConfig,
  deps: Partial<Omit<OracleDeps, 'onShipmentChanged' | 'identity'>> = {},
): Promise<OracleServer> {
  const database = deps.database ?? (await createPgliteDatabase({ dataDir: config.dataDir }));
  const ownsDatabase = deps.database === undefined;
  try {
    await runMigrations(database, oracleMigrationsDirectory);
  } catch (error) {
    if (ownsDatabase) await database.close();
    throw error;
  }
  const chain = deps.chain ?? createNodeClient({ urls: config.chainNodes });
  const identity = createOracleIdentity(config.oracleKey);
  const now = deps.now ?? (() => new Date());
  let app: FastifyInstance | undefined;
  const worker = createDeliveryWorker({
    database,
    chain,
    identity,
    now,
    expiryBlocks: config.expiryBlocks,
    pollIntervalMs: config.pollIntervalMs,
    onError: (error, shipmentId) =>
      app?.log.error({ err: error, shipmentId }, 'delivery worker round failed'),
  });
  app = buildOracleApp(config, {
    ...deps,
    database,
    chain,
    identity,
    now,
    onShipmentChanged: () => worker.wake(),
  });
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await app.close();
      await worker.stop();
      if (ownsDatabase) await database.close();
    })();
    return closing;
  };
  try {
    const url = await app.listen({ host: config.host, port: config.port });
    worker.start();
    return { app, database, worker, url, close };
  } catch (error) {
    await close();
    throw error;
  }
}
