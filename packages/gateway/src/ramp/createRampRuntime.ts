import type { Database } from '@shardpay/database';
import type { NetworkConfig } from '@shardpay/protocol';
import type { FastifyBaseLogger } from 'fastify';
import type { Registry } from 'prom-client';
import type { BankClient } from '../bank/BankClient.ts';
import { createBankClient } from '../bank/createBankClient.ts';
import type { ChainClient } from '../chain/createChainClient.ts';
import type { GatewayConfig } from '../config.ts';
import { type CrashHook, crashHookFromEnv } from './crashPoints.ts';
import { createRampWorker, type RampWorker } from './createRampWorker.ts';
import { createReserveReconciler, type ReserveReconciler } from './createReserveReconciler.ts';
import { loadIssuerKey } from './loadIssuerKey.ts';
import { defaultRampSettings, type RampServices, type RampSettings } from './RampServices.ts';

const ignore = () => undefined;
// Until start() hands over the app's logger.
const silentLogger = {
  level: 'silent',
  info: ignore,
  warn: ignore,
  error: ignore,
  debug: ignore,
  trace: ignore,
  fatal: ignore,
  silent: ignore,
  child: () => silentLogger,
} as unknown as FastifyBaseLogger;

/** The ramp's services with its two background jobs. */
export interface RampRuntime {
  services: RampServices;
  worker: RampWorker;
  /** Starts the worker and the reconciliation job, logging to `log` and exposing the gauge in `registry`. */
  start(log: FastifyBaseLogger, registry: Registry | undefined): void;
  reconciler(): ReserveReconciler | undefined;
  stop(): Promise<void>;
}

export interface RampRuntimeDeps {
  database: Database;
  chain: ChainClient;
  network: NetworkConfig;
  now: () => Date;
  /** A bank client (tests); otherwise built from `config.bankUrl` and `config.bankApiKey`. */
  bank?: BankClient;
  settings?: Partial<RampSettings>;
  crash?: CrashHook;
  random?: () => number;
}

/**
 * Builds the ramp when the gateway has a chain, a bank and an issuer key (loaded from
 * `config.issuerKeyFile`, refused unless it is an issuer of the network). The crash hook defaults to
 * `SHARDPAY_CRASH_AT` (test only).
 */
export async function createRampRuntime(config: GatewayConfig, deps: RampRuntimeDeps): Promise<RampRuntime> {
  const issuer = await loadIssuerKey(config.issuerKeyFile ?? '', deps.network);
  const bank = deps.bank ?? createBankClient({ url: config.bankUrl ?? '', apiKey: config.bankApiKey ?? '' });
  const services: RampServices = {
    database: deps.database,
    chain: deps.chain,
    network: deps.network,
    bank,
    issuer,
    now: deps.now,
    log: silentLogger,
    crash: deps.crash ?? crashHookFromEnv(),
    settings: { ...defaultRampSettings, ...deps.settings },
    random: deps.random ?? Math.random,
  };
  const worker = createRampWorker(services);
  let reconciler: ReserveReconciler | undefined;
  return {
    services,
    worker,
    start(log, registry) {
      services.log = log.child({ component: 'ramp' });
      reconciler = createReserveReconciler(services, registry);
      worker.start();
      reconciler.start();
    },
    reconciler: () => reconciler,
    async stop() {
      await worker.stop();
      await reconciler?.stop();
    },
  };
}
