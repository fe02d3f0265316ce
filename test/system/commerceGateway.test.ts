/**
 * Issue 8's invoice and webhook "done when", against a real multi-process devnet (2 shards × 1
 * validator, its gateway process with PGlite, started by `startDevnet` as `shardpay devnet` does).
 * A merchant paid to a wallet on shard 1; buyers on shard 0 (cross-shard) and on shard 1 (intra-shard)
 * pay invoices with SDK-signed `pay` operations sent through `POST /v1/payments`. A local HTTP receiver
 * is the merchant's webhook endpoint: it verifies every delivery with the SDK's `verifyWebhookSignature`
 * and records what it got, so each case is asserted from the API and from the receiver.
 *
 * Expiry: a devnet's gateway accepts `expires_in` down to 5 s (60 s in production). The invoice paid
 * late expires 5 s after the merchant's setup; the underpaid one gets 30 s to be paid (a cross-shard
 * credit on a busy machine takes a few), and the cases in between run while it runs out; the expiry
 * cases come last and wait for the gateway's timer job with a bound.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findFreeDevnetPort, type RunningDevnet, startDevnet } from '@shardpay/cli';
import { bytesToHex, signHash } from '@shardpay/crypto';
import {
  encodeTransaction,
  type NetworkConfig,
  networkConfigFromJson,
  parseAmount,
  walletChallengeSigningHash,
} from '@shardpay/protocol';
import { buildPay, createWallet, verifyWebhookSignature, type WalletAccount } from '@shardpay/sdk';
import { waitFor } from '../../packages/node/test/helpers/waitFor.ts';

type Json = Record<string, unknown>;

interface ApiAnswer {
  status: number;
  body: Json;
}

interface Invoice {
  id: string;
  status: string;
  exception: string | null;
  amount: string;
  amount_paid: string;
  pay_to: string;
  expires_at: number;
  payments: Array<{ tx_id: string; from: string; amount: string; shard: number; status: string }>;
}

/** One POST the receiver got: the event as parsed, and whether its signature verified. */
interface Delivery {
  eventIdHeader: string | undefined;
  header: string | undefined;
  rawBody: string;
  verified: boolean;
  event: { id: string; type: string; data: Json };
}

const root = mkdtempSync(join(tmpdir(), 'shardpay-commerce-e2e-'));
let devnet: RunningDevnet;
let gateway: string;
let network: NetworkConfig;
const started = Date.now();

/**
 * `waitFor` for conditions that call the API: at most one call per 400 ms, so long waits stay under the
 * gateway's rate limit (300 requests a minute per client address, which a devnet keeps).
 */
function waitForApi(what: string, timeoutMs: number, condition: () => Promise<boolean>): Promise<void> {
  let last = 0;
  return waitFor(what, timeoutMs, async () => {
    if (Date.now() - last < 400) return false;
    last = Date.now();
    return condition();
  });
}

