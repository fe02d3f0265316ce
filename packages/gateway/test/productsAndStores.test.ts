import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addressOf } from './helpers/fakeBlockChain.ts';
import { createMerchantHarness, type MerchantHarness, merchantTestKey } from './helpers/merchantHarness.ts';
import { errorOf, registerWallet, signUpAndLogIn } from './helpers/testGateway.ts';

interface Product {
  id: string;
  object: string;
  merchant: string;
  name: string;
  description: string | null;
  price: string;
  currency: string;
  active: boolean;
  created: string;
}

const oracle = addressOf(merchantTestKey(3));

describe('products, the public store and store orders', () => {
  let h: MerchantHarness;
  before(async () => {
    // An oracle address and URL (never called here): escrow orders are offered.
    h = await createMerchantHarness({
      oracleAddress: oracle,
      oracleUrl: 'http://127.0.0.1:9',
      oracleApiKey: 'oracle-api-key-for-tests-0123456789abcdef',
    });
  });
  after(async () => {
    await h.close();
  });

  async function createProduct(
    payload: Record<string, unknown>,
    headers: Record<string, string> = h.apiKey,
  ): Promise<Product> {
    const response = await h.app.inject({ method: 'POST', url: '/v1/products', headers, payload });
    assert.equal(response.statusCode, 201, response.body);
    return response.json() as Product;
  }

  function order(payload: unknown, headers: Record<string, string> = {}, merchant = h.merchant.id) {
    return h.app.inject({
      method: 'POST',
      url: `/v1/stores/${merchant}/orders`,
      headers,
      payload: payload as object,
    });
  }

  it('creates, lists and archives products, validating each field', async () => {
    const mug = await createProduct({ name: 'Mug', description: 'Blue', price: '12.5' });
    assert.deepEqual(
      { ...mug, id: undefined, created: undefined },
      {
        id: undefined,
        object: 'product',
        merchant: h.merchant.id,
        name: 'Mug',
        description: 'Blue',
        price: '12.500000',
        currency: 'usd',
        active: true,
        created: undefined,
      },
    );
    assert.match(mug.id, /^prd_[A-Za-z0-9_-]{22}$/);
    assert.equal(mug.created, h.clock.now().toISOString());
    const shirt = await createProduct({ name: 'T-shirt', price: '1000000' });
    assert.equal(shirt.description, null);
    for (const [payload, param] of [
      [{ name: '', price: '1' }, 'name'],
      [{ name: 'x'.repeat(81), price: '1' }, 'name'],
      [{ name: 'x', description: 'd'.repeat(301), price: '1' }, 'description'],
      [{ name: 'x', price: '0' }, 'price'],
      [{ name: 'x', price: '1000000.000001' }, 'price'],
      [{ name: 'x', price: '1.0000001' }, 'price'],
      [{ name: 'x', price: 5 }, 'price'],
      [{ name: 'x', price: '-1' }, 'price'],
    ] as const) {
      const response = await h.app.inject({
        method: 'POST',
        url: '/v1/products',
        headers: h.apiKey,
        payload,
      });
      assert.equal(response.statusCode, 400, JSON.stringify(payload));
      assert.ok(
        errorOf(response).param === null || errorOf(response).param === param,
        `${JSON.stringify(payload)}: ${response.body}`,
      );
    }
    const list = await h.app.inject({ method: 'GET', url: '/v1/products?limit=1', headers: h.apiKey });
    assert.equal(list.statusCode, 200, list.body);
    assert.deepEqual(
      (list.json() as { data: Product[] }).data.map((p) => p.id),
      [shirt.id],
    );
    assert.equal((list.json() as { has_more: boolean }).has_more, true);
    const archived = await h.app.inject({
      method: 'DELETE',
      url: `/v1/products/${shirt.id}`,
      headers: h.apiKey,
    });
    assert.equal(archived.statusCode, 200, archived.body);
    assert.equal((archived.json() as Product).active, false);
    // Someone else's merchant cannot see or archive it.
    const other = await signUpAndLogIn(h.app);
    const foreign = await h.app.inject({
      method: 'DELETE',
      url: `/v1/products/${mug.id}`,
      headers: { ...other.auth, 'shardpay-merchant': h.merchant.id },
    });
    assert.equal(foreign.statusCode, 404, foreign.body);
  });

  it('needs the scopes: invoices:write to create, invoices:read to list', async () => {
    const key = await h.app.inject({
      method: 'POST',
      url: `/v1/merchants/${h.merchant.id}/api_keys`,
      headers: h.owner.auth,
      payload: { name: 'read only', scopes: ['invoices:read'] },
    });
    const readOnly = { authorization: `Bearer ${(key.json() as { secret: string }).secret}` };
    const refused = await h.app.inject({
      method: 'POST',
      url: '/v1/products',
      headers: readOnly,
      payload: { name: 'x', price: '1' },
    });
    assert.equal(refused.statusCode, 403, refused.body);
    const listed = await h.app.inject({ method: 'GET', url: '/v1/products', headers: readOnly });
    assert.equal(listed.statusCode, 200, listed.body);
    const anonymous = await h.app.inject({ method: 'GET', url: '/v1/products' });
    assert.equal(anonymous.statusCode, 401, anonymous.body);
  });

  it('shows the store publicly: name and active products only, no owner, wallet or keys', async () => {
    const cap = await createProduct({ name: 'Cap', price: '3' });
    const gone = await createProduct({ name: 'Gone', price: '4' });
    await h.app.inject({ method: 'DELETE', url: `/v1/products/${gone.id}`, headers: h.apiKey });
    const response = await h.app.inject({ method: 'GET', url: `/v1/stores/${h.merchant.id}` });
    assert.equal(response.statusCode, 200, response.body);
    const store = response.json() as {
      object: string;
      merchant: string;
      name: string;
      products: Product[];
      escrow_available: boolean;
    };
    assert.deepEqual(Object.keys(store).sort(), [
      'escrow_available',
      'merchant',
      'name',
      'object',
      'products',
    ]);
    assert.equal(store.object, 'store');
    assert.equal(store.name, 'Corner Shop');
    assert.equal(store.escrow_available, true);
    const names = store.products.map((p) => p.name);
    assert.ok(names.includes('Cap') && names.includes('Mug'), names.join());
    assert.ok(!names.includes('Gone') && !names.includes('T-shirt'), names.join());
    assert.ok(store.products.every((p) => p.active));
    assert.equal(store.products.find((p) => p.id === cap.id)?.price, '3.000000');
    for (const secret of [h.owner.session.user_id, h.wallet, h.merchant.address, 'sk_', 'user', 'metadata']) {
      assert.ok(!response.body.includes(secret), `the store shows ${secret}`);
    }
    const unknown = await h.app.inject({ method: 'GET', url: '/v1/stores/mer_AAAAAAAAAAAAAAAAAAAAAA' });
    assert.equal(unknown.statusCode, 404, unknown.body);
    assert.equal(errorOf(unknown).code, 'resource_missing');
  });

  it('prices an order from stored prices and returns its checkout; the merchant sees the invoice', async () => {
    const a = await createProduct({ name: 'Sticker', price: '0.333333' });
    const b = await createProduct({ name: 'Poster', price: '19.99' });
    const response = await order({
      items: [
        { product: a.id, quantity: 3 },
        { product: b.id, quantity: 2 },
      ],
    });
    assert.equal(response.statusCode, 201, response.body);
    const checkout = response.json() as Record<string, unknown> & { invoice: string; escrow: unknown };
    // Exactly the checkout object's shape.
    const again = await h.app.inject({ method: 'GET', url: `/v1/checkout/${checkout.invoice}` });
    assert.deepEqual(Object.keys(checkout).sort(), Object.keys(again.json() as object).sort());
    assert.equal(checkout.object, 'checkout');
    assert.equal(checkout.amount, '40.979999'); // 3 × 0.333333 + 2 × 19.99
    assert.equal(checkout.description, '3 × Sticker, 2 × Poster');
    assert.equal(checkout.merchant_name, 'Corner Shop');
    assert.equal(checkout.escrow, null);
    assert.equal(checkout.expires_at, Math.floor(h.clock.now().getTime() / 1000) + 900);
    const invoice = await h.app.inject({
      method: 'GET',
      url: `/v1/invoices/${checkout.invoice}`,
      headers: h.apiKey,
    });
    const inv = invoice.json() as { amount: string; order_id: string; status: string; merchant: string };
    assert.equal(inv.amount, '40.979999');
    assert.match(inv.order_id, /^ord_[A-Za-z0-9_-]{22}$/);
    assert.equal(inv.status, 'new');
    assert.equal(inv.merchant, h.merchant.id);
    const events = await h.database.query<{ type: string; merchant_id: string }>(
      "SELECT type, merchant_id FROM events WHERE data->>'id' = $1",
      [checkout.invoice],
    );
    assert.deepEqual(events.rows, [{ type: 'invoice.created', merchant_id: h.merchant.id }]);
  });

  it('creates an escrow-backed order naming the gateway oracle', async () => {
    const p = await createProduct({ name: 'Lamp', price: '45' });
    const response = await order({ items: [{ product: p.id, quantity: 1 }], escrow: true });
    assert.equal(response.statusCode, 201, response.body);
    const checkout = response.json() as { escrow: { oracle: string; amount: string; shipment: unknown } };
    assert.equal(checkout.escrow.oracle, oracle);
    assert.equal(checkout.escrow.amount, '45.000000');
    assert.equal(checkout.escrow.shipment, null);
  });

  it('returns the same invoice for the same Idempotency-Key', async () => {
    const p = await createProduct({ name: 'Pen', price: '2' });
    const payload = { items: [{ product: p.id, quantity: 4 }] };
    const first = await order(payload, { 'idempotency-key': 'order-1' });
    const second = await order(payload, { 'idempotency-key': 'order-1' });
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(second.statusCode, 201, second.body);
    assert.equal(second.headers['idempotent-replayed'], 'true');
    assert.equal(
      (second.json() as { invoice: string }).invoice,
      (first.json() as { invoice: string }).invoice,
    );
    const other = await order({ items: [{ product: p.id, quantity: 5 }] }, { 'idempotency-key': 'order-1' });
    assert.equal(other.statusCode, 409, other.body);
    const count = await h.database.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM invoices WHERE description = '4 × Pen'",
    );
    assert.equal(count.rows[0]!.n, 1);
  });

  it('refuses bad items with clear 400s and writes nothing', async () => {
    const p = await createProduct({ name: 'Bag', price: '10' });
    const archived = await createProduct({ name: 'Old bag', price: '1' });
    await h.app.inject({ method: 'DELETE', url: `/v1/products/${archived.id}`, headers: h.apiKey });
    // A product of another merchant.
    const other = await signUpAndLogIn(h.app);
    const wallet = await registerWallet(h.app, other.auth, merchantTestKey(3));
    const otherMerchant = (
      await h.app.inject({
        method: 'POST',
        url: '/v1/merchants',
        headers: other.auth,
        payload: { name: 'B', wallet },
      })
    ).json() as { id: string };
    const foreign = await createProduct(
      { name: 'Foreign', price: '1' },
      {
        ...other.auth,
        'shardpay-merchant': otherMerchant.id,
      },
    );
    const before = await h.database.query<{ n: number }>('SELECT count(*)::int AS n FROM invoices');
    const many = Array.from({ length: 21 }, () => ({ product: p.id, quantity: 1 }));
    for (const [payload, param] of [
      [{ items: [] }, null],
      [{ items: many }, null],
      [{ items: [{ product: p.id, quantity: 0 }] }, null],
      [{ items: [{ product: p.id, quantity: 100 }] }, null],
      [{ items: [{ product: p.id, quantity: 1.5 }] }, null],
      [{ items: [{ product: p.id, quantity: '1' }] }, null],
      [{ items: [{ product: 'prd_x', quantity: 1 }] }, null],
      [{ items: [{ product: p.id, quantity: 1, price: '0.01' }] }, null],
      [{ items: [{ product: p.id, quantity: 1 }], amount: '0.01' }, null],
      [{ items: [{ product: archived.id, quantity: 1 }] }, 'items'],
      [{ items: [{ product: foreign.id, quantity: 1 }] }, 'items'],
      [
        {
          items: [
            { product: p.id, quantity: 1 },
            { product: p.id, quantity: 2 },
          ],
        },
        'items',
      ],
    ] as const) {
      const response = await order(payload);
      assert.equal(response.statusCode, 400, `${JSON.stringify(payload)}: ${response.body}`);
      if (param !== null) {
        assert.equal(errorOf(response).param, param);
        assert.equal(errorOf(response).code, 'parameter_invalid');
      }
    }
    const unknownStore = await order(
      { items: [{ product: p.id, quantity: 1 }] },
      {},
      'mer_AAAAAAAAAAAAAAAAAAAAAA',
    );
    assert.equal(unknownStore.statusCode, 404, unknownStore.body);
    const after = await h.database.query<{ n: number }>('SELECT count(*)::int AS n FROM invoices');
    assert.equal(after.rows[0]!.n, before.rows[0]!.n);
  });
});

describe('a store without a delivery oracle', () => {
  it('offers no escrow and refuses an escrow order', async () => {
    const h = await createMerchantHarness();
    try {
      const store = await h.app.inject({ method: 'GET', url: `/v1/stores/${h.merchant.id}` });
      assert.equal((store.json() as { escrow_available: boolean }).escrow_available, false);
      const p = (
        await h.app.inject({
          method: 'POST',
          url: '/v1/products',
          headers: h.apiKey,
          payload: { name: 'A', price: '1' },
        })
      ).json() as Product;
      const response = await h.app.inject({
        method: 'POST',
        url: `/v1/stores/${h.merchant.id}/orders`,
        payload: { items: [{ product: p.id, quantity: 1 }], escrow: true },
      });
      assert.equal(response.statusCode, 400, response.body);
      assert.equal(errorOf(response).param, 'escrow');
    } finally {
      await h.close();
    }
  });
});
