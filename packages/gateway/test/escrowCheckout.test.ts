import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addressFromPublicKey, bytesToHex, decodeAddress, hexToBytes, ShardpayError } from '@shardpay/crypto';
import { waitFor } from '@shardpay/node/testing';
import {
  encodeTransaction,
  type Operation,
  parseAmount,
  shardOfAddress,
  signTransaction,
} from '@shardpay/protocol';
import type { ChainClient } from '../src/chain/createChainClient.ts';
import { expireInvoices } from '../src/merchants/expireInvoices.ts';
import { startMerchantJobs } from '../src/merchants/startMerchantJobs.ts';
import { createEscrowWatcher, type EscrowWatcher } from '../src/merchants/watchEscrows.ts';
import { addressOf, signedTransaction, type TestKey } from './helpers/fakeBlockChain.ts';
import {
  createMerchantHarness,
  type MerchantHarness,
  merchantNetwork,
  merchantTestKey,
} from './helpers/merchantHarness.ts';
import { errorOf } from './helpers/testGateway.ts';

interface InvoiceEscrow {
  deadline_seconds: number;
  arbiter: string | null;
  oracle: string | null;
  escrow_id: string | null;
  buyer: string | null;
  shard: number | null;
  status: string | null;
}

interface Invoice {
  id: string;
  status: string;
  exception: string | null;
  amount: string;
  amount_paid: string;
  pay_to: string;
  escrow: InvoiceEscrow | null;
}

interface Checkout {
  status: string;
  escrow: {
    merchant: string;
    amount: string;
    order_id: string;
    deadline_ms: string;
    arbiter: string | null;
    oracle: string | null;
    escrow_id: string | null;
    status: string | null;
  } | null;
}

/** The hex with its last byte (inside the signature) changed. */
function flipLastByte(hex: string): string {
  const last = Number.parseInt(hex.slice(-2), 16) ^ 1;
  return hex.slice(0, -2) + last.toString(16).padStart(2, '0');
}

// Buyers and arbiters on shard 2, the merchant (and the default oracle) on shard 3.
const oracleKey = merchantTestKey(3);
const oracle = addressOf(oracleKey);
const dayMs = 86_400_000;

