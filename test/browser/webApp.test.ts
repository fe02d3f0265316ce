/**
 * The wallet in a real browser (Debian's Chromium, headless) against a real devnet (2 shards × 1
 * validator, its gateway serving the built app): a new user signs up, creates a wallet (reads the
 * recovery phrase, confirms three words, sets a passphrase), is shown a decline for 4000000000000002,
 * buys 50 with 4242 4242 4242 4242 and 5 more through the 3-D Secure confirm step, receives at an
 * address with a QR code, has a mistyped address refused, sends across shards and watches pending →
 * credited, cashes out to a bank account until it is paid, locks and unlocks the wallet, logs out and
 * in, and restores the wallet from its phrase in a second browser context.
 *
 * The whole flow runs at desktop (1280×800) and phone (375×812) width at once, each in its own
 * context (its own user and wallet). Every page visited is checked with axe-core (no serious or
 * critical violation) and photographed into docs/screenshots/ at both widths. The build's bundle
 * report is checked too: the initial JavaScript stays under 300 KB gzipped.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createWallet } from '@shardpay/sdk';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, newViewportContext, type ViewportName } from './helpers/browser.ts';
import { ensureWebAppBuilt } from './helpers/buildWebApp.ts';
import { readBundleReport } from './helpers/bundleReport.ts';
import { checkAccessibility } from './helpers/checkAccessibility.ts';
import { screenshot } from './helpers/screenshot.ts';
import {
  choosePassphrase,
  confirmRecoveryPhrase,
  expectHeading,
  fillBuyForm,
  NETWORK_TIMEOUT_MS,
  navigate,
  readRecoveryPhrase,
  recordStatusTexts,
  signUp,
  waitForBalance,
  waitForText,
} from './helpers/walletSteps.ts';
import { startWebDevnet, type WebDevnet } from './helpers/webDevnet.ts';

const PASSWORD = 'correct horse battery staple';
const PASSPHRASE = 'a long wallet passphrase';
const CARD = { expiry: '12/34', cvc: '123' };

let web: WebDevnet;
let browser: Browser;

before(async () => {
  // The build first: the devnet serves apps/web/dist only if it exists when its gateway starts.
  await ensureWebAppBuilt();
  // Both at once; whichever started is kept for after() to stop even if the other failed.
  const [devnetStart, browserStart] = await Promise.allSettled([startWebDevnet(), launchChromium()]);
  if (devnetStart.status === 'fulfilled') web = devnetStart.value;
  if (browserStart.status === 'fulfilled') browser = browserStart.value;
  if (devnetStart.status === 'rejected') throw devnetStart.reason;
  if (browserStart.status === 'rejected') throw browserStart.reason;
});

after(async () => {
  await browser?.close();
  await web?.stop();
});

/** Checks the page with axe and photographs it: every page visited gets both. */
async function visit(page: Page, name: string, viewport: ViewportName): Promise<void> {
  await checkAccessibility(page, `${name} (${viewport})`);
  await screenshot(page, name, viewport);
}

/** "25.000000" (the API) → "$25.00" (as the app shows it); whole cents only, as these flows use. */
function usd(amount: string): string {
  const [whole, fraction = ''] = amount.split('.');
  return `$${whole}.${fraction.slice(0, 2).padEnd(2, '0')}`;
}

async function balanceOf(address: string): Promise<string> {
  const answer = await fetch(`${web.url}/v1/accounts/${address}`);
  assert.equal(answer.status, 200, await answer.clone().text());
  return ((await answer.json()) as { balance: string }).balance;
}

/** An address (of a wallet made here, in Node) on another shard than `address`. */
async function addressOnOtherShard(address: string): Promise<string> {
  const answer = await fetch(`${web.url}/v1/accounts/${address}`);
  const { shard } = (await answer.json()) as { shard: number };
  const other = createWallet({ network: web.network })
    .accounts(64)
    .find((account) => account.shard !== shard);
  assert.ok(other, `no account off shard ${shard} among the first 64`);
  return other.address;
}

