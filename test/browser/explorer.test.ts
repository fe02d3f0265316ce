/**
 * The explorer and the network view in a real browser (Debian's Chromium, headless) against a real
 * devnet (2 shards × 1 validator, its gateway serving the built app). In Node, the devnet faucet funds
 * a shard-0 address and a transfer signed here sends part of it to shard 1; then, in the browser, at
 * desktop (1280×800) and phone (375×812) width: explorer home → shard 0 → the transfer's block → the
 * transaction → its cross-shard receipt → "Verify receipt" (the SDK's light-client checks run in the
 * page: all pass); the recipient found with the search box → "Verify balance" passes; the network
 * view shows both shards' throughput and the reserve against the supply. Every page is checked with
 * axe-core and photographed into docs/screenshots/. (A tampered proof failing is unit-tested in
 * packages/sdk/test/verifyProofs.test.ts.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createWallet, type GatewayExplorerTransaction, type WalletAccount } from '@shardpay/sdk';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, newViewportContext, type ViewportName } from './helpers/browser.ts';
import { ensureWebAppBuilt } from './helpers/buildWebApp.ts';
import { fundFromFaucet, relayTransfer, waitForTransaction } from './helpers/chainSteps.ts';
import { checkAccessibility } from './helpers/checkAccessibility.ts';
import { screenshot } from './helpers/screenshot.ts';
import { expectHeading, NETWORK_TIMEOUT_MS, navigate, waitForText } from './helpers/walletSteps.ts';
import { startWebDevnet, type WebDevnet } from './helpers/webDevnet.ts';

let web: WebDevnet;
let browser: Browser;
let recipient: WalletAccount;
/** The cross-shard transfer once credited on shard 1. */
let transfer: GatewayExplorerTransaction;

before(async () => {
  await ensureWebAppBuilt();
  const [devnetStart, browserStart] = await Promise.allSettled([startWebDevnet(), launchChromium()]);
  if (devnetStart.status === 'fulfilled') web = devnetStart.value;
  if (browserStart.status === 'fulfilled') browser = browserStart.value;
  if (devnetStart.status === 'rejected') throw devnetStart.reason;
  if (browserStart.status === 'rejected') throw browserStart.reason;

  const accounts = createWallet({ network: web.network }).accounts(64);
  const sender = accounts.find((account) => account.shard === 0);
  const found = accounts.find((account) => account.shard === 1);
  assert.ok(sender && found, 'no accounts on both shards among the first 64');
  recipient = found;
  await fundFromFaucet(web.url, sender.address, '100.000000');
  const txId = await relayTransfer(web.url, sender, recipient.address, '12.500000');
  transfer = await waitForTransaction(web.url, txId, (tx) => tx.status === 'credited');
  assert.ok(transfer.receipt_id, `the credited transfer has no receipt_id: ${JSON.stringify(transfer)}`);
});

after(async () => {
  await browser?.close();
  await web?.stop();
});

async function visit(page: Page, name: string, viewport: ViewportName): Promise<void> {
  await checkAccessibility(page, `${name} (${viewport})`);
  await screenshot(page, name, viewport);
}

/** The height of the block of shard 0 that made the transfer final. */
function finalHeight(): string {
  const stage = transfer.stages.find((entry) => entry.stage === 'final' && entry.shard === 0);
  assert.ok(stage?.height, `no final stage on shard 0: ${JSON.stringify(transfer.stages)}`);
  return stage.height;
}

/** Waits for the verify panel's verdict and checks every one of its checks passed. */
async function expectVerified(page: Page): Promise<void> {
  const status = page.getByRole('status').filter({ hasText: /verified/i });
  await waitForText(status, /Verified: all checks passed\./, 15_000);
  const text = (await status.first().textContent()) ?? '';
  assert.doesNotMatch(text, /Failed:/, text);
  for (const check of ['genesis committee', 'certified block', 'root']) assert.match(text, new RegExp(check));
  assert.equal((text.match(/Passed:/g) ?? []).length, 4, text);
}