async function request(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; idempotencyKey?: string } = {},
): Promise<ApiAnswer> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
  const response = await fetch(`${gateway}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : JSON.parse(text) };
}

function expectStatus(answer: ApiAnswer, status: number, what: string): Json {
  assert.equal(answer.status, status, `${what}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** Signs up and logs in a new user; returns its access token. */
async function newUser(): Promise<string> {
  const email = `commerce-${randomUUID()}@example.com`;
  const password = 'correct horse battery staple';
  expectStatus(await request('POST', '/v1/users', { body: { email, password } }), 201, 'sign-up');
  const session = expectStatus(
    await request('POST', '/v1/sessions', { body: { email, password } }),
    201,
    'login',
  );
  return session.access_token as string;
}

/** Registers `account` for the user with a wallet challenge signed here; returns the `wal_` id. */
async function registerWallet(token: string, account: WalletAccount): Promise<string> {
  const challenge = expectStatus(
    await request('POST', '/v1/wallet_challenges', { token, body: {} }),
    201,
    'wallet challenge',
  );
  const signature = signHash(
    walletChallengeSigningHash(challenge.message as string),
    account.exportPrivateKey(),
  );
  const wallet = expectStatus(
    await request('POST', '/v1/wallets', {
      token,
      body: {
        address: account.address,
        public_key: bytesToHex(account.publicKey),
        challenge_id: challenge.id,
        signature: bytesToHex(signature),
      },
    }),
    201,
    'wallet registration',
  );
  return wallet.id as string;
}

/** `count` accounts of a new wallet whose home is `shard`. */
function accountsOn(shard: number, count: number): WalletAccount[] {
  const accounts = createWallet({ network })
    .accounts(64)
    .filter((account) => account.shard === shard)
    .slice(0, count);
  assert.equal(accounts.length, count, `not ${count} accounts on shard ${shard} among the first 64`);
  return accounts;
}

async function balanceOf(address: string): Promise<bigint> {
  const account = expectStatus(await request('GET', `/v1/accounts/${address}`), 200, 'account');
  return parseAmount(account.balance as string, { allowZero: true });
}

/** Funds `account` from the devnet faucet and waits until the credit shows. */
async function fund(account: WalletAccount, amount: string): Promise<void> {
  expectStatus(
    await request('POST', '/v1/faucet', {
      body: { address: account.address, amount },
      idempotencyKey: randomUUID(),
    }),
    201,
    'faucet',
  );
  await waitForApi(
    `the faucet credit to ${account.address}`,
    30_000,
    async () => (await balanceOf(account.address)) === parseAmount(amount),
  );
}

/** A `pay` of `amount` to `merchant` under `paymentId`, signed here with the payer's next nonce. */
async function signedPay(
  from: WalletAccount,
  merchant: string,
  amount: string,
  paymentId: string,
): Promise<string> {
  const account = expectStatus(await request('GET', `/v1/accounts/${from.address}`), 200, 'account');
  const tx = buildPay({
    from,
    merchant,
    amount,
    paymentId,
    nonce: BigInt(account.pending_nonce as string),
    expiryHeight: BigInt(account.height as string) + 600n,
  });
  return bytesToHex(encodeTransaction(tx));
}

/** Sends the pay through `POST /v1/payments` as the buyer. */
function sendPay(token: string, transaction: string): Promise<ApiAnswer> {
  return request('POST', '/v1/payments', { token, body: { transaction }, idempotencyKey: randomUUID() });
}

/** A local webhook endpoint on port 0 that verifies every delivery with `secret()`. */
function startReceiver(secret: () => string) {
  const deliveries: Delivery[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const header = incoming.headers['shardpay-signature'] as string | undefined;
      const verified = verifyWebhookSignature(header, rawBody, secret());
      // Only a verified body is trusted as JSON; anything else is recorded (and fails the test) as is.
      const event = verified ? JSON.parse(rawBody) : { id: '', type: 'unverified', data: {} };
      deliveries.push({
        eventIdHeader: incoming.headers['shardpay-event-id'] as string | undefined,
        header,
        rawBody,
        verified,
        event,
      });
      outgoing.writeHead(verified ? 200 : 400).end();
    });
  });
  const listening = new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`),
    ),
  );
  /** The receiver's events for one invoice, each event id once (delivery is at least once). */
  const eventsOf = (invoiceId: string) => {
    const seen = new Map<string, Delivery['event']>();
    for (const delivery of deliveries) {
      if (delivery.event.data.id === invoiceId) seen.set(delivery.event.id, delivery.event);
    }
    return [...seen.values()];
  };
  const typesOf = (invoiceId: string) => new Set(eventsOf(invoiceId).map((event) => event.type));
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { deliveries, listening, eventsOf, typesOf, close };
}

describe('invoices and signed webhooks against a 2 × 1 devnet', { timeout: 240_000 }, () => {
  let ownerToken: string;
  let merchantId: string;
  let merchantAddress: string;
  let apiKey: string;
  let webhookSecret = '';
  const receiver = startReceiver(() => webhookSecret);
  let buyerToken: string;
  let payerExact: WalletAccount; // shard 0: the exact payment, then the same payment id again
  let payerOther: WalletAccount; // shard 0: underpaid, overpaid, late
  let payerLocal: WalletAccount; // shard 1, the merchant's: the intra-shard duplicate
  let underpaid: Invoice;
  let late: Invoice;
  let exact: Invoice;
  let exactPayerBalance: bigint;
  const fee = () => network.flatFee;

  async function invoice(id: string): Promise<Invoice> {
    return expectStatus(
      await request('GET', `/v1/invoices/${id}`, { token: apiKey }),
      200,
      'invoice',
    ) as unknown as Invoice;
  }

  async function createInvoice(amount: string, extra: Json = {}): Promise<Invoice> {
    return expectStatus(
      await request('POST', '/v1/invoices', { token: apiKey, body: { amount, currency: 'usd', ...extra } }),
      201,
      'invoice creation',
    ) as unknown as Invoice;
  }

  /** Waits (bounded) until the invoice has `status` and `exception`; returns it. */
  async function waitForInvoice(
    id: string,
    status: string,
    exception: string | null,
    timeoutMs = 30_000,
  ): Promise<Invoice> {
    let current = await invoice(id);
    await waitForApi(`invoice ${id} to be ${status}/${exception}`, timeoutMs, async () => {
      current = await invoice(id);
      return current.status === status && current.exception === exception;
    });
    return current;
  }

  /** Waits, without asking the API, until the invoice's `expires_at` has passed (at most its 30 s). */
  async function untilExpired(target: Invoice): Promise<void> {
    await waitFor(`the expiry of ${target.id}`, 35_000, () => Date.now() > target.expires_at * 1000);
  }

  async function waitForPaymentStatus(id: string, status: string): Promise<void> {
    await waitForApi(`payment ${id} to become ${status}`, 30_000, async () => {
      const payment = expectStatus(
        await request('GET', `/v1/payments/${id}`, { token: buyerToken }),
        200,
        'payment',
      );
      return payment.status === status;
    });
  }

  /** Waits until the receiver has verified deliveries of every type in `types` for the invoice. */
  async function waitForWebhooks(invoiceId: string, types: string[]): Promise<void> {
    await waitFor(`webhooks ${types.join(', ')} for ${invoiceId}`, 30_000, () => {
      const got = receiver.typesOf(invoiceId);
      return types.every((type) => got.has(type));
    });
  }

  before(async () => {
    const webhookUrl = await receiver.listening;
    const port = await findFreeDevnetPort(2, 1);
    devnet = await startDevnet({
      dir: join(root, 'devnet'),
      shards: 2,
      validators: 1,
      port,
      readyTimeoutMs: 120_000,
    });
    assert.ok(devnet.gateway, 'the devnet started a gateway');
    gateway = devnet.gateway;
    const info = expectStatus(await request('GET', '/v1/network'), 200, 'network');
    network = networkConfigFromJson(info.network_config);
    console.log(`devnet up after ${Date.now() - started} ms`);

    // The merchant: a user whose shop is paid to its wallet on shard 1.
    ownerToken = await newUser();
    const [merchantAccount] = accountsOn(1, 1);
    merchantAddress = merchantAccount!.address;
    const merchantWallet = await registerWallet(ownerToken, merchantAccount!);
    const merchant = expectStatus(
      await request('POST', '/v1/merchants', {
        token: ownerToken,
        body: { name: 'Shop', wallet: merchantWallet },
      }),
      201,
      'merchant',
    );
    assert.equal(merchant.address, merchantAddress);
    merchantId = merchant.id as string;
    const key = expectStatus(
      await request('POST', `/v1/merchants/${merchantId}/api_keys`, {
        token: ownerToken,
        body: {
          name: 'shop backend',
          scopes: ['invoices:read', 'invoices:write', 'events:read', 'webhooks:write'],
        },
      }),
      201,
      'api key',
    );
    apiKey = key.secret as string;
    const endpoint = expectStatus(
      await request('POST', '/v1/webhook_endpoints', {
        token: apiKey,
        body: { url: webhookUrl, events: ['*'] },
      }),
      201,
      'webhook endpoint',
    );
    assert.equal(endpoint.url, webhookUrl, 'http://127.0.0.1 is accepted in devnet mode');
    webhookSecret = endpoint.secret as string;
    assert.match(webhookSecret, /^whsec_/);

    // The invoice to be paid late expires while the buyers are set up.
    late = await createInvoice('5', { expires_in: 5, order_id: 'late' });
    assert.equal(late.status, 'new');

    // The buyers: one user, two wallets on shard 0 and one on the merchant's shard 1, funded.
    buyerToken = await newUser();
    [payerExact, payerOther] = accountsOn(0, 2) as [WalletAccount, WalletAccount];
    [payerLocal] = accountsOn(1, 1) as [WalletAccount];
    for (const account of [payerExact, payerOther, payerLocal]) await registerWallet(buyerToken, account);
    await Promise.all([fund(payerExact, '100'), fund(payerOther, '100'), fund(payerLocal, '100')]);
    console.log(`set up after ${Date.now() - started} ms`);
  });

  after(async () => {
    await receiver.close();
    await devnet?.stop();
    rmSync(root, { recursive: true, force: true });
    console.log(`done after ${Date.now() - started} ms`);
  });

  it('an invoice paid exactly across shards settles, and the receiver verifies its webhooks', async () => {
    exact = await createInvoice('10', { order_id: 'exact' });
    assert.equal(exact.pay_to, merchantAddress);
    const sent = expectStatus(
      await sendPay(buyerToken, await signedPay(payerExact, merchantAddress, '10', exact.id)),
      201,
      'exact pay',
    );
    assert.equal(sent.operation, 'pay');
    assert.equal(sent.to, merchantAddress);
    const settled = await waitForInvoice(exact.id, 'settled', null);
    assert.equal(settled.amount_paid, '10.000000');
    assert.equal(settled.payments.length, 1);
    assert.equal(settled.payments[0]!.tx_id, sent.tx_id);
    assert.equal(settled.payments[0]!.shard, 0);
    exactPayerBalance = await balanceOf(payerExact.address);
    assert.equal(exactPayerBalance, parseAmount('90') - fee());

    await waitForWebhooks(exact.id, ['invoice.created', 'invoice.payment_received', 'invoice.settled']);
    const types = receiver.eventsOf(exact.id).map((event) => event.type);
    // `processing` shows when the payer's shard is indexed before the credit is consumed (usual, not certain).
    for (const type of types) {
      assert.ok(
        ['invoice.created', 'invoice.processing', 'invoice.payment_received', 'invoice.settled'].includes(
          type,
        ),
        type,
      );
    }
    const settledEvent = receiver.eventsOf(exact.id).find((event) => event.type === 'invoice.settled')!;
    assert.equal((settledEvent.data as unknown as Invoice).status, 'settled');

    // The event id the receiver got is the one GET /v1/events lists for it.
    const listed = expectStatus(
      await request('GET', '/v1/events?limit=100', { token: apiKey }),
      200,
      'events',
    );
    const fromApi = (listed.data as Array<{ id: string; type: string; data: Json }>).filter(
      (event) => event.type === 'invoice.settled' && event.data.id === exact.id,
    );
    assert.equal(fromApi.length, 1);
    assert.equal(fromApi[0]!.id, settledEvent.id);

    // Every delivery so far verified; its header names the event; a wrong secret or a changed body fails.
    assert.ok(receiver.deliveries.length > 0);
    for (const delivery of receiver.deliveries) {
      assert.ok(delivery.verified, `a delivery failed verification: ${delivery.rawBody}`);
      assert.equal(delivery.eventIdHeader, delivery.event.id);
    }
    const sample = receiver.deliveries.at(-1)!;
    assert.equal(verifyWebhookSignature(sample.header, sample.rawBody, `${webhookSecret}x`), false);
    assert.equal(verifyWebhookSignature(sample.header, `${sample.rawBody} `, webhookSecret), false);
  });

  it('an underpaid invoice keeps status new with exception paid_partial', async () => {
    underpaid = await createInvoice('8', { expires_in: 30, order_id: 'under' });
    const sent = expectStatus(
      await sendPay(buyerToken, await signedPay(payerOther, merchantAddress, '3', underpaid.id)),
      201,
      'underpay',
    );
    const partial = await waitForInvoice(underpaid.id, 'new', 'paid_partial');
    assert.equal(partial.amount_paid, '3.000000');
    assert.equal(partial.payments[0]!.tx_id, sent.tx_id);
    await waitForWebhooks(underpaid.id, ['invoice.payment_received']);
    assert.ok(!receiver.typesOf(underpaid.id).has('invoice.settled'));
  });

  it('an overpaid invoice settles with exception paid_over', async () => {
    const over = await createInvoice('4', { order_id: 'over' });
    expectStatus(
      await sendPay(buyerToken, await signedPay(payerOther, merchantAddress, '4.25', over.id)),
      201,
      'overpay',
    );
    const settled = await waitForInvoice(over.id, 'settled', 'paid_over');
    assert.equal(settled.amount_paid, '4.250000');
    await waitForWebhooks(over.id, ['invoice.settled']);
  });

  it('a second payment with the same payment id is refused by the merchant shard and refunded', async () => {
    // Across shards: shard 0 accepts it, shard 1 refuses the credit and the money goes back.
    const again = expectStatus(
      await sendPay(buyerToken, await signedPay(payerExact, merchantAddress, '7', exact.id)),
      201,
      'second pay across shards',
    );
    await waitForPaymentStatus(again.id as string, 'refunded');
    await waitForApi(
      'the refund back to the payer',
      30_000,
      async () => (await balanceOf(payerExact.address)) === exactPayerBalance - fee(),
    );
    // The indexer records the refused credit and its refund on the invoice, and moves nothing else.
    let still = await invoice(exact.id);
    await waitForApi('the refunded second payment on the invoice', 30_000, async () => {
      still = await invoice(exact.id);
      return still.payments.some((payment) => payment.tx_id === again.tx_id && payment.status === 'refunded');
    });
    assert.equal(still.payments.length, 2);
    assert.equal(still.status, 'settled');
    assert.equal(still.exception, null);
    assert.equal(still.amount_paid, '10.000000');
    assert.equal(await balanceOf(payerExact.address), parseAmount('90') - 2n * fee());

    // On the merchant's own shard the node refuses it at submission, and nothing is stored.
    const before = await balanceOf(payerLocal.address);
    const local = await sendPay(buyerToken, await signedPay(payerLocal, merchantAddress, '10', exact.id));
    assert.equal(local.status, 400, JSON.stringify(local.body));
    assert.equal((local.body.error as { code: string }).code, 'duplicate_payment_id');
    assert.equal(await balanceOf(payerLocal.address), before);
    assert.equal((await invoice(exact.id)).payments.length, 2, 'a refusal at submission is not a payment');
    assert.ok(!receiver.typesOf(exact.id).has('invoice.invalid'));
  });

  it('an intra-shard payment settles in one block', async () => {
    const local = await createInvoice('2', { order_id: 'local' });
    const sent = expectStatus(
      await sendPay(buyerToken, await signedPay(payerLocal, merchantAddress, '2', local.id)),
      201,
      'intra-shard pay',
    );
    const settled = await waitForInvoice(local.id, 'settled', null);
    assert.deepEqual(
      settled.payments.map((payment) => [payment.tx_id, payment.shard, payment.status]),
      [[sent.tx_id, 1, 'credited']],
    );
    await waitForWebhooks(local.id, ['invoice.settled']);
    assert.ok(!receiver.typesOf(local.id).has('invoice.processing'));
  });

  it('an API key with invoices:write creates invoices; one without it gets 403', async () => {
    const created = await createInvoice('1', { order_id: 'scoped' });
    assert.equal(created.status, 'new');
    const readOnly = expectStatus(
      await request('POST', `/v1/merchants/${merchantId}/api_keys`, {
        token: ownerToken,
        body: { name: 'reader', scopes: ['invoices:read'] },
      }),
      201,
      'read-only key',
    );
    const reader = readOnly.secret as string;
    const refused = await request('POST', '/v1/invoices', {
      token: reader,
      body: { amount: '1', currency: 'usd' },
    });
    assert.equal(refused.status, 403, JSON.stringify(refused.body));
    assert.equal((refused.body.error as { code: string }).code, 'permission_denied');
    expectStatus(await request('GET', `/v1/invoices/${created.id}`, { token: reader }), 200, 'read scope');
  });

  it('the underpaid invoice expires with paid_partial', async () => {
    await untilExpired(underpaid);
    const expired = await waitForInvoice(underpaid.id, 'expired', 'paid_partial', 10_000);
    assert.equal(expired.amount_paid, '3.000000');
    await waitForWebhooks(underpaid.id, ['invoice.expired']);
  });

  it('an invoice paid after its expiry is expired with paid_late', async () => {
    await untilExpired(late);
    await waitForInvoice(late.id, 'expired', null, 10_000);
    await waitForWebhooks(late.id, ['invoice.expired']);
    const sent = expectStatus(
      await sendPay(buyerToken, await signedPay(payerOther, merchantAddress, '5', late.id)),
      201,
      'late pay',
    );
    const paidLate = await waitForInvoice(late.id, 'expired', 'paid_late');
    assert.equal(paidLate.amount_paid, '5.000000');
    assert.equal(paidLate.payments[0]!.tx_id, sent.tx_id);
    await waitForWebhooks(late.id, ['invoice.payment_received']);
    assert.ok(!receiver.typesOf(late.id).has('invoice.settled'));
    // Every delivery of the whole run verified with the endpoint's secret.
    assert.ok(receiver.deliveries.every((delivery) => delivery.verified));
  });
});