function walletFlow(viewport: ViewportName) {
  describe(`at ${viewport} width`, { concurrency: 1 }, () => {
    let context: BrowserContext;
    let page: Page;
    let address: string;
    let email: string;
    let words: string[];

    before(async () => {
      context = await newViewportContext(browser, viewport, web.url);
      page = await context.newPage();
    });
    after(() => context?.close());

    it('signs up from the home page', async () => {
      await page.goto('/');
      await expectHeading(page, 'Shardpay');
      await visit(page, 'home', viewport);
      await page.getByRole('main').getByRole('link', { name: 'Create an account' }).click();
      await expectHeading(page, 'Create your account');
      await visit(page, 'signup', viewport);
      email = `web-${viewport}-${randomUUID()}@example.com`;
      await signUp(page, email, PASSWORD);
    });

    it('creates a wallet: the phrase shown once, three words confirmed, a passphrase', async () => {
      await page.getByRole('heading', { name: 'Set up your wallet' }).waitFor();
      await visit(page, 'wallet-setup', viewport);
      await page.getByRole('button', { name: 'Create a new wallet' }).click();
      words = await readRecoveryPhrase(page);
      await visit(page, 'wallet-phrase', viewport);
      await page.getByRole('button', { name: 'I have written it down' }).click();

      // A wrong word is refused in words, then the right ones pass.
      await confirmRecoveryPhrase(
        page,
        words.map(() => 'wrong'),
      );
      await page.getByRole('button', { name: 'Confirm' }).click();
      await waitForText(page.getByRole('alert'), /do not match/);
      await confirmRecoveryPhrase(page, words);
      await visit(page, 'wallet-confirm', viewport);
      await page.getByRole('button', { name: 'Confirm' }).click();

      await page.getByRole('heading', { name: 'Choose a passphrase' }).waitFor();
      await choosePassphrase(page, PASSPHRASE);
      await visit(page, 'wallet-passphrase', viewport);
      await page.getByRole('button', { name: 'Create wallet' }).click();
      await waitForBalance(page, '$0.00');
      address =
        (await page.getByRole('region', { name: 'Balance' }).getByTitle('Your address').textContent()) ?? '';
      assert.match(address, /^[a-z]+1[0-9a-z]+$/);
    });

    it('shows the bank decline for 4000 0000 0000 0002, then buys 50 with 4242…', async () => {
      await navigate(page, 'Buy', 'Buy dollars');
      await visit(page, 'buy', viewport);
      await fillBuyForm(page, '50', { number: '4000 0000 0000 0002', ...CARD });
      await page.getByRole('button', { name: 'Buy', exact: true }).click();
      await waitForText(page.getByRole('alert'), /declined/i);
      await visit(page, 'buy-declined', viewport);

      await fillBuyForm(page, '50', { number: '4242 4242 4242 4242', ...CARD });
      await page.getByRole('button', { name: 'Buy', exact: true }).click();
      await waitForText(page.getByRole('status'), /Done: the dollars are in your wallet/);
      assert.equal(await page.getByRole('alert').count(), 0, 'the decline message is gone');
      await visit(page, 'buy-succeeded', viewport);
      assert.equal(await balanceOf(address), '50.000000');

      await navigate(page, 'Wallet', 'Wallet');
      await waitForBalance(page, '$50.00');
      await waitForText(page.getByRole('region', { name: 'History' }), /Bought/);
      await visit(page, 'wallet', viewport);
    });

    it('buys 5 more with a card that asks for 3-D Secure, confirmed', async () => {
      await navigate(page, 'Buy', 'Buy dollars');
      await fillBuyForm(page, '5', { number: '4000 0027 6000 3184', ...CARD });
      await page.getByRole('button', { name: 'Buy', exact: true }).click();
      await page.getByRole('heading', { name: 'Confirm with your bank' }).waitFor();
      await visit(page, 'buy-3d-secure', viewport);
      await page.getByRole('button', { name: 'Confirm payment' }).click();
      await waitForText(page.getByRole('status'), /Done: the dollars are in your wallet/);
      assert.equal(await balanceOf(address), '55.000000');
    });

    it('shows the address to receive at, with its QR code', async () => {
      await navigate(page, 'Receive', 'Receive money');
      await page.getByRole('img', { name: `QR code of the address ${address}` }).waitFor();
      await waitForText(page.getByRole('main'), new RegExp(address));
      await visit(page, 'receive', viewport);
    });

    it('refuses a mistyped address, then sends across shards: pending → final → credited', async () => {
      const to = await addressOnOtherShard(address);
      await navigate(page, 'Send', 'Send money');
      // One character changed: the checksum catches it before anything is signed.
      const typo = `${to.slice(0, -1)}${to.endsWith('q') ? 'p' : 'q'}`;
      await page.getByLabel('Recipient address').fill(typo);
      await waitForText(page.getByRole('main'), /This address is not valid/);
      assert.equal(await page.getByLabel('Recipient address').getAttribute('aria-invalid'), 'true');
      await page.getByLabel('Recipient address').fill(to);
      await waitForText(page.getByRole('main'), /Valid address on shard \d/);
      await page.getByLabel('Amount (USD)').fill('10');
      await page.getByLabel('Note (optional)').fill('lunch');
      await visit(page, 'send', viewport);
      const statusTexts = await recordStatusTexts(page);
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      await waitForText(page.getByRole('status'), /Credited: the recipient has the money/);
      const seen = await statusTexts();
      const pendingAt = seen.findIndex((text) => text.startsWith('Pending'));
      const creditedAt = seen.findIndex((text) => text.startsWith('Credited'));
      assert.ok(pendingAt >= 0 && pendingAt < creditedAt, `pending before credited: ${JSON.stringify(seen)}`);
      await visit(page, 'send-credited', viewport);
      assert.equal(await balanceOf(to), '10.000000');
    });

    it('cashes out 20 to a bank account until it is paid', async () => {
      await navigate(page, 'Cash out', 'Cash out');
      await page.getByLabel('Amount (USD)').fill('20');
      await page.getByLabel('Routing number').fill('110000000');
      await page.getByLabel('Account number').fill('000123456789');
      await visit(page, 'cashout', viewport);
      const balanceBefore = BigInt((await balanceOf(address)).replace('.', ''));
      await page.getByRole('button', { name: 'Cash out', exact: true }).click();
      await waitForText(page.getByRole('status'), /Done: the money is on its way/, NETWORK_TIMEOUT_MS);
      await visit(page, 'cashout-paid', viewport);
      const balanceAfter = BigInt((await balanceOf(address)).replace('.', ''));
      assert.equal(balanceBefore - balanceAfter, 20_000_000n, 'the cash-out burned exactly 20');
    });

    it('locks and unlocks the wallet with its passphrase', async () => {
      const balance = usd(await balanceOf(address));
      await navigate(page, 'Wallet', 'Wallet');
      await waitForBalance(page, balance);
      await page.getByRole('button', { name: 'Lock wallet' }).click();
      await page.getByRole('heading', { name: 'Unlock your wallet' }).waitFor();
      await page.getByLabel('Passphrase').fill('not the passphrase');
      await page.getByRole('button', { name: 'Unlock' }).click();
      await waitForText(page.getByRole('alert'), /Wrong passphrase/);
      await visit(page, 'wallet-unlock', viewport);
      await page.getByLabel('Passphrase').fill(PASSPHRASE);
      await page.getByRole('button', { name: 'Unlock' }).click();
      await waitForBalance(page, balance);
    });

    it('logs out and back in', async () => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Log out' }).click();
      await expectHeading(page, 'Shardpay');
      await navigate(page, 'Log in', 'Log in');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill('not the password');
      await page.getByRole('button', { name: 'Log in' }).click();
      await waitForText(page.getByRole('alert'), /do not match/);
      await visit(page, 'login', viewport);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      await expectHeading(page, 'Wallet');
      await page.getByRole('heading', { name: /Unlock your wallet|Balance/ }).waitFor();
    });

    it('restores the wallet from its recovery phrase in another browser', async () => {
      const other = await newViewportContext(browser, viewport, web.url);
      try {
        const fresh = await other.newPage();
        await fresh.goto('/login');
        await expectHeading(fresh, 'Log in');
        await fresh.getByLabel('Email').fill(email);
        await fresh.getByLabel('Password').fill(PASSWORD);
        await fresh.getByRole('button', { name: 'Log in' }).click();
        await fresh.getByRole('button', { name: 'Restore from a recovery phrase' }).click();
        await fresh.getByRole('heading', { name: 'Restore a wallet' }).waitFor();
        await fresh.getByLabel('Recovery phrase (12 or 24 words)').fill(words.join(' '));
        await choosePassphrase(fresh, PASSPHRASE);
        await visit(fresh, 'wallet-restore', viewport);
        await fresh.getByRole('button', { name: 'Restore wallet' }).click();
        await waitForBalance(fresh, usd(await balanceOf(address)));
        const restored = await fresh
          .getByRole('region', { name: 'Balance' })
          .getByTitle('Your address')
          .textContent();
        assert.equal(restored, address, 'the same address from the same phrase');
      } finally {
        await other.close();
      }
    });

    it('says so for a page that does not exist', async () => {
      await page.goto('/no-such-page');
      await expectHeading(page, 'Page not found');
      await visit(page, 'not-found', viewport);
    });
  });
}

it('keeps the initial JavaScript under 300 KB gzipped (the build report)', () => {
  const report = readBundleReport();
  assert.ok(report.initialKb > 0 && report.initialKb < 300, report.output);
});

describe('the web wallet in Chromium', { concurrency: 2 }, () => {
  walletFlow('desktop');
  walletFlow('phone');
});
