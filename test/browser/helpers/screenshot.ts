/**
 * Screenshots made by the test run into docs/screenshots/<name>-<desktop|phone>.png (committed: the
 * README shows the main ones), so the pictures always show the app as it is.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { ViewportName } from './browser.ts';
import { repoRoot } from './buildWebApp.ts';

export const screenshotDir = join(repoRoot, 'docs', 'screenshots');

export async function screenshot(page: Page, name: string, viewport: ViewportName): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}-${viewport}.png`);
  // Animations stopped and the caret hidden, so two runs of the same page give the same picture.
  await page.screenshot({ path, fullPage: true, animations: 'disabled', caret: 'hide' });
  return path;
}
