/// <reference lib="dom" />
// page.evaluate callbacks run in the browser: they see the DOM.
/**
 * axe-core in the page under test: any violation of impact serious or critical fails the test,
 * listed with the rule, its help text and the offending elements, so the report says what to fix.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

/** Runs axe on `page` as it is now; `name` says which page in the failure message. */
export async function checkAccessibility(page: Page, name: string): Promise<void> {
  const injected = await page.evaluate(() => 'axe' in window);
  if (!injected) await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document) => Promise<unknown> } }).axe;
    const results = (await axe.run(document)) as { violations: unknown[] };
    return results.violations;
  });
  const serious = (violations as AxeViolation[]).filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  );
  const listing = serious
    .map(
      (violation) =>
        `- ${violation.id} (${violation.impact}): ${violation.help}\n` +
        violation.nodes
          .slice(0, 5)
          .map((node) => `    at ${JSON.stringify(node.target)}: ${node.failureSummary ?? ''}`)
          .join('\n'),
    )
    .join('\n');
  assert.equal(serious.length, 0, `axe found serious or critical violations on ${name}:\n${listing}`);
}
