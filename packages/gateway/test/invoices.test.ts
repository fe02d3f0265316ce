import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addressFromPublicKey } from '@shardpay/crypto';
import { receiptId } from '@shardpay/protocol';
import { expireInvoices } from '../src/merchants/expireInvoices.ts';
import {
  creditReceiptOf,
  refundReceiptOf,
  signedTransaction,
  type TestKey,
} from './helpers/fakeBlockChain.ts';
import {
  createMerchantHarness,
  type MerchantHarness,
  merchantNetwork,
  merchantTestKey,
} from './helpers/merchantHarness.ts';
import { errorOf } from './helpers/testGateway.ts';

interface Invoice {
  id: string;
  status: string;
  exception: string | null;
  amount: string;
  amount_paid: string;
  amount_refunded: string;
  pay_to: string;
  payment_id: string;
  payment_uri: string;
  checkout_url: string;
  expires_at: number;
  monitoring_until: number;
  payments: Array<{ tx_id: string; from: string; amount: string; shard: number; status: string }>;
}

describe('invoices through the indexer, checkout and refunds', () => {
  let h: MerchantHarness;
  before(async () => {
    h = await createMerchantHarness();
  });
  after(async () => {
    await h.close();
  });

  async function createInvoice(amount: string, extra: Record<string, unknown> = {}): Promise<Invoice> {
    const response = await h.app.inject({
      method: 'POST',
      url: '/v1/invoices',
      headers: h.apiKey,
      payload: { amount, currency: 'usd', ...extra },
    });
    assert.equal(response.statusCode, 201, response.body);
    return response.json() as Invoice;
  }

  async function invoice(id: string): Promise<Invoice> {
    const response = await h.app.inject({ method: 'GET', url: `/v1/invoices/${id}`, headers: h.apiKey });
    assert.equal(response.statusCode, 200, response.body);
    return response.json() as Invoice;
  }

  /** A pay of `amount` (minor units) from `payer` to the merchant with payment id `invoiceId`. */
  function pay(payer: TestKey, invoiceId: string, amount: bigint) {
    return signedTransaction(
      payer,
      {
        type: 'pay',
        merchant: addressFromPublicKey(h.merchantKey.publicKey),
        amount,
        paymentId: invoiceId,
        memo: '',
      },
      0n,
      merchantNetwork,
    );
  }

  /** Includes `tx` on the payer's shard; for a cross-shard pay, `credit: true` also consumes its credit. */
  async function include(tx: ReturnType<typeof pay>, credit = false) {
    const shard = tx.tx.shard;
    const height = h.chain.addBlock(shard, { transactions: [tx.tx] });
    await h.indexer.syncOnce();
    if (credit) await consume(tx, height);
    return height;
  }

  async function consume(tx: ReturnType<typeof pay>, height: bigint) {
    h.chain.addBlock(3, { receipts: [creditReceiptOf(tx.tx, height, 0, merchantNetwork)] });
    await h.indexer.syncOnce();
  }

  async function eventTypes(invoiceId: string) {
    const rows = await h.database.query<{ type: string; merchant_id: string | null }>(
      "SELECT type, merchant_id FROM events WHERE data->>'id' = $1 AND type LIKE 'invoice.%' ORDER BY seq",
      [invoiceId],
    );
    for (const row of rows.rows) assert.equal(row.merchant_id, h.merchant.id);
    return rows.rows.map((row) => row.type);
  }

  it('creates an invoice with its payment URI, checkout URL and windows', async () => {
    const created = await createInvoice('12.5', {
      order_id: 'A-1',
      description: 'two coffees',
      expires_in: 600,
      metadata: { table: '4' },
    });
    assert.match(created.id, /^inv_[A-Za-z0-9_-]{22}$/);
    assert.equal(created.status, 'new');
    assert.equal(created.amount, '12.500000');
    assert.equal(created.pay_to, h.merchant.address);
    assert.equal(created.payment_id, created.id);
    assert.equal(
      created.payment_uri,
      `shardpay:${h.merchant.address}?amount=12.500000&payment_id=${created.id}&chain=shardpay-test`,
    );
    assert.equal(created.checkout_url, `https://pay.example/checkout/${created.id}`);
    assert.equal(created.monitoring_until - created.expires_at, 3600);
    const bad = await h.app.inject({
      method: 'POST',
      url: '/v1/invoices',
      headers: h.apiKey,
      payload: { amount: '0', currency: 'usd' },
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(errorOf(bad).param, 'amount');
    const tooMany = await h.app.inject({
      method: 'POST',
      url: '/v1/invoices',
      headers: h.apiKey,
      payload: {
        amount: '1',
        currency: 'usd',
        metadata: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v'])),
      },
    });
    assert.equal(tooMany.statusCode, 400);
    const listed = await h.app.inject({
      method: 'GET',
      url: '/v1/invoices?status=new&limit=1',
      headers: h.apiKey,
    });
    assert.equal(listed.statusCode, 200);
    assert.equal((listed.json() as { data: Invoice[]; has_more: boolean }).data.length, 1);
  });

  it('settles an exact intra-shard payment', async () => {
    const inv = await createInvoice('10');
    const payer = merchantTestKey(3);
    await include(pay(payer, inv.id, 10_000_000n));
    const settled = await invoice(inv.id);
    assert.deepEqual(
      [settled.status, settled.exception, settled.amount_paid],
      ['settled', null, '10.000000'],
    );
    assert.equal(settled.payments[0]?.from, payer.address);
    assert.equal(settled.payments[0]?.status, 'credited');
    assert.deepEqual(await eventTypes(inv.id), [
      'invoice.created',
      'invoice.payment_received',
      'invoice.settled',
    ]);
  });

  it('settles an intra-shard payment made by a multisig account (indexed as its multisig_execute)', async () => {
    const inv = await createInvoice('4');
    const submitter = merchantTestKey(3);
    const accountKey = merchantTestKey(3);
    const account = addressFromPublicKey(accountKey.publicKey);
    const execute = signedTransaction(
      submitter,
      {
        type: 'multisig_execute',
        account,
        accountNonce: 0n,
        operation: {
          type: 'pay',
          merchant: addressFromPublicKey(h.merchantKey.publicKey),
          amount: 4_000_000n,
          paymentId: inv.id,
          memo: '',
        },
        signatures: [{ ownerIndex: 0, signature: new Uint8Array(64).fill(1) }],
      },
      0n,
      merchantNetwork,
    );
    h.chain.addBlock(3, { transactions: [execute.tx] });
    await h.indexer.syncOnce();
    const settled = await invoice(inv.id);
    assert.deepEqual([settled.status, settled.amount_paid], ['settled', '4.000000']);
    assert.equal(settled.payments[0]?.from, accountKey.address, 'from the multisig account');
  });

  it('goes processing on the payer shard, then settles when credited cross-shard (paid_over)', async () => {
    const inv = await createInvoice('10');
    const payer = merchantTestKey(2);
    const tx = pay(payer, inv.id, 12_000_000n);
    const height = await include(tx);
    assert.equal((await invoice(inv.id)).status, 'processing');
    await consume(tx, height);
    const settled = await invoice(inv.id);
    assert.deepEqual(
      [settled.status, settled.exception, settled.amount_paid],
      ['settled', 'paid_over', '12.000000'],
    );
    assert.deepEqual(await eventTypes(inv.id), [
      'invoice.created',
      'invoice.processing',
      'invoice.payment_received',
      'invoice.settled',
    ]);
  });

  it('keeps an underpaid invoice new with paid_partial, then the job expires it', async () => {
    const inv = await createInvoice('10', { expires_in: 60 });
    const payer = merchantTestKey(3);
    await include(pay(payer, inv.id, 4_000_000n));
    const partial = await invoice(inv.id);
    assert.deepEqual(
      [partial.status, partial.exception, partial.amount_paid],
      ['new', 'paid_partial', '4.000000'],
    );
    assert.equal(await expireInvoices(h.database, h.clock.now()), 0);
    h.clock.advance(61_000);
    assert.ok((await expireInvoices(h.database, h.clock.now())) >= 1);
    const expired = await invoice(inv.id);
    assert.deepEqual([expired.status, expired.exception], ['expired', 'paid_partial']);
    assert.equal(await expireInvoices(h.database, h.clock.now()), 0, 'a second run moves nothing');
    assert.deepEqual(await eventTypes(inv.id), [
      'invoice.created',
      'invoice.payment_received',
      'invoice.expired',
    ]);
  });

  it('marks a payment credited after expiry but within the monitoring window paid_late', async () => {
    const inv = await createInvoice('10', { expires_in: 60 });
    h.clock.advance(61_000);
    await expireInvoices(h.database, h.clock.now());
    assert.equal((await invoice(inv.id)).status, 'expired');
    const payer = merchantTestKey(3);
    await include(pay(payer, inv.id, 10_000_000n));
    const late = await invoice(inv.id);
    assert.deepEqual([late.status, late.exception, late.amount_paid], ['expired', 'paid_late', '10.000000']);
    assert.deepEqual(await eventTypes(inv.id), [
      'invoice.created',
      'invoice.expired',
      'invoice.payment_received',
    ]);
  });

  it('invalidates a processing invoice whose credit the merchant shard refused', async () => {
    const inv = await createInvoice('10');
    // The merchant already received this payment id on its shard (as if paid before): the credit is refused.
    await h.database.query(
      `INSERT INTO chain_transactions (tx_id, shard, height, position, timestamp_ms, operation, sender, recipient,
                                       amount, fee, payment_id)
       VALUES ($1, 3, 9999, 0, 0, 'pay', $2, $2, 1, 0, $3)`,
      [`earlier-${inv.id}`, h.merchant.address, inv.id],
    );
    const payer = merchantTestKey(2);
    const tx = pay(payer, inv.id, 10_000_000n);
    const height = await include(tx);
    const credit = creditReceiptOf(tx.tx, height, 0, merchantNetwork);
    const refusedAt = h.chain.addBlock(3, { receipts: [credit] });
    await h.indexer.syncOnce();
    const invalid = await invoice(inv.id);
    assert.deepEqual(
      [invalid.status, invalid.amount_paid, invalid.payments[0]?.status],
      ['invalid', '0.000000', 'refused'],
    );
    // The refund comes back to the payer's shard; its receipt names only the payer (from = to).
    h.chain.addBlock(tx.tx.shard, { receipts: [refundReceiptOf(credit, receiptId(credit), refusedAt)] });
    await h.indexer.syncOnce();
    const refunded = await invoice(inv.id);
    assert.deepEqual(
      [refunded.status, refunded.amount_paid, refunded.payments.map((payment) => payment.status)],
      ['invalid', '0.000000', ['refunded']],
    );
    assert.deepEqual(await eventTypes(inv.id), ['invoice.created', 'invoice.processing', 'invoice.invalid']);
  });

  it('invalidates a processing invoice at the end of its monitoring window; nothing moves after', async () => {
    const inv = await createInvoice('10', { expires_in: 60, monitoring_window: 60 });
    const payer = merchantTestKey(2);
    const tx = pay(payer, inv.id, 10_000_000n);
    const height = await include(tx);
    h.clock.advance(61_000);
    await expireInvoices(h.database, h.clock.now());
    assert.equal((await invoice(inv.id)).status, 'processing', 'paid in time: waits for the credit');
    h.clock.advance(60_000);
    await expireInvoices(h.database, h.clock.now());
    assert.equal((await invoice(inv.id)).status, 'invalid');
    await consume(tx, height);
    const final = await invoice(inv.id);
    assert.deepEqual(
      [final.status, final.amount_paid, final.payments[0]?.status],
      ['invalid', '0.000000', 'credited'],
    );
    assert.deepEqual(await eventTypes(inv.id), ['invoice.created', 'invoice.processing', 'invoice.invalid']);
  });

  it('lets the merchant invalidate a new invoice, not a settled one', async () => {
    const inv = await createInvoice('1');
    const url = `/v1/invoices/${inv.id}/invalidate`;
    const done = await h.app.inject({ method: 'POST', url, headers: h.apiKey });
    assert.equal(done.statusCode, 200, done.body);
    assert.deepEqual(
      [(done.json() as Invoice).status, (done.json() as Invoice).exception],
      ['invalid', 'marked'],
    );
    const again = await h.app.inject({ method: 'POST', url, headers: h.apiKey });
    assert.equal(again.statusCode, 400);
    assert.equal(errorOf(again).code, 'invoice_state_invalid');
  });

  it('serves the public checkout view and its QR code', async () => {
    const inv = await createInvoice('3.25', {
      description: 'tea',
      metadata: { secret_note: 'x' },
      order_id: 'o-9',
    });
    const view = await h.app.inject({ method: 'GET', url: `/v1/checkout/${inv.id}` });
    assert.equal(view.statusCode, 200);
    const body = view.json() as Record<string, unknown>;
    assert.equal(body.merchant_name, 'Corner Shop');
    assert.equal(body.amount, '3.250000');
    assert.equal(body.payment_uri, inv.payment_uri);
    assert.ok(!view.body.includes('secret_note') && !view.body.includes('o-9'), 'no metadata nor order id');
    const qr = await h.app.inject({ method: 'GET', url: `/v1/checkout/${inv.id}/qr.svg` });
    assert.equal(qr.statusCode, 200);
    assert.match(String(qr.headers['content-type']), /^image\/svg\+xml/);
    assert.match(qr.body, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const missing = await h.app.inject({ method: 'GET', url: `/v1/checkout/inv_${'a'.repeat(22)}/qr.svg` });
    assert.equal(missing.statusCode, 404);
    assert.equal(errorOf(missing).code, 'resource_missing');
  });

  it('checks and submits a merchant refund, then follows it on the chain', async () => {
    const inv = await createInvoice('10');
    const payer = merchantTestKey(3);
    const url = `/v1/invoices/${inv.id}/refunds`;
    const refundTx = (amount: bigint, from = h.merchantKey, to = payer) =>
      signedTransaction(
        from,
        { type: 'transfer', to: addressFromPublicKey(to.publicKey), amount, memo: '' },
        0n,
        merchantNetwork,
      );
    const send = (hex: string, amount: string, key: string | null = `r-${hex.slice(-12)}-${amount}`) =>
      h.app.inject({
        method: 'POST',
        url,
        headers: key === null ? h.apiKey : { ...h.apiKey, 'idempotency-key': key },
        payload: { transaction: hex, amount },
      });
    // Nothing paid yet.
    const unpaid = await send(refundTx(1_000_000n).hex, '1');
    assert.equal(errorOf(unpaid).code, 'invoice_state_invalid');
    await include(pay(payer, inv.id, 10_000_000n));
    assert.equal(errorOf(await send(refundTx(1_000_000n).hex, '1', null)).code, 'idempotency_key_required');
    const cases: Array<[string, string, string]> = [
      [refundTx(1_000_000n, h.merchantKey, merchantTestKey(3)).hex, '1', 'transaction_invalid'],
      [refundTx(1_000_000n, payer, payer).hex, '1', 'transaction_invalid'],
      [refundTx(2_000_000n).hex, '1', 'transaction_invalid'],
      [refundTx(11_000_000n).hex, '11', 'refund_amount_too_large'],
      [`${refundTx(1_000_000n).hex.slice(0, -2)}00`, '1', 'signature_invalid'],
    ];
    for (const [hex, amount, code] of cases) {
      const refused = await send(hex, amount);
      assert.equal(refused.statusCode, 400, refused.body);
      assert.equal(errorOf(refused).code, code);
    }
    assert.equal(h.chain.submitted.length, 0, 'nothing refused was submitted');
    const good = refundTx(6_000_000n);
    const refunded = await send(good.hex, '6');
    assert.equal(refunded.statusCode, 201, refunded.body);
    const refund = refunded.json() as { id: string; status: string; tx_id: string; amount: string };
    assert.match(refund.id, /^ref_/);
    assert.deepEqual([refund.status, refund.tx_id, refund.amount], ['pending', good.txId, '6.000000']);
    assert.deepEqual(h.chain.submitted, [good.hex]);
    assert.equal((await invoice(inv.id)).amount_refunded, '6.000000');
    // 4.00 is left: 5.00 is too much.
    assert.equal(errorOf(await send(refundTx(5_000_000n).hex, '5')).code, 'refund_amount_too_large');
    assert.deepEqual((await eventTypes(inv.id)).at(-1), 'invoice.refunded');
    // The indexer sees the transfer: credited (intra-shard).
    h.chain.addBlock(3, { transactions: [good.tx] });
    await h.indexer.syncOnce();
    const list = await h.app.inject({ method: 'GET', url, headers: h.apiKey });
    assert.equal(list.statusCode, 200);
    assert.deepEqual(
      (list.json() as { data: Array<{ id: string; status: string }> }).data.map((r) => [r.id, r.status]),
      [[refund.id, 'credited']],
    );
  });
});
