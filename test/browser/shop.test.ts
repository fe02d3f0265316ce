/**
 * The demo shop and the merchant dashboard in a real browser (Debian's Chromium, headless) against
 * a real devnet (2 shards × 1 validator, its gateway serving the built app, with the oracle sandbox):
 * a merchant (wallet on shard 1) becomes a merchant in the dashboard, adds products, a webhook
 * endpoint (a receiver in this test) and an API key (its secret shown once); a buyer (wallet on
 * shard 0, funded by the devnet faucet) orders in the shop, pays at the checkout from the in-browser
 * wallet and follows the order page to paid; the dashboard shows the invoice settled, the webhook
 * delivery in its log, and Redeliver sends it again; the merchant refunds part of it, signed in the
 * browser. Then an escrow order: the buyer locks, the merchant clicks Ship (delivered after 1 s),
 * and the order page follows it until the oracle's attestation released it; the dashboard shows it
 * settled and the volume chart counts both.
 *
 * Both flows run at 375×812 (a phone); every page is checked with axe-core, photographed at 1280×800
 * and 375×812 and must not be wider than a 375 px screen
 * (docs/screenshots/<page>-<desktop|phone>.png).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, newViewportContext } from './helpers/browser.ts';
import { ensureWebAppBuilt } from './helpers/buildWebApp.ts';
import {
  expectHeadingShown,
  expectPage,
  phraseOnShard,
  type ReceivedWebhook,
  restoreWalletInPage,
  startWebhookReceiver,
  visitBothWidths,
} from './helpers/shopSteps.ts';
import {
  expectHeading,
  NETWORK_TIMEOUT_MS,
  navigate,
  recordStatusTexts,
  signUp,
  waitForText,
} from './helpers/walletSteps.ts';
import { startWebDevnet, type WebDevnet } from './helpers/webDevnet.ts';

const PASSWORD = 'correct horse battery staple';
const PASSPHRASE = 'a long wallet passphrase';

let web: WebDevnet;
let browser: Browser;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

before(async () => {
  await ensureWebAppBuilt();
  const [devnetStart, browserStart, receiverStart] = await Promise.allSettled([
    startWebDevnet(),
    launchChromium(),
    startWebhookReceiver(),
  ]);
  if (devnetStart.status === 'fulfilled') web = devnetStart.value;
  if (browserStart.status === 'fulfilled') browser = browserStart.value;
  if (receiverStart.status === 'fulfilled') receiver = receiverStart.value;
  for (const start of [devnetStart, browserStart, receiverStart]) {
    if (start.status === 'rejected') throw start.reason;
  }
});

after(async () => {
  await browser?.close();
  await web?.stop();
  await receiver?.close();
});

/** Waits (bounded) until `check` holds, for things outside the page (the webhook receiver, balances). */
async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = NETWORK_TIMEOUT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function faucet(address: string, amount: string): Promise<void> {
  const answer = await fetch(`${web.url}/v1/faucet`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify({ address, amount }),
  });
  assert.equal(answer.status, 201, await answer.text());
}

async function balanceOf(address: string): Promise<bigint> {
  const answer = await fetch(`${web.url}/v1/accounts/${address}`);
  assert.equal(answer.status, 200, await answer.clone().text());
  const { balance } = (await answer.json()) as { balance: string };
  const [whole = '0', fraction = ''] = balance.split('.');
  return BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(6, '0') || '0');
}

async function signUpWithWallet(page: Page, words: string, who: string): Promise<void> {
  await page.goto('/signup');
  await expectHeading(page, 'Create your account');
  await signUp(page, `${who}-${randomUUID()}@example.com`, PASSWORD);
  await restoreWalletInPage(page, words, PASSPHRASE);
}

