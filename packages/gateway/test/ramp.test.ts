import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bytesToHex } from '@shardpay/crypto';
import { encodeTransaction, parseAmount } from '@shardpay/protocol';
import { buildBurn, createAccountFromPrivateKey } from '@shardpay/sdk';
import { createGatewayServer } from '../src/createGatewayServer.ts';
import {
  balanceOf,
  bankObjectsFor,
  buy,
  cashOut,
  createRampUser,
  goodCard,
  type RampGateway,
  type RampHarness,
  readReservesApi,
  startRampHarness,
  waitForStatus,
} from './helpers/rampHarness.ts';
import { errorOf } from './helpers/testGateway.ts';

const seed = Number(process.env.GATEWAY_TEST_SEED ?? 6);

describe(`money in and out, end to end (real chain + bank sandbox; seed ${seed})`, () => {
  let harness: RampHarness;
  let gateway: RampGateway;
  before(async () => {
    harness = await startRampHarness(seed);
    gateway = await harness.startGateway();
  });
  after(async () => {
    await harness?.stop();
  });

  it('buying 100.00 with 4242… mints 100 to the wallet and adds 100 to the reserve, once', async () => {
    const { app } = gateway;
    const user = await createRampUser(app, 'buy');
    const before = await readReservesApi(app);
    const response = await buy(app, user, '100.00');
    assert.equal(response.statusCode, 201, response.body);
    const created = response.json() as {
      id: string;
      status: string;
      card: { last4: string };
      charge: string;
    };
    assert.equal(created.status, 'authorized');
    assert.equal(created.card.last4, '4242');
    assert.match(created.charge, /^pi_/);
    const done = await waitForStatus(app, user.auth, `/v1/purchases/${created.id}`, ['succeeded', 'failed']);
    assert.equal(done.status, 'succeeded');
    assert.match(String(done.tx), /^[0-9a-f]{64}$/);
    assert.equal(await balanceOf(harness, user.address), 100_000_000n);
    const afterwards = await readReservesApi(app);
    assert.equal(afterwards.reserveMinor - before.reserveMinor, 100_000_000n);
    assert.equal(afterwards.supplyMinor - before.supplyMinor, 100_000_000n);
    assert.equal(
      afterwards.matches,
      true,
      `${afterwards.supply} vs ${afterwards.reserve}: ${afterwards.difference}`,
    );
    // The card number and CVC are nowhere in the logs, nor in the stored purchase.
    assert.ok(!gateway.logs.text().includes('4242424242424242'));
    const stored = await harness.database.query('SELECT * FROM purchases WHERE id = $1', [created.id]);
    assert.ok(
      !JSON.stringify(stored.rows, (_k, v) => (typeof v === 'bigint' ? String(v) : v)).includes(
        '4242424242424242',
      ),
    );
    const list = await app.inject({ method: 'GET', url: '/v1/purchases', headers: user.auth });
    assert.deepEqual(
      (list.json() as { data: Array<{ id: string }> }).data.map((item) => item.id),
      [created.id],
    );
  });

  const declines: Array<[string, string]> = [
    ['4000000000000002', 'generic_decline'],
    ['4000000000009995', 'insufficient_funds'],
    ['4000000000009987', 'lost_card'],
    ['4000000000009979', 'stolen_card'],
    ['4000000000000069', 'expired_card'],
    ['4000000000000127', 'incorrect_cvc'],
    ['4000000000000119', 'processing_error'],
    ['4242424242424241', 'incorrect_number'],
  ];
  it('each decline card gives a 402 card_error with its code, no mint and no reserve change', async () => {
    const { app } = gateway;
    const user = await createRampUser(app, 'declines');
    const before = await readReservesApi(app);
    for (const [number, code] of declines) {
      const response = await buy(app, user, '10.00', { ...goodCard, number });
      assert.equal(response.statusCode, 402, `${number}: ${response.body}`);
      const error = errorOf(response);
      assert.equal(error.type, 'card_error');
      assert.equal(error.code, code, number);
      assert.ok(error.message.length > 0);
    }
    const purchases = await app.inject({ method: 'GET', url: '/v1/purchases?limit=100', headers: user.auth });
    const data = (purchases.json() as { data: Array<{ status: string; tx: string | null }> }).data;
    assert.equal(data.length, declines.length);
    assert.ok(data.every((item) => item.status === 'failed' && item.tx === null));
    assert.equal(await balanceOf(harness, user.address), 0n);
    const afterwards = await readReservesApi(app);
    assert.equal(afterwards.reserveMinor, before.reserveMinor);
    assert.equal(afterwards.supplyMinor, before.supplyMinor);
  });

  it('a 3-D Secure card needs a confirm, then mints; a failed challenge is a card error', async () => {
    const { app } = gateway;
    const user = await createRampUser(app, '3ds');
    const response = await buy(app, user, '25.00', { ...goodCard, number: '4000002760003184' });
    assert.equal(response.statusCode, 201, response.body);
    const purchase = response.json() as { id: string; status: string; next_action: { type: string } };
    assert.equal(purchase.status, 'requires_action');
    assert.deepEqual(purchase.next_action, { type: 'three_d_secure' });
    const confirmed = await app.inject({
      method: 'POST',
      url: `/v1/purchases/${purchase.id}/confirm`,
      headers: user.auth,
      payload: {},
    });
    assert.equal(confirmed.statusCode, 200, confirmed.body);
    assert.equal((confirmed.json() as { status: string }).status, 'authorized');
    await waitForStatus(app, user.auth, `/v1/purchases/${purchase.id}`, ['succeeded']);
    assert.equal(await balanceOf(harness, user.address), 25_000_000n);

    const second = await buy(app, user, '5.00', { ...goodCard, number: '4000002760003184' });
    const failing = second.json() as { id: string };
    const refused = await app.inject({
      method: 'POST',
      url: `/v1/purchases/${failing.id}/confirm`,
      headers: user.auth,
      payload: { fail: true },
    });
    assert.equal(refused.statusCode, 402, refused.body);
    assert.equal(errorOf(refused).code, 'authentication_required');
    const failed = await app.inject({
      method: 'GET',
      url: `/v1/purchases/${failing.id}`,
      headers: user.auth,
    });
    assert.equal((failed.json() as { status: string }).status, 'failed');
  });

  it('refuses purchases over the daily limit of an unverified user with 403 purchase_limit_exceeded', async () => {
    const { app } = gateway;
    const user = await createRampUser(app, 'limits');
    const response = await buy(app, user, '500.01');
    assert.equal(response.statusCode, 403, response.body);
    assert.equal(errorOf(response).code, 'purchase_limit_exceeded');
    assert.equal(errorOf(response).param, 'amount');
    const tooFine = await buy(app, user, '1.001');
    assert.equal(tooFine.statusCode, 400);
    assert.equal(errorOf(tooFine).param, 'amount');
  });

  it('a mint that can never be final (expired) voids the authorization: failed, no coins, no charge', async () => {
    await gateway.close();
    // Mints signed to expire at once: the node refuses them, and the next block proves they never land.
    gateway = await harness.startGateway({ settings: { mintExpiryBlocks: 0 } });
    const { app } = gateway;
    const user = await createRampUser(app, 'expired-mint');
    const before = await readReservesApi(app);
    const response = await buy(app, user, '15.00');
    const { id } = response.json() as { id: string };
    const done = await waitForStatus(app, user.auth, `/v1/purchases/${id}`, ['succeeded', 'failed']);
    assert.equal(done.status, 'failed');
    assert.equal(done.failure_code, 'mint_expired');
    const intents = await bankObjectsFor(harness, '/v1/payment_intents', 'purchase', id);
    assert.equal(intents.length, 1);
    assert.equal(intents[0]!.status, 'canceled');
    assert.equal(await balanceOf(harness, user.address), 0n);
    const afterwards = await readReservesApi(app);
    assert.equal(afterwards.supplyMinor, before.supplyMinor);
    assert.equal(afterwards.reserveMinor, before.reserveMinor);
    const lane = await harness.database.query<{ holder: string | null }>('SELECT holder FROM issuer_lane');
    assert.equal(lane.rows[0]!.holder, null, 'the issuer lane is free again');
  });

  it('createGatewayServer runs the ramp when a bank and an issuer key are configured', async () => {
    const server = await createGatewayServer(
      { ...harness.config, port: 0, chainNodes: harness.chain.urls, logLevel: 'silent' },
      { logStream: { write: () => undefined } },
    );
    try {
      const reserves = await fetch(`${server.url}/v1/reserves`);
      assert.equal(reserves.status, 200);
      assert.equal(((await reserves.json()) as { object: string }).object, 'reserves');
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      assert.match(metrics, /shardpay_gateway_reserve_difference/);
      const purchases = await fetch(`${server.url}/v1/purchases`);
      assert.equal(purchases.status, 401, 'served, behind authentication');
    } finally {
      await server.close();
    }
    // Without a bank the routes do not exist.
    const bare = await createGatewayServer(
      { ...harness.config, port: 0, chainNodes: harness.chain.urls, logLevel: 'silent', bankUrl: undefined },
      { logStream: { write: () => undefined } },
    );
    try {
      assert.equal((await fetch(`${bare.url}/v1/reserves`)).status, 404);
    } finally {
      await bare.close();
    }
  });

  it('the audit log verifies after all of this', async () => {
    const response = await gateway.app.inject({ method: 'GET', url: '/v1/audit/verify' });
    const body = response.json() as { valid: boolean; rows: number };
    assert.equal(body.valid, true, response.body);
    assert.ok(body.rows >= 6);
    const kinds = await harness.database.query<{ kind: string }>(
      'SELECT DISTINCT kind FROM audit_log ORDER BY kind',
    );
    assert.deepEqual(
      kinds.rows.map((row) => row.kind),
      ['capture', 'charge', 'mint', 'void'],
    );
  });
});

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  const { waitFor: wait } = await import('@shardpay/node/testing');
  await wait('condition', 20_000, condition);
}
