import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { decodeAddress } from '@shardpay/crypto';
import { type Operation, parseAmount } from '@shardpay/protocol';
import { createOracleClient } from '../src/merchants/oracleClient.ts';
import { createEscrowWatcher, type EscrowWatcher } from '../src/merchants/watchEscrows.ts';
import { addressOf, signedTransaction } from './helpers/fakeBlockChain.ts';
import {
  createMerchantHarness,
  type MerchantHarness,
  merchantNetwork,
  merchantTestKey,
} from './helpers/merchantHarness.ts';
import { errorOf } from './helpers/testGateway.ts';

const apiKey = 'oracle-api-key-for-shipment-tests-0123456789';

interface FakeShipment {
  id: string;
  object: 'shipment';
  tracking_id: string;
  escrow_id: string;
  order_id: string;
  carrier: string;
  status: string;
  deliver_at: string;
  delivered_at: string | null;
  attested_at: string | null;
  released_at: string | null;
  release_tx_id: string | null;
  sandbox: true;
}

/** The oracle sandbox's two routes the gateway uses (docs/oracle.md), in memory; one shipment per escrow. */
async function startFakeOracle() {
  const shipments = new Map<string, FakeShipment>();
  const requests: Array<{ method: string; url: string; body: unknown }> = [];
  let counter = 0;
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
        res.end(JSON.stringify(body));
      };
      const body = text === '' ? null : (JSON.parse(text) as Record<string, unknown>);
      requests.push({ method: req.method ?? '', url: req.url ?? '', body });
      if (req.headers.authorization !== `Bearer ${apiKey}`) {
        return send(401, { error: { type: 'authentication_error', code: 'api_key_invalid', message: 'no' } });
      }
      if (req.method === 'POST' && req.url === '/v1/shipments') {
        const escrowId = String(body?.escrow_id);
        if (escrowId.startsWith('00')) {
          return send(409, { error: { code: 'escrow_state_invalid', message: 'the escrow is refunded' } });
        }
        const existing = [...shipments.values()].find((s) => s.escrow_id === escrowId);
        if (existing !== undefined) return send(200, existing);
        counter += 1;
        const shipment: FakeShipment = {
          id: `shp_${String(counter).padStart(22, '0')}`,
          object: 'shipment',
          tracking_id: `SP${counter}`,
          escrow_id: escrowId,
          order_id: String(body?.order_id),
          carrier: 'sandbox',
          status: 'in_transit',
          deliver_at: new Date(
            Date.parse('2026-01-01T00:00:00Z') + Number(body?.deliver_after_seconds) * 1000,
          ).toISOString(),
          delivered_at: null,
          attested_at: null,
          released_at: null,
          release_tx_id: null,
          sandbox: true,
        };
        shipments.set(shipment.id, shipment);
        return send(201, shipment);
      }
      const match = /^\/v1\/shipments\/(shp_[0-9]+)$/.exec(req.url ?? '');
      if (req.method === 'GET' && match !== null) {
        const shipment = shipments.get(match[1]!);
        return shipment === undefined
          ? send(404, { error: { code: 'resource_missing', message: 'no shipment' } })
          : send(200, shipment);
      }
      return send(404, { error: { code: 'route_not_found', message: 'no route' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    shipments,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nobody listens on: a closed server's. */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

const oracleKey = merchantTestKey(3);
const oracle = addressOf(oracleKey);

interface Invoice {
  id: string;
  status: string;
  escrow: {
    status: string | null;
    escrow_id: string | null;
    shipment: Record<string, unknown> | null;
  } | null;
}

describe('shipments of escrow-backed orders through the delivery oracle', () => {
  let h: MerchantHarness;
  let fake: Awaited<ReturnType<typeof startFakeOracle>>;
  let watcher: EscrowWatcher;
  before(async () => {
    fake = await startFakeOracle();
    h = await createMerchantHarness({ oracleAddress: oracle, oracleUrl: fake.url, oracleApiKey: apiKey });
    watcher = createEscrowWatcher({
      database: h.database,
      chain: h.chain.client,
      network: merchantNetwork,
      now: h.clock.now,
      oracle: createOracleClient({ url: fake.url, apiKey }),
    });
  });
  after(async () => {
    await h.close();
    await fake.close();
  });

  async function invoice(id: string): Promise<Invoice> {
    const response = await h.app.inject({ method: 'GET', url: `/v1/invoices/${id}`, headers: h.apiKey });
    assert.equal(response.statusCode, 200, response.body);
    return response.json() as Invoice;
  }

  /** A store order (escrow or not), locked by a buyer and shown `open` by the chain when `open`. */
  async function storeOrder(escrow: boolean, state: 'unlocked' | 'locked' | 'open' = 'open') {
    const product = await h.app.inject({
      method: 'POST',
      url: '/v1/products',
      headers: h.apiKey,
      payload: { name: 'Kettle', price: '30' },
    });
    const ordered = await h.app.inject({
      method: 'POST',
      url: `/v1/stores/${h.merchant.id}/orders`,
      payload: { items: [{ product: (product.json() as { id: string }).id, quantity: 1 }], escrow },
    });
    assert.equal(ordered.statusCode, 201, ordered.body);
    const checkout = ordered.json() as {
      invoice: string;
      escrow: { merchant: string; amount: string; deadline_ms: string; oracle: string } | null;
    };
    if (!escrow || state === 'unlocked') return { id: checkout.invoice, escrowId: null };
    const terms = checkout.escrow!;
    const buyer = merchantTestKey(2);
    const signed = signedTransaction(
      buyer,
      {
        type: 'escrow_lock',
        merchant: decodeAddress(terms.merchant, 'spd'),
        amount: parseAmount(terms.amount),
        orderId: checkout.invoice,
        deadlineMs: BigInt(terms.deadline_ms),
        arbiter: null,
        oracle: decodeAddress(terms.oracle, 'spd'),
        memo: '',
      } as Operation,
      0n,
      merchantNetwork,
    );
    const locked = await h.app.inject({
      method: 'POST',
      url: `/v1/checkout/${checkout.invoice}/escrow`,
      payload: { transaction: signed.hex },
    });
    assert.equal(locked.statusCode, 200, locked.body);
    if (state === 'open') {
      h.chain.escrows.set(signed.txId, {
        escrowId: signed.txId,
        shard: 2,
        buyer: addressOf(buyer),
        merchant: h.merchant.address,
        amount: terms.amount,
        orderId: checkout.invoice,
        deadlineMs: terms.deadline_ms,
        arbiter: null,
        oracle: terms.oracle,
        status: 'open',
        lockedHeight: '1',
        closedHeight: null,
        height: '1',
      });
      await watcher.runOnce();
      assert.equal((await invoice(checkout.invoice)).escrow?.status, 'open');
    }
    return { id: checkout.invoice, escrowId: signed.txId };
  }

  function ship(id: string, payload: unknown = {}) {
    return h.app.inject({
      method: 'POST',
      url: `/v1/invoices/${id}/shipments`,
      headers: h.apiKey,
      payload: payload as object,
    });
  }

  it('registers a shipment for an open escrow and shows it on the invoice and the checkout', async () => {
    const order = await storeOrder(true);
    const response = await ship(order.id, { deliver_after_seconds: 60 });
    assert.equal(response.statusCode, 201, response.body);
    const shown = response.json() as Invoice;
    assert.equal(shown.id, order.id);
    const shipment = shown.escrow?.shipment as Record<string, unknown>;
    assert.deepEqual(Object.keys(shipment).sort(), [
      'attested_at',
      'carrier',
      'deliver_at',
      'delivered_at',
      'id',
      'release_tx_id',
      'released_at',
      'status',
      'tracking_id',
    ]);
    assert.equal(shipment.status, 'in_transit');
    assert.equal(shipment.deliver_at, '2026-01-01T00:01:00.000Z');
    const sent = fake.requests.find((r) => r.method === 'POST');
    assert.deepEqual(sent?.body, {
      escrow_id: order.escrowId,
      order_id: order.id,
      deliver_after_seconds: 60,
    });
    const checkout = await h.app.inject({ method: 'GET', url: `/v1/checkout/${order.id}` });
    assert.deepEqual((checkout.json() as { escrow: { shipment: unknown } }).escrow.shipment, shipment);
    // Asking again returns the same shipment (the oracle keeps one per escrow).
    const again = await ship(order.id);
    assert.equal(again.statusCode, 201, again.body);
    assert.equal((again.json() as Invoice).escrow?.shipment?.id, shipment.id);
  });

  it('follows the shipment in the escrow watcher until it ends', async () => {
    const order = await storeOrder(true);
    const response = await ship(order.id, {});
    const id = String((response.json() as Invoice).escrow?.shipment?.id);
    const stored = fake.shipments.get(id)!;
    assert.equal(stored.deliver_at, '2026-01-01T00:00:30.000Z'); // default 30 s
    stored.status = 'delivered';
    stored.delivered_at = '2026-01-01T00:00:30.000Z';
    assert.ok((await watcher.runOnce()) >= 1);
    assert.equal((await invoice(order.id)).escrow?.shipment?.status, 'delivered');
    // The escrow released on chain: the invoice settles, the shipment still moves afterwards.
    h.chain.escrows.set(order.escrowId!, { ...h.chain.escrows.get(order.escrowId!)!, status: 'released' });
    stored.status = 'attested';
    stored.release_tx_id = 'ab'.repeat(32);
    await watcher.runOnce();
    let shown = await invoice(order.id);
    assert.equal(shown.status, 'settled');
    assert.equal(shown.escrow?.shipment?.status, 'attested');
    stored.status = 'released';
    stored.released_at = '2026-01-01T00:01:00.000Z';
    await watcher.runOnce();
    shown = await invoice(order.id);
    assert.equal(shown.escrow?.shipment?.status, 'released');
    assert.equal(shown.escrow?.shipment?.release_tx_id, 'ab'.repeat(32));
    // Ended: no more questions about it.
    const asked = fake.requests.filter((r) => r.url === `/v1/shipments/${id}`).length;
    await watcher.runOnce();
    assert.equal(fake.requests.filter((r) => r.url === `/v1/shipments/${id}`).length, asked);
  });

  it('refuses a plain invoice, an unlocked or not-yet-open escrow, and the oracle refusing', async () => {
    for (const order of [
      await storeOrder(false),
      await storeOrder(true, 'unlocked'),
      await storeOrder(true, 'locked'),
    ]) {
      const response = await ship(order.id);
      assert.equal(response.statusCode, 400, response.body);
      assert.equal(errorOf(response).code, 'invoice_state_invalid');
    }
    // The oracle answers 409 escrow_state_invalid: an invoice state problem for the merchant, nothing written.
    const order = await storeOrder(true);
    await h.database.query(
      "UPDATE invoices SET escrow = jsonb_set(escrow, '{escrow_id}', to_jsonb('00' || substr(escrow->>'escrow_id', 3))) WHERE id = $1",
      [order.id],
    );
    const refused = await ship(order.id);
    assert.equal(refused.statusCode, 400, refused.body);
    assert.equal(errorOf(refused).code, 'invoice_state_invalid');
    assert.equal((await invoice(order.id)).escrow?.shipment, null);
    const bad = await ship(order.id, { deliver_after_seconds: 2592001 });
    assert.equal(bad.statusCode, 400, bad.body);
  });

  it('answers 503 oracle_unavailable when the oracle does not answer, and writes nothing', async () => {
    const url = await deadUrl();
    const down = await createMerchantHarness({ oracleAddress: oracle, oracleUrl: url, oracleApiKey: apiKey });
    try {
      const product = await down.app.inject({
        method: 'POST',
        url: '/v1/products',
        headers: down.apiKey,
        payload: { name: 'Kettle', price: '30' },
      });
      const ordered = await down.app.inject({
        method: 'POST',
        url: `/v1/stores/${down.merchant.id}/orders`,
        payload: { items: [{ product: (product.json() as { id: string }).id, quantity: 1 }], escrow: true },
      });
      const invoiceId = (ordered.json() as { invoice: string }).invoice;
      // The escrow shown open, as the watcher would have recorded it.
      await down.database.query(
        `UPDATE invoices SET status = 'processing',
                escrow = escrow || jsonb_build_object('escrow_id', repeat('cd', 32), 'buyer', 'x', 'shard', 2, 'status', 'open')
          WHERE id = $1`,
        [invoiceId],
      );
      const before = await down.database.query('SELECT escrow, updated_at FROM invoices WHERE id = $1', [
        invoiceId,
      ]);
      const response = await down.app.inject({
        method: 'POST',
        url: `/v1/invoices/${invoiceId}/shipments`,
        headers: { ...down.apiKey, 'idempotency-key': 'ship-1' },
        payload: {},
      });
      assert.equal(response.statusCode, 503, response.body);
      assert.equal(errorOf(response).code, 'oracle_unavailable');
      const afterRow = await down.database.query('SELECT escrow, updated_at FROM invoices WHERE id = $1', [
        invoiceId,
      ]);
      assert.deepEqual(afterRow.rows, before.rows);
      assert.ok(!down.logs.text().includes(apiKey), 'the oracle API key is in the log');
    } finally {
      await down.close();
    }
  });

  it('treats a wrong API key as the oracle unavailable', async () => {
    const client = createOracleClient({ url: fake.url, apiKey: 'wrong-key-wrong-key-wrong-key-wrong' });
    await assert.rejects(client.getShipment('shp_1'), { code: 'ORACLE_UNAVAILABLE' });
  });
});
