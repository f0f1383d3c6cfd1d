/**
 * Turns the tool calls of a claude run into a replay script as they happen. Only actions that
 * succeeded are kept (a failed attempt of the model is not worth repeating), reads (snapshot,
 * screenshot, scroll) are left out, and anything that cannot be recorded safely — an element with
 * no unique locator, a typed text or URL that holds a secret value — leaves the run without a script
 * rather than with a wrong or leaky one.
 */
import type { Page } from 'playwright-core';
import type { Redactor } from '../../../core/secrets/redact.js';
import type { ReplayLocator, ReplayRecording, ReplayStep } from '../../../core/types.js';
import { recordLocator } from './locator.js';

/** A step waiting for its action's outcome, `skip` (not replayed) or `broken` (cannot be recorded). */
type Pending = { step: DistributiveOmit<ReplayStep, 'after'> } | 'skip' | 'broken';
type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

export interface StepRecorder {
  /** Prepares the step of a tool call, before the action runs (its element may vanish after). */
  before(tool: string, input: Record<string, unknown>): Promise<Pending>;
  /** Keeps the prepared step of an action that succeeded, with the URL the page is at now. */
  after(pending: Pending): void;
  /** The recording of the run (with the verdict's verified evidence), or undefined when it broke. */
  finish(model: string, evidence: ReplayRecording['evidence']): ReplayRecording | undefined;
}

const text = (input: Record<string, unknown>, key: string) =>
  typeof input[key] === 'string' ? (input[key] as string) : undefined;

export function createStepRecorder(
  page: Page,
  redact: Redactor,
  timeout: () => number,
  /** The snapshot line of a ref (`button "Sign in"`), as the model saw it. */
  lineOf: (ref: string) => string | undefined,
): StepRecorder {
  const steps: ReplayStep[] = [];
  let broken = false;
  const holdsSecret = (value: string) => redact(value) !== value;

  const target = async (input: Record<string, unknown>): Promise<ReplayLocator | undefined> => {
    const ref = text(input, 'ref');
    return ref ? recordLocator(page, ref, lineOf(ref), timeout()).catch(() => undefined) : undefined;
  };

  return {
    before: (tool, input) => prepareStep(tool, input, { page, holdsSecret, target }),
    after(pending) {
      if (pending === 'skip') return;
      if (pending === 'broken') {
        broken = true;
        return;
      }
      steps.push({ ...pending.step, after: redact(page.url()) } as ReplayStep);
    },
    finish(model, evidence) {
      if (broken) return undefined;
      if (evidence.textVisible.some(holdsSecret)) return undefined;
      if (evidence.urlContains !== undefined && holdsSecret(evidence.urlContains)) return undefined;
      return {
        model,
        steps: steps.slice(),
        evidence: {
          textVisible: [...evidence.textVisible],
          ...(evidence.urlContains !== undefined ? { urlContains: evidence.urlContains } : {}),
        },
      };
    },
  };
}

/** The replay step of a tool call, prepared before the action runs (its element may vanish after). */
async function prepareStep(
  tool: string,
  input: Record<string, unknown>,
  on: {
    page: Page;
    holdsSecret: (value: string) => boolean;
    target: (input: Record<string, unknown>) => Promise<ReplayLocator | undefined>;
  },
): Promise<Pending> {
  const { page, holdsSecret, target } = on;
  const submit = input.submit === true ? { submit: true } : {};
  switch (tool) {
    case 'navigate': {
      const raw = text(input, 'url');
      if (!raw) return 'broken';
      let url: string;
      try {
        url = new URL(raw, page.url()).href;
      } catch {
        return 'broken';
      }
      return holdsSecret(url) ? 'broken' : { step: { action: 'navigate', url } };
    }
    case 'click': {
      const at = await target(input);
      return at ? { step: { action: 'click', target: at } } : 'broken';
    }
    case 'type': {
      const typed = text(input, 'text') ?? '';
      // A secret value typed as plain text must never be written down.
      if (holdsSecret(typed)) return 'broken';
      const at = await target(input);
      return at ? { step: { action: 'type', target: at, text: typed, ...submit } } : 'broken';
    }
    case 'type_secret': {
      const secret = text(input, 'name');
      const at = await target(input);
      return at && secret ? { step: { action: 'type_secret', target: at, secret, ...submit } } : 'broken';
    }
    case 'select': {
      const option = text(input, 'option');
      const at = await target(input);
      return at && option ? { step: { action: 'select', target: at, option } } : 'broken';
    }
    case 'press_key': {
      const key = text(input, 'key');
      if (!key) return 'broken';
      if (!text(input, 'ref')) return { step: { action: 'press_key', key } };
      const at = await target(input);
      return at ? { step: { action: 'press_key', key, target: at } } : 'broken';
    }
    case 'wait_for_text': {
      const wanted = text(input, 'text');
      return wanted ? { step: { action: 'wait_for_text', text: wanted } } : 'broken';
    }
    default:
      return 'skip';
  }
}