describe('escrow-backed checkout, the escrow watcher and the transaction relay', () => {
  let h: MerchantHarness;
  let watcher: EscrowWatcher;
  let arbiterKey: TestKey;
  let arbiter: string;
  before(async () => {
    h = await createMerchantHarness({ oracleAddress: oracle });
    watcher = createEscrowWatcher({
      database: h.database,
      chain: h.chain.client,
      network: merchantNetwork,
      now: h.clock.now,
    });
    arbiterKey = merchantTestKey(2);
    arbiter = addressOf(arbiterKey);
  });
  after(async () => {
    await h.close();
  });

  async function createInvoice(amount: string, escrow?: Record<string, unknown>): Promise<Invoice> {
    const response = await h.app.inject({
      method: 'POST',
      url: '/v1/invoices',
      headers: h.apiKey,
      payload: { amount, currency: 'usd', ...(escrow === undefined ? {} : { escrow }) },
    });
    assert.equal(response.statusCode, 201, response.body);
    return response.json() as Invoice;
  }

  async function invoice(id: string): Promise<Invoice> {
    const response = await h.app.inject({ method: 'GET', url: `/v1/invoices/${id}`, headers: h.apiKey });
    assert.equal(response.statusCode, 200, response.body);
    return response.json() as Invoice;
  }

  async function checkout(id: string): Promise<Checkout> {
    const response = await h.app.inject({ method: 'GET', url: `/v1/checkout/${id}` });
    assert.equal(response.statusCode, 200, response.body);
    return response.json() as Checkout;
  }

  /** The escrow_lock the checkout asks for, with `change` applied. */
  function lock(
    buyer: TestKey,
    inv: Invoice,
    terms: Checkout['escrow'],
    change: Record<string, unknown> = {},
  ) {
    assert.ok(terms !== null);
    const operation = {
      type: 'escrow_lock',
      merchant: decodeAddress(terms.merchant, 'spd'),
      amount: parseAmount(terms.amount),
      orderId: inv.id,
      deadlineMs: BigInt(terms.deadline_ms),
      arbiter: terms.arbiter === null ? null : decodeAddress(terms.arbiter, 'spd'),
      oracle: terms.oracle === null ? null : decodeAddress(terms.oracle, 'spd'),
      memo: '',
      ...change,
    } as Operation;
    return signedTransaction(buyer, operation, 0n, merchantNetwork);
  }

  function sendLock(invoiceId: string, hex: string) {
    return h.app.inject({
      method: 'POST',
      url: `/v1/checkout/${invoiceId}/escrow`,
      payload: { transaction: hex },
    });
  }

  /** An escrow invoice locked by a fresh buyer: the invoice, the lock and the buyer. */
  async function lockedInvoice(amount: string, escrow: Record<string, unknown> = {}) {
    const inv = await createInvoice(amount, escrow);
    const terms = (await checkout(inv.id)).escrow;
    const buyer = merchantTestKey(2);
    const signed = lock(buyer, inv, terms);
    const response = await sendLock(inv.id, signed.hex);
    assert.equal(response.statusCode, 200, response.body);
    return { inv, signed, buyer, terms: terms! };
  }

  /** Puts the escrow on the fake chain as a node would answer `shardpay_getEscrow`. */
  function setChainEscrow(
    locked: Awaited<ReturnType<typeof lockedInvoice>>,
    status: string,
    closedHeight: string | null = null,
  ) {
    h.chain.escrows.set(locked.signed.txId, {
      escrowId: locked.signed.txId,
      shard: 2,
      buyer: addressOf(locked.buyer),
      merchant: h.merchant.address,
      amount: locked.terms.amount,
      orderId: locked.inv.id,
      deadlineMs: locked.terms.deadline_ms,
      arbiter: locked.terms.arbiter,
      oracle: locked.terms.oracle,
      status,
      lockedHeight: '1',
      closedHeight,
      height: '1',
    });
  }

  async function events(invoiceId: string) {
    const rows = await h.database.query<{ type: string; merchant_id: string | null }>(
      "SELECT type, merchant_id FROM events WHERE data->>'id' = $1 AND type LIKE 'invoice.%' ORDER BY seq",
      [invoiceId],
    );
    for (const row of rows.rows) assert.equal(row.merchant_id, h.merchant.id);
    return rows.rows.map((row) => row.type);
  }

  it('creates an escrow invoice with the default oracle and refuses bad terms', async () => {
    const inv = await createInvoice('25', { arbiter });
    assert.deepEqual(inv.escrow, {
      deadline_seconds: 604800,
      arbiter,
      oracle,
      escrow_id: null,
      buyer: null,
      shard: null,
      status: null,
      shipment: null,
    });
    const plain = await createInvoice('1');
    assert.equal(plain.escrow, null);
    for (const [escrow, param] of [
      [{ arbiter: 'spd1notanaddress' }, 'escrow.arbiter'],
      [{ oracle: 'xyz1qqqq' }, 'escrow.oracle'],
      [{ deadline_seconds: 60 }, null],
      [{ deadline_seconds: 7776001 }, null],
      [{ unknown: 1 }, null],
    ] as const) {
      const response = await h.app.inject({
        method: 'POST',
        url: '/v1/invoices',
        headers: h.apiKey,
        payload: { amount: '1', currency: 'usd', escrow },
      });
      assert.equal(response.statusCode, 400, JSON.stringify(escrow));
      if (param !== null) assert.equal(errorOf(response).param, param);
    }
  });

  it('shows the buyer what to lock; a plain invoice has no escrow terms', async () => {
    const inv = await createInvoice('25', { deadline_seconds: 3600, arbiter });
    const { escrow } = await checkout(inv.id);
    assert.deepEqual(escrow, {
      merchant: h.merchant.address,
      amount: '25.000000',
      order_id: inv.id,
      deadline_ms: String(h.clock.now().getTime() + 3600 * 1000),
      arbiter,
      oracle,
      escrow_id: null,
      status: null,
      shipment: null,
    });
    assert.equal((await checkout((await createInvoice('2')).id)).escrow, null);
  });

  it('refuses a lock that does not match the invoice, each with its own message', async () => {
    const inv = await createInvoice('25', { arbiter });
    const terms = (await checkout(inv.id)).escrow!;
    const buyer = merchantTestKey(2);
    const other = addressFromPublicKey(merchantTestKey(3).publicKey);
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ merchant: other }, /escrow_lock merchant/],
      [{ amount: 24_000_000n }, /escrow_lock amount/],
      [{ orderId: 'inv_other' }, /escrow_lock orderId/],
      [{ oracle: other }, /escrow_lock oracle/],
      [{ oracle: null }, /escrow_lock oracle/],
      [{ arbiter: null }, /escrow_lock arbiter/],
      [{ deadlineMs: BigInt(terms.deadline_ms) - 11n * 60_000n }, /escrow_lock deadlineMs/],
    ];
    for (const [change, message] of cases) {
      const response = await sendLock(inv.id, lock(buyer, inv, terms, change).hex);
      assert.equal(response.statusCode, 400, `${message}: ${response.body}`);
      const error = errorOf(response);
      assert.equal(error.code, 'transaction_invalid');
      assert.equal(error.param, 'transaction');
      assert.match(error.message, message);
    }
    // Within the 10 minutes of skew: accepted.
    const skewed = lock(buyer, inv, terms, { deadlineMs: BigInt(terms.deadline_ms) - 9n * 60_000n });
    const notALock = signedTransaction(
      buyer,
      {
        type: 'pay',
        merchant: decodeAddress(h.merchant.address, 'spd'),
        amount: 1n,
        paymentId: inv.id,
        memo: '',
      },
      0n,
      merchantNetwork,
    );
    const refused = await sendLock(inv.id, notALock.hex);
    assert.equal(refused.statusCode, 400);
    assert.match(errorOf(refused).message, /escrow_lock, not a pay/);
    const malformed = await sendLock(inv.id, 'abcd');
    assert.equal(errorOf(malformed).code, 'transaction_invalid');
    const tampered = flipLastByte(skewed.hex);
    assert.equal(errorOf(await sendLock(inv.id, tampered)).code, 'signature_invalid');
    assert.equal(h.chain.submitted.length, 0, 'nothing refused reached the chain');
    const accepted = await sendLock(inv.id, skewed.hex);
    assert.equal(accepted.statusCode, 200, accepted.body);
    // A plain invoice takes no lock.
    const plain = await createInvoice('25');
    const plainTerms = { ...terms, order_id: plain.id };
    const wrongInvoice = await sendLock(plain.id, lock(buyer, plain, plainTerms).hex);
    assert.equal(wrongInvoice.statusCode, 400);
    assert.equal(errorOf(wrongInvoice).code, 'invoice_state_invalid');
  });

  it('records a good lock once, submits it, and takes no second lock', async () => {
    const before = h.chain.submitted.length;
    const { inv, signed, buyer, terms } = await lockedInvoice('25', { arbiter });
    assert.deepEqual(h.chain.submitted.slice(before), [signed.hex]);
    const shown = await invoice(inv.id);
    assert.equal(shown.status, 'new');
    assert.deepEqual(shown.escrow, {
      deadline_seconds: 604800,
      arbiter,
      oracle,
      escrow_id: signed.txId,
      buyer: addressOf(buyer),
      shard: 2,
      status: 'pending',
      shipment: null,
    });
    assert.equal((await checkout(inv.id)).escrow?.escrow_id, signed.txId);
    // The same bytes again (a retry): the same answer, submitted again while pending.
    const retry = await sendLock(inv.id, signed.hex);
    assert.equal(retry.statusCode, 200, retry.body);
    // Another lock for the same invoice: refused, never submitted.
    const second = lock(merchantTestKey(2), inv, terms);
    const refused = await sendLock(inv.id, second.hex);
    assert.equal(refused.statusCode, 400);
    assert.equal(errorOf(refused).code, 'invoice_state_invalid');
    assert.ok(!h.chain.submitted.includes(second.hex));
  });

  it("answers a node's refusal with its code and frees the invoice for another lock", async () => {
    const inv = await createInvoice('25', {});
    const terms = (await checkout(inv.id)).escrow!;
    const client = h.chain.client;
    const original = client.call.bind(client);
    client.call = (async (shard: number, method: string, params?: Record<string, unknown>) => {
      if (method === 'shardpay_submitTransaction') {
        throw new ShardpayError('INSUFFICIENT_FUNDS', 'balance too low', { meta: { rpcCode: -32000 } });
      }
      return original(shard, method, params);
    }) as ChainClient['call'];
    try {
      const response = await sendLock(inv.id, lock(merchantTestKey(2), inv, terms).hex);
      assert.equal(response.statusCode, 400, response.body);
      assert.equal(errorOf(response).code, 'insufficient_funds');
    } finally {
      client.call = original;
    }
    assert.equal((await invoice(inv.id)).escrow?.escrow_id, null);
    const again = await sendLock(inv.id, lock(merchantTestKey(2), inv, terms).hex);
    assert.equal(again.statusCode, 200, again.body);
  });

  it('watcher: not on chain yet → nothing; open → processing; released → settled', async () => {
    const locked = await lockedInvoice('25');
    await watcher.runOnce();
    assert.equal((await invoice(locked.inv.id)).status, 'new');
    setChainEscrow(locked, 'open');
    await watcher.runOnce();
    let shown = await invoice(locked.inv.id);
    assert.equal(shown.status, 'processing');
    assert.equal(shown.escrow?.status, 'open');
    assert.equal(await watcher.runOnce(), 0, 'nothing moves twice');
    // Past expires_at and monitoring_until: a locked escrow invoice is the watcher's, not the timer's.
    h.clock.advance(2 * dayMs);
    await expireInvoices(h.database, h.clock.now());
    assert.equal((await invoice(locked.inv.id)).status, 'processing');
    setChainEscrow(locked, 'released', '5');
    await watcher.runOnce();
    shown = await invoice(locked.inv.id);
    assert.equal(shown.status, 'settled');
    assert.equal(shown.exception, null);
    assert.equal(shown.amount_paid, '25.000000');
    assert.equal(shown.escrow?.status, 'released');
    assert.deepEqual(await events(locked.inv.id), [
      'invoice.created',
      'invoice.processing',
      'invoice.settled',
    ]);
  });

  it('watcher: refunded → invalid', async () => {
    const locked = await lockedInvoice('10');
    setChainEscrow(locked, 'open');
    await watcher.runOnce();
    setChainEscrow(locked, 'refunded', '7');
    await watcher.runOnce();
    const shown = await invoice(locked.inv.id);
    assert.equal(shown.status, 'invalid');
    assert.equal(shown.amount_paid, '0.000000');
    assert.equal(shown.escrow?.status, 'refunded');
    assert.deepEqual(await events(locked.inv.id), [
      'invoice.created',
      'invoice.processing',
      'invoice.invalid',
    ]);
  });

  it("watcher: disputed → processing; the arbiter's split → settled with the merchant's share, paid_partial", async () => {
    const locked = await lockedInvoice('40', { arbiter });
    setChainEscrow(locked, 'disputed');
    await watcher.runOnce();
    let shown = await invoice(locked.inv.id);
    assert.equal(shown.status, 'processing');
    assert.equal(shown.escrow?.status, 'disputed');
    // The arbiter gives the buyer 15: the settling block holds its escrow_settle.
    const settle = signedTransaction(
      arbiterKey,
      {
        type: 'escrow_settle',
        escrowId: hexToBytes(locked.signed.txId),
        buyerAmount: 15_000_000n,
        authorization: null,
      },
      0n,
      merchantNetwork,
    );
    const height = h.chain.addBlock(2, { transactions: [settle.tx] });
    setChainEscrow(locked, 'settled', height.toString());
    await watcher.runOnce();
    shown = await invoice(locked.inv.id);
    assert.equal(shown.status, 'settled');
    assert.equal(shown.exception, 'paid_partial');
    assert.equal(shown.amount_paid, '25.000000');
    assert.equal(shown.escrow?.status, 'settled');
    assert.deepEqual(await events(locked.inv.id), [
      'invoice.created',
      'invoice.processing',
      'invoice.disputed',
      'invoice.settled',
    ]);
    // The events carry the merchant (webhooks deliver them) and the invoice as it is after the move.
    const settled = await h.app.inject({ method: 'GET', url: '/v1/events?limit=1', headers: h.apiKey });
    const [event] = (settled.json() as { data: Array<{ type: string; data: Invoice }> }).data;
    assert.equal(event?.type, 'invoice.settled');
    assert.equal(event?.data.amount_paid, '25.000000');
  });

  it('runs the watcher in the merchant jobs and expires a lock never seen by monitoring_until', async () => {
    const locked = await lockedInvoice('5');
    const lost = await lockedInvoice('6');
    const stop = startMerchantJobs(
      {
        database: h.database,
        now: h.clock.now,
        retentionDays: 30,
        onError: (error) => assert.fail(String(error)),
        chain: { client: h.chain.client, network: merchantNetwork },
      },
      { escrowIntervalMs: 20, invoiceIntervalMs: 60_000 },
    );
    try {
      setChainEscrow(locked, 'open');
      await waitFor(
        'the job moves the invoice',
        5000,
        async () => (await invoice(locked.inv.id)).status === 'processing',
      );
    } finally {
      await stop();
    }
    // The lost lock: kept new past expires_at, expired at monitoring_until.
    h.clock.advance(16 * 60_000);
    await expireInvoices(h.database, h.clock.now());
    assert.equal((await invoice(lost.inv.id)).status, 'new');
    h.clock.advance(3600_000);
    await expireInvoices(h.database, h.clock.now());
    assert.equal((await invoice(lost.inv.id)).status, 'expired');
  });

  describe('POST /v1/transactions', () => {
    it('relays a signed transaction of any operation', async () => {
      const key = merchantTestKey(2);
      const signed = signedTransaction(
        key,
        { type: 'escrow_dispute', escrowId: new Uint8Array(32).fill(7), authorization: null },
        3n,
        merchantNetwork,
      );
      const response = await h.app.inject({
        method: 'POST',
        url: '/v1/transactions',
        headers: { 'idempotency-key': 'relay-1' },
        payload: { transaction: signed.hex },
      });
      assert.equal(response.statusCode, 201, response.body);
      assert.deepEqual(response.json(), {
        object: 'transaction',
        tx_id: signed.txId,
        shard: 2,
        status: 'pending',
      });
      assert.equal(h.chain.submitted.at(-1), signed.hex);
      const replay = await h.app.inject({
        method: 'POST',
        url: '/v1/transactions',
        headers: { 'idempotency-key': 'relay-1' },
        payload: { transaction: signed.hex },
      });
      assert.equal(replay.headers['idempotent-replayed'], 'true');
    });

    it('refuses malformed bytes, another chain, a bad signature and a wrong shard', async () => {
      const key = merchantTestKey(2);
      const before = h.chain.submitted.length;
      const send = (hex: string) =>
        h.app.inject({ method: 'POST', url: '/v1/transactions', payload: { transaction: hex } });
      const malformed = await send('00ff');
      assert.equal(malformed.statusCode, 400);
      assert.equal(errorOf(malformed).code, 'transaction_invalid');
      assert.equal(errorOf(malformed).param, 'transaction');
      const otherChain = signedTransaction(
        key,
        { type: 'escrow_dispute', escrowId: new Uint8Array(32), authorization: null },
        0n,
        { ...merchantNetwork, chainId: 'another-chain' },
      );
      const wrongChain = await send(otherChain.hex);
      assert.equal(wrongChain.statusCode, 400);
      assert.equal(errorOf(wrongChain).code, 'transaction_invalid');
      assert.match(errorOf(wrongChain).message, /another-chain/);
      const nonHex = await send('zz');
      assert.equal(nonHex.statusCode, 400);
      const good = signedTransaction(
        key,
        { type: 'escrow_dispute', escrowId: new Uint8Array(32), authorization: null },
        0n,
        merchantNetwork,
      );
      const forged = await send(flipLastByte(good.hex));
      assert.equal(forged.statusCode, 400);
      assert.equal(errorOf(forged).code, 'signature_invalid');
      // Signed for shard 3 by a sender of shard 2.
      assert.equal(shardOfAddress(merchantNetwork, addressFromPublicKey(key.publicKey)), 2);
      const misrouted = signTransaction({ ...good.tx, shard: 3 }, key.privateKey);
      const wrongShard = await send(bytesToHex(encodeTransaction(misrouted)));
      assert.equal(wrongShard.statusCode, 400);
      assert.equal(errorOf(wrongShard).code, 'wrong_shard');
      assert.equal(h.chain.submitted.length, before, 'nothing refused reached the chain');
    });
  });
});
