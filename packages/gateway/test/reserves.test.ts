import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '@shardpay/database';
import { BUCKET_COUNT, type NetworkConfig } from '@shardpay/protocol';
import type { FastifyBaseLogger } from 'fastify';
import { Registry } from 'prom-client';
import type { BankClient } from '../src/bank/BankClient.ts';
import type { ChainClient } from '../src/chain/createChainClient.ts';
import { createReserveReconciler } from '../src/ramp/createReserveReconciler.ts';
import { defaultRampSettings, type RampServices } from '../src/ramp/RampServices.ts';
import { readReserves, reservesToJson } from '../src/ramp/readReserves.ts';
import { createMigratedPglite } from './helpers/testGateway.ts';

const network: NetworkConfig = {
  chainId: 'shardpay-test',
  addressPrefix: 'spd',
  shardCount: 2,
  bucketToShard: Array.from({ length: BUCKET_COUNT }, (_, bucket) => (bucket < BUCKET_COUNT / 2 ? 0 : 1)),
  committees: [],
  issuers: [],
  flatFee: 0n,
  feeCollectors: [],
  initialBalances: [{ address: new Uint8Array(20), amount: 1_000_000_000n }],
  genesisTimeMs: 0n,
};

describe('reserves: supply against the bank reserve, and the reconciliation alert', () => {
  let database: Database;
  const supply: Record<number, { minted: string; burned: string }> = {
    0: { minted: '1100.000000', burned: '0.000000' },
    1: { minted: '50.000000', burned: '40.000000' },
  };
  // The bank's reserve holds the opening deposit that backs the genesis allocation (1000) plus 110.
  let available = 1_110_000_000n;
  const errors: Array<Record<string, unknown>> = [];
  let services: RampServices;
  before(async () => {
    database = await createMigratedPglite();
    const chain = {
      async call(shard: number, method: string) {
        assert.equal(method, 'shardpay_getSupply');
        return { shard, height: '9', ...supply[shard]!, outstanding: '0' };
      },
    } as unknown as ChainClient;
    const bank = {
      getReserve: async () => ({ available, pendingPayouts: 0n, asOf: 1 }),
    } as unknown as BankClient;
    const log = {
      error: (fields: Record<string, unknown>) => void errors.push(fields),
      warn: () => undefined,
      info: () => undefined,
    } as unknown as FastifyBaseLogger;
    services = {
      database,
      chain,
      network,
      bank,
      issuer: undefined as never,
      now: () => new Date(),
      log,
      crash: () => undefined,
      settings: defaultRampSettings,
      random: () => 0.5,
    };
  });
  after(async () => {
    await database.close();
  });

  it('supply is Σ(minted − burned), genesis included; matches when the reserve equals it', async () => {
    const reading = await readReserves(services);
    assert.equal(reading.supply, 1_110_000_000n);
    const json = reservesToJson(reading);
    assert.equal(json.supply, '1110.000000');
    assert.equal(json.genesis_supply, '1000.000000');
    assert.equal(json.matches, true);
    assert.equal(json.difference, '0.000000');
    assert.deepEqual(json.shards[1], {
      id: 1,
      height: '9',
      minted: '50.000000',
      burned: '40.000000',
      outstanding: '10.000000',
    });
  });

  it('a burn whose payout is not yet at the bank is in flight, not a mismatch', async () => {
    await database.exec(`
      INSERT INTO users (id, email, password_hash, created_at) VALUES ('usr_r', 'r@example.com', 'x', now());
      INSERT INTO wallets (id, user_id, address, public_key, created_at) VALUES ('wal_r', 'usr_r', 'spd1r', '02', now());
      INSERT INTO cashouts (id, user_id, wallet_id, address, amount, routing_number, account_number, status,
                            next_attempt_at, created_at, updated_at)
      VALUES ('co_r', 'usr_r', 'wal_r', 'spd1r', 5000000, '110000000', '000123456789', 'burned', now(), now(), now());`);
    supply[1] = { minted: '50.000000', burned: '45.000000' };
    const burned = await readReserves(services);
    assert.equal(burned.supply, 1_105_000_000n);
    assert.equal(burned.awaitingPayout, 5_000_000n);
    assert.equal(burned.difference, 0n);
    // The payout is made: the bank's available reserve drops, nothing is in flight any more.
    await database.query("UPDATE cashouts SET status = 'paying_out' WHERE id = 'co_r'");
    available = 1_105_000_000n;
    const paying = await readReserves(services);
    assert.equal(paying.awaitingPayout, 0n);
    assert.equal(paying.difference, 0n);
    available = 1_110_000_000n;
    supply[1] = { minted: '50.000000', burned: '40.000000' };
    await database.query("UPDATE cashouts SET status = 'paid' WHERE id = 'co_r'");
  });

  it('the reconciler sets the gauge, and alerts only when a difference is seen twice in a row', async () => {
    const registry = new Registry();
    const reconciler = createReserveReconciler(services, registry);
    available = 1_100_000_000n; // 10 short
    await reconciler.check();
    assert.match(await registry.metrics(), /shardpay_gateway_reserve_difference -10/);
    assert.equal(errors.length, 0, 'one reading may catch a movement half done');
    await reconciler.check();
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.alert, 'reserve_mismatch');
    available = 1_110_000_000n;
    await reconciler.check();
    assert.match(await registry.metrics(), /shardpay_gateway_reserve_difference 0/);
    assert.equal(errors.length, 1);
  });
});
