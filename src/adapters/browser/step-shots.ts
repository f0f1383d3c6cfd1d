/**
 * What the agent saw (issue 29): a small JPEG of the viewport after each step, of which only the
 * last few are held, so a failed or inconclusive run can show the failed step and the two before
 * it. Views are taken in the background, one at a time (a burst of steps is coalesced into one
 * view of the newest), mostly while the model is thinking; a view that fails or takes too long is
 * skipped, never the run. Fields a secret was typed into are masked.
 */
import type { Locator, Page } from 'playwright-core';
import type { Clock } from '../../core/ports.js';
import type { StepShot } from '../../core/types.js';

/** JPEG quality: a readable page at a few tens of KB. */
export const SHOT_QUALITY = 50;
/** Views held: the failed step and the two before it. */
export const SHOTS_KEPT = 3;
const SHOT_TIMEOUT_MS = 1_500;

export interface StepShots {
  /** Asks for a view of the page after step `step` (taken in the background). */
  after(step: number, label: string): void;
  /** Waits for the view in progress, takes one more after `step` (the last), returns the last {@link SHOTS_KEPT}. */
  finish(step: number, label: string): Promise<StepShot[]>;
  /** Stops taking views (a passing run keeps none). */
  discard(): void;
}

export function createStepShots(page: Page, mask: () => Locator[], clock: Clock): StepShots {
  const held: StepShot[] = [];
  let wanted: { step: number; label: string } | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;

  const capture = async (step: number, label: string): Promise<void> => {
    if (page.isClosed()) return;
    const jpeg = await page
      .screenshot({ type: 'jpeg', quality: SHOT_QUALITY, mask: mask(), timeout: SHOT_TIMEOUT_MS })
      .catch(() => undefined);
    if (!jpeg) return;
    // A newer view of the same step replaces the older one.
    const same = held.findIndex((s) => s.step === step);
    if (same >= 0) held.splice(same, 1);
    held.push({ step, label: label.slice(0, 200), at: clock.now(), jpegBase64: jpeg.toString('base64') });
    while (held.length > SHOTS_KEPT) held.shift();
  };

  const drain = async (): Promise<void> => {
    while (wanted && !stopped) {
      const next = wanted;
      wanted = null;
      await capture(next.step, next.label);
    }
    running = null;
  };

  return {
    after(step, label) {
      if (stopped) return;
      wanted = { step, label };
      running ??= drain();
    },
    async finish(step, label) {
      wanted = null;
      await running;
      if (!stopped) await capture(step, label);
      stopped = true;
      return [...held].sort((a, b) => a.step - b.step);
    },
    discard() {
      stopped = true;
      wanted = null;
      held.length = 0;
    },
  };
}
