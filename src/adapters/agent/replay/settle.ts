/**
 * How a replay waits for the page between actions. A replay follows a script that already worked,
 * so it waits only where the page can change under it, and as briefly as that allows:
 * - after an action that led to another page when it was recorded: for that page's `load`;
 * - after an action that may change the page in place (a click, Enter, a choice in a list): for a
 *   short quiet window of network and DOM, so a single-page app has rendered;
 * - after typing into a field: not at all (the next locator waits for its element anyway).
 * The evidence check that ends a replay polls the live page, so a text that renders late is still
 * seen; and evidence is only ever positive (texts shown, URL), so checking early cannot pass a page
 * that would fail later.
 */
import type { Page } from 'playwright-core';
import type { ReplayStep } from '../../../core/types.js';
import { settlePage } from '../../browser/settle.js';

/** Quiet window after an in-place action: enough for a fetch and a render on a local or fast site. */
const QUIET_MS = 120;
/** Upper bound of that wait: a page that keeps polling must not cost more than this per step. */
const MAX_MS = 1_500;

/** True when the action may change the page without leaving it. */
export function mayChangePage(step: ReplayStep): boolean {
  switch (step.action) {
    case 'click':
    case 'select':
    case 'press_key':
      return true;
    case 'type':
    case 'type_secret':
      return step.submit === true;
    default:
      return false;
  }
}

/** Waits for the page to be quiet after an in-place action, bounded by `timeoutMs`. */
export async function settleAfterAction(page: Page, timeoutMs: number): Promise<void> {
  await settlePage(page, { quietMs: QUIET_MS, maxMs: Math.max(1, Math.min(MAX_MS, timeoutMs)) });
}
