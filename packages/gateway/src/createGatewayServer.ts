import type { Database } from '@shardpay/database';
import { networkConfigFromJson } from '@shardpay/protocol';
import type { FastifyInstance } from 'fastify';
import { buildGatewayApp, type GatewayDeps } from './buildGatewayApp.ts';
import { createChainClient } from './chain/createChainClient.ts';
import type { GatewayConfig } from './config.ts';
import { openGatewayDatabase } from './db/openGatewayDatabase.ts';
import { createIndexer, type Indexer } from './indexer/createIndexer.ts';
import { oracleClientOf } from './merchants/oracleClient.ts';
import { startMerchantJobs } from './merchants/startMerchantJobs.ts';
import { purgeExpiredIdempotencyKeys } from './plugins/idempotencyPlugin.ts';
import { type CrashHook, crashHookFromEnv } from './ramp/crashPoints.ts';
import { createRampRuntime, type RampRuntime } from './ramp/createRampRuntime.ts';
import { createWebhookSender, type WebhookSender } from './webhooks/createWebhookSender.ts';

/** A listening gateway. */
export interface GatewayServer {
  app: FastifyInstance;
  database: Database;
  /** `http://host:port` it listens on. */
  url: string;
  /** Stops taking requests, lets running ones finish, then closes the database. Idempotent. */
  close(): Promise<void>;
}

const purgeIntervalMs = 60 * 60 * 1000;

/**
 * Opens and migrates the database, builds the app and listens on `config.host:config.port`
 * (port 0 picks a free one). With `config.chainNodes` it builds the chain client, reads the genesis
 * from a node (failing to start if none answers), serves payments and runs the indexer. Pass `deps.database` to bring your own (already migrated), and
 * `deps.extendApp` to add routes or hooks before it listens.
 */
export async function createGatewayServer(
  config: GatewayConfig,
  deps: Partial<GatewayDeps> & {
    extendApp?: (app: FastifyInstance) => void;
    /** The webhook sender's jitter source and crash hook (tests); Math.random and SHARDPAY_CRASH_AT by default. */
    webhookSender?: { random?: () => number; crash?: CrashHook };
  } = {},
): Promise<GatewayServer> {
  const database = deps.database ?? (await openGatewayDatabase(config));
  const ownsDatabase = deps.database === undefined;
  const now = deps.now ?? (() => new Date());
  let chain = deps.chain;
  const ownsChain = chain === undefined && config.chainNodes !== undefined;
  if (chain === undefined && config.chainNodes !== undefined) {
    const client = createChainClient({ shards: config.chainNodes });
    try {
      // The genesis tells which shard each address lives on; any shard's node serves it.
      const firstShard = Number(Object.keys(config.chainNodes)[0]);
      const network = networkConfigFromJson(await client.call(firstShard, 'shardpay_getNetworkConfig'));
      chain = { client, network };
    } catch (error) {
      if (ownsDatabase) await database.close();
      throw error;
    }
    client.start();
  }
  // Money in and out needs the chain, the bank and the issuer key (docs/gateway.md "Money in and out").
  let ramp: RampRuntime | undefined;
  if (chain !== undefined && config.bankUrl && config.bankApiKey && config.issuerKeyFile) {
    try {
      ramp = await createRampRuntime(config, { database, chain: chain.client, network: chain.network, now });
    } catch (error) {
      if (ownsChain) chain.client.stop();
      if (ownsDatabase) await database.close();
      throw error;
    }
  }
  const rampDeps =
    ramp === undefined ? {} : { ramp: { services: ramp.services, wake: () => ramp.worker.wake() } };
  // Webhooks are sent by every replica (docs/gateway.md "Webhooks"); built once the app's logger exists.
  let webhookSender: WebhookSender | undefined;
  const app = buildGatewayApp(config, {
    webhooks: { wake: () => webhookSender?.wake() },
    ...deps,
    database,
    now,
    ...(chain === undefined ? {} : { chain }),
    ...rampDeps,
  });
  let indexer: Indexer | undefined;
  if (chain !== undefined) {
    indexer = createIndexer(
      {},
      {
        database,
        chain: chain.client,
        network: chain.network,
        now,
        onError: (error, shard) => app.log.warn({ err: error, shard }, 'indexing round failed; retrying'),
      },
    );
    indexer.start();
  }
  if (ramp !== undefined) {
    const runtime = ramp;
    // Once the plugins are loaded: the metrics registry the reconciler's gauge joins exists from then.
    app.addHook('onReady', async () => runtime.start(app.log, app.metricsRegistry));
  }
  const sender = createWebhookSender({
    database,
    now,
    settings: config.webhooks,
    random: deps.webhookSender?.random ?? Math.random,
    crash: deps.webhookSender?.crash ?? crashHookFromEnv(),
    log: app.log.child({ component: 'webhooks' }),
  });
  webhookSender = sender;
  app.addHook('onReady', async () => sender.start());
  deps.extendApp?.(app);
  const purge = () =>
    purgeExpiredIdempotencyKeys(database, now(), config.idempotencyRetentionSeconds).catch((error: unknown) =>
      app.log.warn({ err: error }, 'purging expired idempotency keys failed'),
    );
  const purgeTimer = setInterval(purge, purgeIntervalMs);
  purgeTimer.unref();
  // Invoice expiry (every second), the escrow watcher (every 2 s, with a chain) and event retention
  // (hourly): docs/gateway.md "Merchants and invoices".
  const stopMerchantJobs = startMerchantJobs({
    database,
    now,
    chain,
    oracle: oracleClientOf(config),
    retentionDays: config.eventRetentionDays,
    onError: (error, job) => app.log.warn({ err: error, job }, 'merchant job failed; retrying'),
  });
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      clearInterval(purgeTimer);
      await stopMerchantJobs();
      if (ownsChain) chain?.client.stop();
      await app.close();
      await indexer?.stop();
      await ramp?.stop();
      await sender.stop();
      if (ownsDatabase) await database.close();
    })();
    return closing;
  };
  try {
    const url = await app.listen({ host: config.host, port: config.port });
    return { app, database, url, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Closes `server` gracefully on SIGTERM/SIGINT, then lets the process exit. Returns an uninstaller. */
export function closeGatewayServerOnSignals(server: GatewayServer): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    server.app.log.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  return () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
}
