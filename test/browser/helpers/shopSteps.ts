/// <reference lib="dom" />
// page.evaluate callbacks run in the browser: they see the DOM.
/**
 * Steps of the shop and merchant dashboard tests: a wallet restored on a chosen shard, a local
 * webhook receiver, and the page checked at both widths in one go.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NetworkConfig } from '@shardpay/protocol';
import { createWallet } from '@shardpay/sdk';
import type { Page } from 'playwright-core';
import { VIEWPORTS } from './browser.ts';
import { checkAccessibility } from './checkAccessibility.ts';
import { screenshot } from './screenshot.ts';
import { choosePassphrase, expectHeading } from './walletSteps.ts';

/** A recovery phrase whose first account lives on `shard` (tries fresh wallets until one does). */
export function phraseOnShard(network: NetworkConfig, shard: number): { words: string; address: string } {
  for (let tries = 0; tries < 256; tries++) {
    const wallet = createWallet({ network });
    const account = wallet.account(0);
    if (account.shard === shard) return { words: wallet.exportMnemonic(), address: account.address };
  }
  throw new Error(`no wallet with its first account on shard ${shard} in 256 tries`);
}

/** On the wallet page of a signed-up user: restores `words` under `passphrase` until the wallet is open. */
export async function restoreWalletInPage(page: Page, words: string, passphrase: string): Promise<void> {
  await page.getByRole('button', { name: 'Restore from a recovery phrase' }).click();
  await page.getByLabel('Recovery phrase (12 or 24 words)').fill(words);
  await choosePassphrase(page, passphrase);
  await page.getByRole('button', { name: 'Restore wallet' }).click();
  await page.getByRole('button', { name: 'Lock wallet' }).waitFor({ state: 'visible', timeout: 30_000 });
}

/**
 * Checks the page with axe and photographs it at desktop width, then at phone width (the same page,
 * resized: the flow keeps its in-memory wallet), then back to the width the flow runs at.
 */
export async function visitBothWidths(page: Page, name: string): Promise<void> {
  const original = page.viewportSize();
  try {
    for (const width of ['desktop', 'phone'] as const) {
      await page.setViewportSize(VIEWPORTS[width]);
      await checkAccessibility(page, `${name} (${width})`);
      await screenshot(page, name, width);
      if (width === 'phone') {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        if (overflow > 1) throw new Error(`${name} is ${overflow}px wider than a 375px phone screen`);
      }
    }
  } finally {
    // Back to the width the flow runs at.
    await page.setViewportSize(original ?? VIEWPORTS.desktop);
  }
}

/** The page's one h1; failing, says what the page shows instead (an alert, another page). */
export async function expectHeadingShown(page: Page, heading: string | RegExp): Promise<void> {
  try {
    await expectHeading(page, heading);
  } catch (error) {
    const shown = await page
      .getByRole('main')
      .textContent({ timeout: 1000 })
      .catch(() => null);
    throw new Error(`expected the page ${String(heading)} at ${page.url()}; it shows: ${shown}`, {
      cause: error,
    });
  }
}

/** The page's h1 and its checks at both widths. */
export async function expectPage(page: Page, heading: string | RegExp, name: string): Promise<void> {
  await expectHeadingShown(page, heading);
  await visitBothWidths(page, name);
}

export interface ReceivedWebhook {
  eventId: string;
  type: string;
  invoiceId: string | null;
}

/** A local webhook receiver answering 200 to everything and keeping what it got. */
export async function startWebhookReceiver(): Promise<{
  url: string;
  received: ReceivedWebhook[];
  close(): Promise<void>;
}> {
  const received: ReceivedWebhook[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      try {
        const event = JSON.parse(body) as { id: string; type: string; data?: { id?: string } };
        received.push({ eventId: event.id, type: event.type, invoiceId: event.data?.id ?? null });
      } catch {
        received.push({ eventId: '', type: 'unparsable', invoiceId: null });
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
