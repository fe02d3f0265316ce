/// <reference lib="dom" />
// page.evaluate callbacks run in the browser: they see the DOM.
/**
 * The steps a person takes in the web app, driven the way they see it: by role, label and button
 * text (never CSS classes), so a page that loses a label or a heading fails here first.
 */
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';

/** Bounds for what the network does in the background (mint, cross-shard credit, payout). */
export const NETWORK_TIMEOUT_MS = 45_000;

/** Waits until `locator` shows text matching `pattern`, failing with what it showed instead. */
export async function waitForText(locator: Locator, pattern: RegExp, timeoutMs = NETWORK_TIMEOUT_MS) {
  try {
    await locator.filter({ hasText: pattern }).first().waitFor({ state: 'visible', timeout: timeoutMs });
  } catch (error) {
    const shown = await locator.allTextContents().catch(() => []);
    throw new Error(`expected ${pattern} within ${timeoutMs} ms; shown: ${JSON.stringify(shown)}`, {
      cause: error,
    });
  }
}

/** The page's one h1, waited for and checked, so a page without a heading fails clearly. */
export async function expectHeading(page: Page, name: string | RegExp): Promise<void> {
  await page.getByRole('heading', { level: 1, name }).waitFor({ state: 'visible' });
  assert.equal(await page.getByRole('heading', { level: 1 }).count(), 1, 'one h1 per page');
}

/** A link of the main navigation bar (client-side: the unlocked wallet stays in memory). */
export async function navigate(page: Page, link: string, heading: string | RegExp): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link, exact: true }).click();
  await expectHeading(page, heading);
}

export async function signUp(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expectHeading(page, 'Wallet');
}

/** The 12 words of the recovery phrase shown once by "Create a new wallet". */
export async function readRecoveryPhrase(page: Page): Promise<string[]> {
  const items = page.getByRole('list', { name: 'Recovery phrase' }).getByRole('listitem');
  await items.first().waitFor({ state: 'visible' });
  const words = (await items.allTextContents()).map((word) => word.trim());
  assert.equal(words.length, 12, `a 12-word phrase, got ${JSON.stringify(words)}`);
  for (const word of words) assert.match(word, /^[a-z]+$/);
  return words;
}

/** Answers the "Word #N" questions from the phrase read before. */
export async function confirmRecoveryPhrase(page: Page, words: string[]): Promise<void> {
  const labels = page.locator('label').filter({ hasText: /^Word #\d+$/ });
  await labels.first().waitFor({ state: 'visible' });
  const asked = await labels.allTextContents();
  assert.equal(asked.length, 3, `three words asked back, got ${JSON.stringify(asked)}`);
  for (const label of asked) {
    const position = Number(/#(\d+)/.exec(label)?.[1]);
    await page.getByLabel(label, { exact: true }).fill(words[position - 1]!);
  }
}

export async function choosePassphrase(page: Page, passphrase: string): Promise<void> {
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByLabel('Repeat the passphrase').fill(passphrase);
}

/** The balance shown on the wallet page, waited for until it reads `expected` (e.g. "$50.00"). */
export async function waitForBalance(page: Page, expected: string): Promise<void> {
  const balance = page.getByRole('region', { name: 'Balance' });
  await waitForText(balance, new RegExp(`\\${expected}(?![0-9])`));
}

export interface CardEntry {
  number: string;
  expiry: string;
  cvc: string;
}

export async function fillBuyForm(page: Page, amount: string, card: CardEntry): Promise<void> {
  await page.getByLabel('Amount (USD)').fill(amount);
  await page.getByLabel('Card number').fill(card.number);
  await page.getByLabel('Expiry (MM/YY)').fill(card.expiry);
  await page.getByLabel('CVC').fill(card.cvc);
}

/**
 * Records every text the page's live regions (role="status") show from now on, so a test can check
 * the progress went through each stage even when a stage lasts less than a poll.
 */
export async function recordStatusTexts(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen: string[] = [];
    const record = () => {
      for (const element of document.querySelectorAll('[role="status"]')) {
        const text = element.textContent ?? '';
        if (seen.at(-1) !== text) seen.push(text);
      }
    };
    new MutationObserver(record).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
    });
    (window as unknown as { statusTexts: string[] }).statusTexts = seen;
  });
  return () => page.evaluate(() => [...(window as unknown as { statusTexts: string[] }).statusTexts]);
}
