import type { Database } from '@shardpay/database';
import type { FastifyInstance } from 'fastify';
import { buildGatewayApp } from '../../src/buildGatewayApp.ts';
import { type GatewayConfig, resolveGatewayConfig } from '../../src/config.ts';
import { createIndexer } from '../../src/indexer/createIndexer.ts';
import { createFakeBlockChain, createFakeNetwork, keyOnShard, type TestKey } from './fakeBlockChain.ts';
import {
  createLogCapture,
  createMigratedPglite,
  createTestClock,
  registerWallet,
  signUpAndLogIn,
} from './testGateway.ts';

/** Shards 2 (payers) and 3 (merchants): no other suite indexes them. */
export const merchantNetwork = createFakeNetwork([2, 3]);

export const allScopes = [
  'invoices:read',
  'invoices:write',
  'refunds:write',
  'events:read',
  'webhooks:read',
  'webhooks:write',
];

let labels = 0;

/** A fresh key on `shard` of the merchant network. */
export function merchantTestKey(shard: number): TestKey {
  labels += 1;
  return keyOnShard(shard, `merchants/${process.pid}/${labels}`, merchantNetwork);
}

/**
 * A gateway on an in-memory PGlite with a fake chain (shards 2 and 3) and its indexer, an owner with
 * a wallet on shard 3, a merchant paid to it and an API key with every scope.
 */
export async function createMerchantHarness(config: Partial<GatewayConfig> = {}) {
  const database: Database = await createMigratedPglite();
  const chain = createFakeBlockChain(merchantNetwork);
  const clock = createTestClock();
  const logs = createLogCapture();
  const app: FastifyInstance = buildGatewayApp(
    resolveGatewayConfig({
      passwordScryptN: 2 ** 10,
      rateLimit: false,
      publicUrl: 'https://pay.example',
      ...config,
    }),
    { database, now: clock.now, logStream: logs, chain: { client: chain.client, network: merchantNetwork } },
  );
  const indexer = createIndexer(
    {},
    { database, chain: chain.client, network: merchantNetwork, now: clock.now },
  );
  const owner = await signUpAndLogIn(app);
  const merchantKey = merchantTestKey(3);
  const wallet = await registerWallet(app, owner.auth, merchantKey);
  const created = await app.inject({
    method: 'POST',
    url: '/v1/merchants',
    headers: owner.auth,
    payload: { name: 'Corner Shop', wallet },
  });
  if (created.statusCode !== 201) throw new Error(`merchant creation failed: ${created.body}`);
  const merchant = created.json() as { id: string; address: string };
  const key = await app.inject({
    method: 'POST',
    url: `/v1/merchants/${merchant.id}/api_keys`,
    headers: owner.auth,
    payload: { name: 'all', scopes: allScopes },
  });
  if (key.statusCode !== 201) throw new Error(`key creation failed: ${key.body}`);
  const apiKey = { authorization: `Bearer ${(key.json() as { secret: string }).secret}` };
  return {
    database,
    chain,
    clock,
    logs,
    app,
    indexer,
    owner,
    merchantKey,
    wallet,
    merchant,
    apiKey,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

export type MerchantHarness = Awaited<ReturnType<typeof createMerchantHarness>>;
