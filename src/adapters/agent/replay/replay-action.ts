/**
 * One recorded action performed again on the live page. A missing, ambiguous or refusing element is
 * a divergence ({@link Diverged}) at that step of the script, never a verdict on the site.
 */
import type { Page } from 'playwright-core';
import { describeLocator } from '../../../core/replay/index.js';
import type { ReplayStep } from '../../../core/types.js';
import { resolveLocator } from './locator.js';

/** How long a replayed step waits for its element, unless HOUSECAT_ELEMENT_WAIT_MS says otherwise. */
export const ELEMENT_WAIT_MS = 5_000;

/** Where a replay left its script: the step (0: opening the start URL, steps+1: the evidence) and why. */
export class Diverged extends Error {
  constructor(
    readonly step: number,
    readonly problem: string,
  ) {
    super(problem);
  }
}

/**
 * Performs one recorded action; a missing element or a failed action is a divergence at step `n`.
 * `elementWaitMs` bounds the wait for the step's element (twice that for a `wait_for_text` step).
 */
export async function act(
  page: Page,
  step: ReplayStep,
  n: number,
  secrets: Record<string, string>,
  remaining: () => number,
  elementWaitMs = ELEMENT_WAIT_MS,
): Promise<void> {
  const timeout = Math.min(10_000, remaining());
  if (step.action === 'navigate') {
    await page.goto(step.url, { timeout, waitUntil: 'load' }).catch((error: unknown) => {
      throw new Diverged(n, `could not open ${step.url}: ${firstLine(error)}`);
    });
    return;
  }
  if (step.action === 'wait_for_text') {
    await page
      .getByText(step.text)
      .first()
      .waitFor({ state: 'visible', timeout: Math.min(elementWaitMs * 2, timeout) })
      .catch(() => {
        throw new Diverged(n, `text '${step.text}' did not appear`);
      });
    return;
  }
  if (step.action === 'press_key' && !step.target) {
    await page.keyboard.press(step.key);
    return;
  }
  const target = step.target;
  if (!target) throw new Diverged(n, `step ${step.action} has no element`);
  const locator = resolveLocator(page, target);
  const described = describeLocator(target);
  // Locators are strict and actions wait for their element: one round trip finds the element,
  // checks that it is the only match and acts, where a separate wait and count would cost two more.
  const wait = Math.min(elementWaitMs, timeout);
  try {
    switch (step.action) {
      case 'click':
        await locator.click({ timeout: wait });
        break;
      case 'type':
        await locator.fill(step.text, { timeout: wait });
        if (step.submit) await locator.press('Enter', { timeout });
        break;
      case 'type_secret': {
        const value = secrets[step.secret];
        if (value === undefined) throw new Diverged(n, `the secret ${step.secret} is not set`);
        await locator.fill(value, { timeout: wait });
        if (step.submit) await locator.press('Enter', { timeout });
        break;
      }
      case 'select':
        await locator
          .selectOption({ label: step.option }, { timeout: wait })
          .catch(() => locator.selectOption(step.option, { timeout: wait }));
        break;
      case 'press_key':
        await locator.press(step.key, { timeout: wait });
        break;
    }
  } catch (error) {
    if (error instanceof Diverged) throw error;
    const message = firstLine(error);
    const ambiguous = /strict mode violation: .* resolved to (\d+) elements/.exec(message);
    if (ambiguous) throw new Diverged(n, `${described} is ambiguous (${ambiguous[1]} elements match)`);
    const found = await locator.count().catch(() => 0);
    if (found === 0) throw new Diverged(n, `${described} not found`);
    throw new Diverged(n, `${step.action} on ${described} failed: ${message}`);
  }
}

/** The first line of a thrown value's message. */
export function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
