/**
 * Lets the page settle after a replayed action, exactly as the agent's snapshots do: the navigation
 * the action started is parsed, then the shared settlePage waits for network quiet and a stable DOM
 * (bounded at 2 s), so a single-page app has rendered before the next locator is looked up.
 */
import type { Page } from 'playwright-core';
import { settlePage } from '../../browser/settle.js';

export async function settle(page: Page, timeoutMs: number): Promise<void> {
  const budget = Math.max(1, timeoutMs);
  await page
    .waitForLoadState('domcontentloaded', { timeout: Math.min(5_000, budget) })
    .catch(() => undefined);
  await settlePage(page, { maxMs: Math.min(2_000, budget) });
}