/** At the checkout: unlocks the wallet kept in this browser (a page load locks it) and pays. */
async function payAtCheckout(page: Page, button: RegExp): Promise<string> {
  await expectHeading(page, 'Checkout');
  const invoiceId = /\/checkout\/(inv_[A-Za-z0-9_-]+)/.exec(page.url())?.[1];
  assert.ok(invoiceId, `a checkout URL, got ${page.url()}`);
  await page.getByLabel('Passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('button', { name: button }).click();
  await expectHeading(page, 'Your order');
  return invoiceId;
}

describe('the demo shop and the merchant dashboard', { concurrency: 1 }, () => {
  let merchantContext: BrowserContext;
  let buyerContext: BrowserContext;
  let merchant: Page;
  let buyer: Page;
  let merchantId: string;
  let buyerAddress: string;
  let paidInvoice: string;
  let balanceBeforeRefund: bigint;

  before(async () => {
    [merchantContext, buyerContext] = await Promise.all([
      // Both flows run on a phone-sized screen (the wallet and explorer tests drive both widths);
      // every page is also checked and photographed at desktop width.
      newViewportContext(browser, 'phone', web.url),
      newViewportContext(browser, 'phone', web.url),
    ]);
    [merchant, buyer] = await Promise.all([merchantContext.newPage(), buyerContext.newPage()]);
  });
  after(async () => {
    await merchantContext?.close();
    await buyerContext?.close();
  });

  it('a merchant signs up and becomes a merchant; a buyer signs up and is funded', async () => {
    const merchantPhrase = phraseOnShard(web.network, 1);
    const buyerPhrase = phraseOnShard(web.network, 0);
    buyerAddress = buyerPhrase.address;
    const becomeMerchant = async () => {
      await signUpWithWallet(merchant, merchantPhrase.words, 'merchant');
      await navigate(merchant, 'Merchant', 'Merchant dashboard');
      await merchant.getByRole('heading', { name: 'Become a merchant' }).waitFor();
      await visitBothWidths(merchant, 'merchant-signup');
      await merchant.getByLabel('Shop name').fill('Tea & Mugs');
      await merchant.getByRole('button', { name: 'Become a merchant' }).click();
      await merchant.getByRole('tablist', { name: 'Dashboard' }).waitFor();
      await merchant.getByRole('heading', { name: 'Invoices' }).waitFor();
      await waitForText(merchant.getByRole('tabpanel'), /No invoices yet/);
      await visitBothWidths(merchant, 'merchant-invoices');
    };
    // The two people act at once, as they would.
    await Promise.all([
      becomeMerchant(),
      signUpWithWallet(buyer, buyerPhrase.words, 'buyer').then(() => faucet(buyerAddress, '200')),
    ]);
  });

  it('adds products, a webhook endpoint and an API key whose secret is shown once', async () => {
    await merchant.getByRole('tab', { name: 'Products' }).click();
    for (const [name, price] of [
      ['Mug', '12.50'],
      ['T-shirt', '20'],
      ['Teapot', '35'],
    ] as const) {
      await merchant.getByLabel('Product name').fill(name);
      await merchant.getByLabel('Price (USD)').fill(price);
      await merchant.getByRole('button', { name: 'Add product' }).click();
      await waitForText(merchant.getByRole('status'), new RegExp(`Added ${name}`));
    }
    await merchant.getByRole('button', { name: 'Archive Teapot' }).click();
    await waitForText(merchant.getByRole('status'), /Archived Teapot/);
    const storeLink = await merchant.getByRole('link', { name: 'Open your store' }).getAttribute('href');
    merchantId = /\/shop\/(mer_[A-Za-z0-9_-]+)/.exec(storeLink ?? '')?.[1] ?? '';
    assert.ok(merchantId, `a store link, got ${storeLink}`);
    await visitBothWidths(merchant, 'merchant-products');
    const store = await fetch(`${web.url}/v1/stores/${merchantId}`);
    assert.equal(store.status, 200, await store.clone().text());
    assert.equal(
      ((await store.json()) as { escrow_available: boolean }).escrow_available,
      true,
      "the devnet's gateway has no delivery oracle (did it read keys/oracle-api-key before the oracle wrote it?)",
    );

    await merchant.getByRole('tab', { name: 'Webhooks' }).click();
    await merchant.getByLabel('Endpoint URL').fill(receiver.url);
    await merchant.getByRole('button', { name: 'Add endpoint' }).click();
    await waitForText(merchant.getByRole('status'), /Signing secret.*whsec_/);
    await visitBothWidths(merchant, 'merchant-webhooks');

    await merchant.getByRole('tab', { name: 'API keys' }).click();
    await merchant.getByLabel('Key name').fill('shop server');
    await merchant.getByRole('button', { name: 'Create API key' }).click();
    await waitForText(merchant.getByRole('status'), /Secret key.*sk_/);
    const secret = (await merchant.getByRole('status').getByText(/^sk_/).textContent())?.trim() ?? '';
    assert.match(secret, /^sk_[A-Za-z0-9_-]+$/);
    await waitForText(merchant.getByRole('listitem'), /shop server/);
    await visitBothWidths(merchant, 'merchant-api-keys');
    // Shown once: the list (and a fresh look at the tab) never shows it again.
    await merchant.getByRole('tab', { name: 'Products' }).click();
    await merchant.getByRole('tab', { name: 'API keys' }).click();
    await waitForText(merchant.getByRole('listitem'), /shop server/);
    assert.equal(await merchant.getByText(secret).count(), 0, 'the secret is not shown again');
    // The key works for the merchant's software.
    const answer = await fetch(`${web.url}/v1/products`, { headers: { authorization: `Bearer ${secret}` } });
    assert.equal(answer.status, 200, await answer.text());
  });

  it('the buyer orders in the shop and pays at the checkout; the order page follows it to paid', async () => {
    await buyer.goto(`/shop/${merchantId}`);
    await expectPage(buyer, 'Tea & Mugs', 'shop');
    assert.equal(await buyer.getByLabel('Quantity of Teapot').count(), 0, 'archived products are not sold');
    await buyer.getByLabel('Quantity of Mug').fill('2');
    await waitForText(buyer.getByRole('region', { name: 'Your cart' }), /\$25\.00/);
    await buyer.getByRole('button', { name: 'Pay now' }).click();
    await expectPage(buyer, 'Checkout', 'checkout');
    await waitForText(buyer.getByRole('definition'), /\$25\.00/);
    const statuses = await recordStatusTexts(buyer);
    paidInvoice = await payAtCheckout(buyer, /^Pay \$25\.00$/);
    await waitForText(buyer.getByRole('status'), /^Paid: the shop has received your payment/);
    await visitBothWidths(buyer, 'order');
    const seen = await statuses();
    assert.ok(
      seen.some((text) => /Signing the payment/.test(text)),
      JSON.stringify(seen),
    );
  });

  it('the dashboard shows the invoice settled, its webhook delivery, and Redeliver sends it again', async () => {
    await merchant.getByRole('tab', { name: 'Invoices' }).click();
    const row = merchant.getByRole('row').filter({ hasText: paidInvoice });
    await waitForText(row, /settled/);
    await merchant.getByLabel('Show').selectOption('settled');
    await waitForText(merchant.getByRole('row').filter({ hasText: paidInvoice }), /settled/);
    await merchant.getByLabel('Show').selectOption('');

    await merchant.getByRole('tab', { name: 'Webhooks' }).click();
    await merchant.getByRole('button', { name: 'Delivery log' }).click();
    const log = merchant.getByRole('region', { name: 'Delivery log' });
    const settledDelivery = log
      .getByRole('listitem')
      .filter({ hasText: /invoice\.settled/ })
      .first();
    await waitForText(settledDelivery, /succeeded/);
    await waitForText(settledDelivery, /HTTP 200/);
    const isSettled = (hook: ReceivedWebhook) =>
      hook.type === 'invoice.settled' && hook.invoiceId === paidInvoice;
    await until('the invoice.settled webhook', () => receiver.received.some(isSettled));
    await visitBothWidths(merchant, 'merchant-deliveries');
    await settledDelivery.getByRole('button', { name: /^Redeliver invoice\.settled/ }).click();
    await until(
      'the redelivered invoice.settled webhook',
      () => receiver.received.filter(isSettled).length >= 2,
    );
    const [first, second] = receiver.received.filter(isSettled);
    assert.equal(first?.eventId, second?.eventId, 'a redelivery carries the same event id');
    await waitForText(settledDelivery, /2 attempts/);
  });

  it('the merchant opens the invoice and refunds part of it, signed in the browser', async () => {
    await merchant.getByRole('tab', { name: 'Invoices' }).click();
    await merchant.getByRole('link', { name: paidInvoice }).click();
    await expectHeading(merchant, `Invoice ${paidInvoice}`);
    await waitForText(merchant.getByRole('region', { name: 'Payments' }), /\$25\.00 from/);
    balanceBeforeRefund = await balanceOf(buyerAddress);
    await merchant.getByLabel(/Refund amount/).fill('5');
    await merchant.getByRole('button', { name: 'Refund' }).click();
    await waitForText(merchant.getByRole('status'), /Refund of \$5\.00 sent/);
    await waitForText(merchant.getByRole('region', { name: 'Refunds' }), /\$5\.00: (pending|final|credited)/);
    await visitBothWidths(merchant, 'merchant-invoice');
  });

  it('an escrow order: the buyer locks, the merchant ships, the oracle attests and it is released', async () => {
    await buyer.goto(`/shop/${merchantId}`);
    await expectHeadingShown(buyer, 'Tea & Mugs');
    await buyer.getByLabel('Quantity of T-shirt').fill('1');
    await buyer.getByRole('button', { name: 'Pay with buyer protection (escrow)' }).click();
    await expectPage(buyer, 'Checkout', 'checkout-escrow');
    const statuses = await recordStatusTexts(buyer);
    const escrowInvoice = await payAtCheckout(buyer, /^Lock \$20\.00 in escrow$/);
    const buyerWaits = async () => {
      await waitForText(buyer.getByRole('status'), /locked in escrow\. Waiting for the shop to ship/);
      await visitBothWidths(buyer, 'order-escrow-locked');
    };
    const merchantShips = async () => {
      await merchant.getByRole('link', { name: 'Back to the dashboard' }).click();
      await merchant.getByRole('tab', { name: 'Invoices' }).click();
      await merchant.getByRole('link', { name: escrowInvoice }).click();
      await expectHeading(merchant, `Invoice ${escrowInvoice}`);
      // The Ship form shows once the chain has the escrow open (the invoice is processing).
      await merchant.getByLabel(/Delivered after/).fill('1');
      await visitBothWidths(merchant, 'merchant-invoice-escrow');
      await merchant.getByRole('button', { name: 'Ship' }).click();
    };
    // In turn: until the merchant ships, the order stays locked, so the buyer's page must show it.
    await buyerWaits();
    await merchantShips();

    await waitForText(buyer.getByRole('status'), /^Complete: delivery was confirmed/);
    await visitBothWidths(buyer, 'order-escrow');
    // The "shipped" sentence lasts only until the sandbox carrier delivers (1 s), so it may fall
    // between two polls; the order page keeps the shipment's carrier and tracking id once complete.
    const seen = (await statuses()).join('\n');
    assert.match(seen, /locked in escrow/);
    await waitForText(buyer.getByRole('definition'), /\S+ SP[0-9A-F]{16}/);
    await waitForText(merchant.getByRole('definition'), /settled/);
    const shipment = merchant.getByRole('region', { name: 'Escrow' });
    await waitForText(shipment, /released/);
  });

  it('the dashboard lists both orders settled and charts the volume', async () => {
    await merchant.getByRole('link', { name: 'Back to the dashboard' }).click();
    await merchant.getByRole('tab', { name: 'Invoices' }).click();
    await merchant.getByLabel('Show').selectOption('settled');
    await waitForText(merchant.getByRole('tabpanel'), /T-shirt/);
    assert.equal(
      await merchant
        .getByRole('row')
        .filter({ hasText: /settled/ })
        .count(),
      2,
    );
    await merchant.getByRole('tab', { name: 'Volume' }).click();
    await waitForText(merchant.getByRole('figure'), /2 settled invoices, \$45\.00/);
    await merchant.getByText('Show the numbers as a table').click();
    await waitForText(merchant.getByRole('table'), /\$5\.00/);
    await visitBothWidths(merchant, 'merchant-volume');
    // Since the refund was sent: +5 refunded (shard 1 → shard 0), −20 locked in escrow and its fee.
    const expected = balanceBeforeRefund + 5_000_000n - 20_000_000n - web.network.flatFee;
    await until('the refund credited to the buyer', async () => (await balanceOf(buyerAddress)) === expected);
  });
});
