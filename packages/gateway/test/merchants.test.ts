import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { purgeOldEvents } from '../src/merchants/purgeOldEvents.ts';
import { createMerchantHarness, type MerchantHarness, merchantTestKey } from './helpers/merchantHarness.ts';
import { errorOf, registerWallet, signUpAndLogIn } from './helpers/testGateway.ts';

describe('merchants and scoped API keys', () => {
  let h: MerchantHarness;
  before(async () => {
    h = await createMerchantHarness();
  });
  after(async () => {
    await h.close();
  });

  async function createKey(scopes: string[]) {
    const response = await h.app.inject({
      method: 'POST',
      url: `/v1/merchants/${h.merchant.id}/api_keys`,
      headers: h.owner.auth,
      payload: { name: `key ${scopes.join(' ')}`, scopes },
    });
    assert.equal(response.statusCode, 201, response.body);
    return response.json() as { id: string; secret: string; last4: string; scopes: string[] };
  }

  const invoiceBody = { amount: '10.00', currency: 'usd' };

  it('creates, lists and shows merchants of the caller only', async () => {
    const listed = await h.app.inject({ method: 'GET', url: '/v1/merchants', headers: h.owner.auth });
    assert.equal(listed.statusCode, 200);
    const list = listed.json() as { data: Array<Record<string, unknown>>; has_more: boolean };
    assert.equal(list.data.length, 1);
    assert.deepEqual(Object.keys(list.data[0]!).sort(), [
      'address',
      'created',
      'id',
      'name',
      'object',
      'wallet',
    ]);
    assert.equal(list.data[0]!.address, h.merchantKey.address);
    const one = await h.app.inject({
      method: 'GET',
      url: `/v1/merchants/${h.merchant.id}`,
      headers: h.owner.auth,
    });
    assert.equal(one.statusCode, 200);
    assert.equal((one.json() as { object: string }).object, 'merchant');
    // Another user sees neither the merchant nor can use the owner's wallet.
    const other = await signUpAndLogIn(h.app);
    const hidden = await h.app.inject({
      method: 'GET',
      url: `/v1/merchants/${h.merchant.id}`,
      headers: other.auth,
    });
    assert.equal(hidden.statusCode, 404);
    const stolen = await h.app.inject({
      method: 'POST',
      url: '/v1/merchants',
      headers: other.auth,
      payload: { name: 'Thief', wallet: h.wallet },
    });
    assert.equal(stolen.statusCode, 404);
    assert.equal(errorOf(stolen).param, 'wallet');
    const ownWallet = await registerWallet(h.app, other.auth, merchantTestKey(3));
    const created = await h.app.inject({
      method: 'POST',
      url: '/v1/merchants',
      headers: other.auth,
      payload: { name: 'Other', wallet: ownWallet },
    });
    assert.equal(created.statusCode, 201);
    assert.match((created.json() as { id: string }).id, /^mer_[A-Za-z0-9_-]{22}$/);
  });

  it('shows a secret once, stores only its sha256, lists last4 and never the secret', async () => {
    const key = await createKey(['invoices:read']);
    assert.match(key.secret, /^sk_[A-Za-z0-9_-]{43}$/);
    assert.equal(key.last4, key.secret.slice(-4));
    const stored = await h.database.query<Record<string, unknown>>(
      'SELECT * FROM merchant_api_keys WHERE id = $1',
      [key.id],
    );
    const row = stored.rows[0]!;
    assert.equal(row.secret_hash, createHash('sha256').update(key.secret).digest('hex'));
    assert.ok(
      !JSON.stringify(stored.rows, (_k, v) => (typeof v === 'bigint' ? String(v) : v)).includes(key.secret),
    );
    const listed = await h.app.inject({
      method: 'GET',
      url: `/v1/merchants/${h.merchant.id}/api_keys`,
      headers: h.owner.auth,
    });
    assert.equal(listed.statusCode, 200);
    assert.ok(!listed.body.includes(key.secret));
    assert.ok(!listed.body.includes('"secret"'));
    const found = (listed.json() as { data: Array<{ id: string; last4: string }> }).data.find(
      (k) => k.id === key.id,
    );
    assert.equal(found?.last4, key.last4);
    // Not in the logs either, nor in the idempotency table (the answer is not stored).
    const withKey = await h.app.inject({
      method: 'POST',
      url: `/v1/merchants/${h.merchant.id}/api_keys`,
      headers: { ...h.owner.auth, 'idempotency-key': 'key-once' },
      payload: { name: 'logged?', scopes: ['events:read'] },
    });
    const secret = (withKey.json() as { secret: string }).secret;
    assert.ok(!h.logs.text().includes(secret));
    const kept = await h.database.query("SELECT 1 FROM idempotency_keys WHERE key = 'key-once'");
    assert.equal(kept.rowCount, 0);
  });

  it('authenticates a key as its merchant, refuses a missing scope with 403 and a revoked key with 401', async () => {
    const reader = await createKey(['invoices:read']);
    const auth = { authorization: `Bearer ${reader.secret}` };
    const list = await h.app.inject({ method: 'GET', url: '/v1/invoices', headers: auth });
    assert.equal(list.statusCode, 200, list.body);
    const write = await h.app.inject({
      method: 'POST',
      url: '/v1/invoices',
      headers: auth,
      payload: invoiceBody,
    });
    assert.equal(write.statusCode, 403);
    assert.deepEqual(
      { type: errorOf(write).type, code: errorOf(write).code, param: errorOf(write).param },
      { type: 'invalid_request_error', code: 'permission_denied', param: null },
    );
    const events = await h.app.inject({ method: 'GET', url: '/v1/events', headers: auth });
    assert.equal(events.statusCode, 403);
    const revoked = await h.app.inject({
      method: 'DELETE',
      url: `/v1/merchants/${h.merchant.id}/api_keys/${reader.id}`,
      headers: h.owner.auth,
    });
    assert.equal(revoked.statusCode, 200);
    assert.equal(typeof (revoked.json() as { revoked: number }).revoked, 'number');
    const after = await h.app.inject({ method: 'GET', url: '/v1/invoices', headers: auth });
    assert.equal(after.statusCode, 401);
    assert.equal(errorOf(after).type, 'authentication_error');
    const unknown = await h.app.inject({
      method: 'GET',
      url: '/v1/invoices',
      headers: { authorization: `Bearer sk_${'A'.repeat(43)}` },
    });
    assert.equal(unknown.statusCode, 401);
    assert.equal(errorOf(unknown).code, errorOf(after).code);
  });

  it("lets the owner's token act for the merchant with Shardpay-Merchant, and nobody else's", async () => {
    const missing = await h.app.inject({ method: 'GET', url: '/v1/invoices', headers: h.owner.auth });
    assert.equal(missing.statusCode, 400);
    const owned = await h.app.inject({
      method: 'GET',
      url: '/v1/invoices',
      headers: { ...h.owner.auth, 'shardpay-merchant': h.merchant.id },
    });
    assert.equal(owned.statusCode, 200);
    const other = await signUpAndLogIn(h.app);
    const foreign = await h.app.inject({
      method: 'GET',
      url: '/v1/invoices',
      headers: { ...other.auth, 'shardpay-merchant': h.merchant.id },
    });
    assert.equal(foreign.statusCode, 404);
  });

  it("lists the merchant's events with an events:read key, the user's with a token", async () => {
    const created = await h.app.inject({
      method: 'POST',
      url: '/v1/invoices',
      headers: h.apiKey,
      payload: invoiceBody,
    });
    assert.equal(created.statusCode, 201, created.body);
    const reader = await createKey(['events:read']);
    const merchantEvents = await h.app.inject({
      method: 'GET',
      url: '/v1/events',
      headers: { authorization: `Bearer ${reader.secret}` },
    });
    assert.equal(merchantEvents.statusCode, 200, merchantEvents.body);
    const data = (merchantEvents.json() as { data: Array<{ type: string; data: { id: string } }> }).data;
    assert.equal(data[0]?.type, 'invoice.created');
    assert.equal(data[0]?.data.id, (created.json() as { id: string }).id);
    const stored = await h.database.query<{ merchant_id: string | null }>(
      "SELECT merchant_id FROM events WHERE type = 'invoice.created'",
    );
    assert.ok(stored.rows.every((row) => row.merchant_id === h.merchant.id));
    // Another merchant's key sees none of them.
    const other = await signUpAndLogIn(h.app);
    const otherWallet = await registerWallet(h.app, other.auth, merchantTestKey(3));
    const otherMerchant = (
      await h.app.inject({
        method: 'POST',
        url: '/v1/merchants',
        headers: other.auth,
        payload: { name: 'O', wallet: otherWallet },
      })
    ).json() as { id: string };
    const otherKey = (
      await h.app.inject({
        method: 'POST',
        url: `/v1/merchants/${otherMerchant.id}/api_keys`,
        headers: other.auth,
        payload: { name: 'k', scopes: ['events:read'] },
      })
    ).json() as { secret: string };
    const none = await h.app.inject({
      method: 'GET',
      url: '/v1/events',
      headers: { authorization: `Bearer ${otherKey.secret}` },
    });
    assert.deepEqual((none.json() as { data: unknown[] }).data, []);
  });

  it('keys idempotency per merchant: the same key replays for the merchant', async () => {
    const first = await h.app.inject({
      method: 'POST',
      url: '/v1/invoices',
      headers: { ...h.apiKey, 'idempotency-key': 'order-1' },
      payload: { ...invoiceBody, order_id: 'order-1' },
    });
    const second = await h.app.inject({
      method: 'POST',
      url: '/v1/invoices',
      headers: { ...h.apiKey, 'idempotency-key': 'order-1' },
      payload: { ...invoiceBody, order_id: 'order-1' },
    });
    assert.equal(first.statusCode, 201);
    assert.equal(second.headers['idempotent-replayed'], 'true');
    assert.equal(second.body, first.body);
    const scope = await h.database.query<{ scope: string }>(
      "SELECT scope FROM idempotency_keys WHERE key = 'order-1'",
    );
    assert.equal(scope.rows[0]?.scope, `merchant:${h.merchant.id}`);
  });

  it('purges events past the retention with their delivery log, keeping younger ones and pending deliveries', async () => {
    const at = h.clock.now();
    const old = new Date(at.getTime() - 31 * 24 * 3600 * 1000).toISOString();
    const userId = h.owner.session.user_id;
    const ids = {
      old: 'evt_oldoldoldoldoldoldold1',
      oldPending: 'evt_oldoldoldoldoldoldold2',
      oldDelivered: 'evt_oldoldoldoldoldoldold3',
      young: 'evt_newnewnewnewnewnewnew1',
    };
    for (const id of Object.values(ids)) {
      await h.database.query(
        `INSERT INTO events (id, user_id, merchant_id, type, data, created_at) VALUES ($1, $2, $3, 'invoice.created', '{}', $4)`,
        [id, userId, h.merchant.id, id === ids.young ? at.toISOString() : old],
      );
    }
    await h.database.query(
      `INSERT INTO webhook_endpoints (id, merchant_id, url, events, status, secret, after_seq, created_at)
       VALUES ('we_test', $1, 'https://example.com/hook', '{*}', 'enabled', 'whsec_x', 0, $2)`,
      [h.merchant.id, at.toISOString()],
    );
    for (const [delivery, event, status] of [
      ['whd_pending', ids.oldPending, 'pending'],
      ['whd_delivered', ids.oldDelivered, 'succeeded'],
    ]) {
      await h.database.query(
        `INSERT INTO webhook_deliveries (id, endpoint_id, event_id, status, created_at, updated_at)
         VALUES ($1, 'we_test', $2, $3, $4, $4)`,
        [delivery, event, status, old],
      );
    }
    await h.database.query(
      `INSERT INTO webhook_attempts (id, delivery_id, at, duration_ms, status_code)
       VALUES ('wha_delivered', 'whd_delivered', $1, 5, 200)`,
      [old],
    );
    assert.equal(await purgeOldEvents(h.database, at, 30), 2);
    const left = await h.database.query<{ id: string }>(
      "SELECT id FROM events WHERE id LIKE 'evt_old%' OR id LIKE 'evt_new%' ORDER BY id",
    );
    assert.deepEqual(
      left.rows.map((row) => row.id),
      [ids.young, ids.oldPending],
    );
    const deliveries = await h.database.query<{ id: string }>(
      'SELECT id FROM webhook_deliveries ORDER BY id',
    );
    assert.deepEqual(
      deliveries.rows.map((row) => row.id),
      ['whd_pending'],
    );
    assert.equal((await h.database.query('SELECT 1 FROM webhook_attempts')).rowCount, 0);
  });
});