function explorerFlow(viewport: ViewportName) {
  describe(`at ${viewport} width`, { concurrency: 1 }, () => {
    let context: BrowserContext;
    let page: Page;

    before(async () => {
      context = await newViewportContext(browser, viewport, web.url);
      page = await context.newPage();
    });
    after(() => context?.close());

    it('explorer home → shard → block → transaction → receipt, and the receipt verifies', async () => {
      await page.goto('/');
      await navigate(page, 'Explorer', 'Explorer');
      await page.getByRole('heading', { name: 'Shard 1' }).waitFor();
      await waitForText(page.getByRole('main'), /Validator 0:/);
      await visit(page, 'explorer', viewport);

      await page.getByRole('main').getByRole('link', { name: 'Shard 0', exact: true }).click();
      await expectHeading(page, 'Shard 0');
      const height = finalHeight();
      const blockLink = page.getByRole('link', { name: `Block ${height}`, exact: true });
      await page.getByRole('table').waitFor();
      // Newer blocks may have pushed it off the first page: page back until it shows (bounded).
      for (let pages = 0; (await blockLink.count()) === 0 && pages < 20; pages++) {
        const rows = await page.getByRole('row').count();
        await page.getByRole('button', { name: 'Older blocks' }).click();
        await page.waitForFunction((before) => document.querySelectorAll('tr').length > before, rows);
      }
      await visit(page, 'explorer-shard', viewport);
      await blockLink.click();
      await expectHeading(page, `Block ${height} of shard 0`);
      await page.getByRole('heading', { name: 'Commit certificate' }).waitFor();
      await visit(page, 'explorer-block', viewport);

      await page.getByRole('link', { name: new RegExp(`^${transfer.tx_id.slice(0, 10)}`) }).click();
      await expectHeading(page, 'Transaction');
      await waitForText(page.getByTestId('tx-status'), /Credited/);
      await waitForText(page.getByRole('list').filter({ hasText: 'Credited' }), /Credited on shard 1/);
      await visit(page, 'explorer-transaction', viewport);

      await page.getByRole('link', { name: /Its cross-shard receipt/ }).click();
      await expectHeading(page, 'Cross-shard receipt');
      await waitForText(page.getByRole('main'), /\$12\.50/);
      await page.getByRole('button', { name: 'Verify receipt' }).click();
      await expectVerified(page);
      await visit(page, 'explorer-receipt', viewport);
    });

    it('finds the recipient with the search box, and its balance verifies', async () => {
      await navigate(page, 'Explorer', 'Explorer');
      await page.getByLabel('Address, transaction id or block height').fill(recipient.address);
      await page.getByRole('button', { name: 'Search' }).click();
      await expectHeading(page, 'Account');
      await waitForText(page.getByTestId('account-balance'), /\$12\.50/);
      await waitForText(page.getByRole('main'), new RegExp(transfer.tx_id.slice(0, 10)));
      await page.getByRole('button', { name: 'Verify balance' }).click();
      await expectVerified(page);
      await visit(page, 'explorer-account', viewport);
    });

    it('shows a transaction id nobody sent as not found, in words', async () => {
      await page.goto(`/explorer/tx/${'ab'.repeat(32)}`);
      await expectHeading(page, 'Transaction');
      await waitForText(page.getByRole('alert'), /could not find/i);
    });

    it('the network view shows both shards live and the reserve against the supply', async () => {
      await page.goto('/');
      await navigate(page, 'Network', 'Network');
      for (const shard of [0, 1]) {
        await waitForText(page.getByTestId(`tps-${shard}`), /^\d+\.\d{2} tx\/s$/);
        await page
          .getByRole('img', { name: new RegExp(`Intervals between the last \\d+ blocks of shard ${shard}`) })
          .waitFor();
      }
      await waitForText(page.getByTestId('reserve-verdict'), /reserve (matches|differs)/, NETWORK_TIMEOUT_MS);
      await visit(page, 'network', viewport);
    });
  });
}

// Both widths at once, each in its own browser context: the chain set-up above is shared.
describe('the explorer and the network view in Chromium', { concurrency: 2 }, () => {
  explorerFlow('desktop');
  explorerFlow('phone');
});
