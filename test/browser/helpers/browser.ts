/**
 * Debian's Chromium driven by playwright-core (no browser download: CI installs the `chromium`
 * package). A missing browser fails the test with the fix, never skips it silently.
 */
import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** The two widths every flow runs at: a laptop and a small phone. */
export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 375, height: 812 },
} as const;

export type ViewportName = keyof typeof VIEWPORTS;

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `${CHROMIUM_PATH} is missing: the browser tests drive Debian's Chromium. Install it with ` +
        '`apt-get install -y chromium` (.ci/run does this in CI).',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox'] });
}

/** A fresh context (its own storage: its own wallet) at one of the two widths. */
export function newViewportContext(browser: Browser, viewport: ViewportName, baseURL: string) {
  const phone = viewport === 'phone';
  return browser.newContext({
    baseURL,
    viewport: VIEWPORTS[viewport],
    deviceScaleFactor: 1,
    isMobile: phone,
    hasTouch: phone,
  }) satisfies Promise<BrowserContext>;
}
