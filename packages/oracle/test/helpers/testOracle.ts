import { createPgliteDatabase, type Database, runMigrations } from '@shardpay/database';
import type { NetworkConfig } from '@shardpay/protocol';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildOracleApp } from '../../src/buildOracleApp.ts';
import { resolveOracleConfig } from '../../src/config.ts';
import { oracleMigrationsDirectory } from '../../src/db/migrationsDirectory.ts';
import { createOracleIdentity, type OracleIdentity } from '../../src/OracleIdentity.ts';
import { createDeliveryWorker, type DeliveryWorker } from '../../src/worker/createDeliveryWorker.ts';
import { createFakeChain, type FakeChain } from './fakeChain.ts';
import { createTestNetworkConfig, testPrivateKey } from './testNetwork.ts';

export const TEST_API_KEY = 'oracle-test-api-key-0123456789abcdef0123';
export const ORACLE_KEY = testPrivateKey('oracle');

export interface TestOracle {
  app: FastifyInstance;
  database: Database;
  chain: FakeChain;
  network: NetworkConfig;
  identity: OracleIdentity;
  /** The worker, never started: tests run its rounds with `worker.runOnce()`. */
  worker: DeliveryWorker;
  now: () => Date;
  advance(ms: number): void;
  post(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  /** A fresh app and worker over the same database and chain: what a restart sees. */
  restart(): Promise<TestOracle>;
  close(): Promise<void>;
}

interface Shared {
  database: Database;
  chain: FakeChain;
  network: NetworkConfig;
  clock: { ms: number };
}

function assemble(shared: Shared): TestOracle {
  const config = resolveOracleConfig({
    apiKey: TEST_API_KEY,
    oracleKey: ORACLE_KEY,
    chainNodes: [['http://x']],
    logLevel: 'silent',
  });
  const identity = createOracleIdentity(ORACLE_KEY);
  const now = () => new Date(shared.clock.ms);
  const worker = createDeliveryWorker({
    database: shared.database,
    chain: shared.chain,
    identity,
    now,
    expiryBlocks: 20,
    pollIntervalMs: 1000,
    onError: (error) => {
      throw error;
    },
  });
  const app = buildOracleApp(config, { database: shared.database, chain: shared.chain, identity, now });
  const headers = { authorization: `Bearer ${TEST_API_KEY}` };
  const oracle: TestOracle = {
    app,
    database: shared.database,
    chain: shared.chain,
    network: shared.network,
    identity,
    worker,
    now,
    advance(ms) {
      shared.clock.ms += ms;
    },
    post: (url, payload) =>
      app.inject({
        method: 'POST',
        url,
        headers,
        ...(payload === undefined ? {} : { payload: payload as object }),
      }),
    get: (url) => app.inject({ method: 'GET', url, headers }),
    async restart() {
      await app.close();
      await worker.stop();
      return assemble(shared);
    },
    async close() {
      await app.close();
      await worker.stop();
      await shared.database.close();
    },
  };
  return oracle;
}

/** The oracle app over an in-memory PGlite and a fake chain, on a fixed clock (2026-06-15). */
export async function createTestOracle(): Promise<TestOracle> {
  const database = await createPgliteDatabase();
  await runMigrations(database, oracleMigrationsDirectory);
  const network = createTestNetworkConfig();
  return assemble({
    database,
    chain: createFakeChain(network),
    network,
    clock: { ms: Date.parse('2026-06-15T12:00:00Z') },
  });
}
