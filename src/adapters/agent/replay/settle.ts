/**
 * Lets the page settle after a replayed action: the navigation it started is parsed and loaded, and
 * two animation frames have passed so scripts that render on the next frame have run. A stop-gap
 * for the shared settlePage of src/adapters/browser/settle.ts (issue 13); swap to it once merged.
 */
import type { Page } from 'playwright-core';

export async function settle(page: Page, timeoutMs: number): Promise<void> {
  const budget = Math.max(1, timeoutMs);
  await page
    .waitForLoadState('domcontentloaded', { timeout: Math.min(5_000, budget) })
    .catch(() => undefined);
  await page.waitForLoadState('load', { timeout: Math.min(3_000, budget) }).catch(() => undefined);
  await page
    .evaluate(
      () =>
        new Promise<void>((resolve) => {
          requestAnimationFrame(() => requestAnimationFrame(() => resolve()));
          // A background tab never paints: do not wait forever for frames.
          setTimeout(resolve, 200);
        }),
    )
    .catch(() => undefined);
}
