/**
 * One run of a test's `expect` checks under way: the options of the checks agent, the state its
 * steps share (recorder, guarded context, refusals, deadline), and the evidence a verdict carries.
 */
import type { BrowserContext, Page } from 'playwright-core';
import type { HostPolicy } from '../../../core/net/host-policy.js';
import type { Clock } from '../../../core/ports.js';
import type { RunEvidence, TestDefinition } from '../../../core/types.js';
import type { BlockedRequest, GuardedContextOptions } from '../../browser/index.js';
import { readPageText } from '../../browser/visible-text.js';
import type { LookupAll } from '../../net/public-address.js';
import type { Recorder } from '../recorder.js';

/** The part of the BrowserPool the checks use. */
export interface ContextSource {
  newContext(options: GuardedContextOptions): Promise<BrowserContext>;
}

export interface ChecksOptions {
  pool: ContextSource;
  /** HOUSECAT_ALLOW_PRIVATE_NETWORK. */
  allowPrivateNetwork: boolean;
  clock?: Clock;
  /** How long to wait for expected text that scripts add after load. Default 5000 ms. */
  textWaitMs?: number;
  /** DNS resolution for the private-address check (tests). */
  lookup?: LookupAll;
}

export interface CheckRun {
  rec: Recorder;
  context: BrowserContext;
  test: TestDefinition;
  policy: HostPolicy;
  blocked: BlockedRequest[];
  deadline: number;
  /** True when the deadline is the test's own `timeout` (not a shorter budget of the runner). */
  limitIsOwn: boolean;
  options: ChecksOptions;
  clock: Clock;
  isCancelled: () => boolean;
}

const EXCERPT_CHARS = 500;
/** How long reading the page for evidence may take (it must fit the runner's grace period). */
export const EVIDENCE_MS = 1000;

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** What the page showed at the verdict: its URL, an excerpt of its text and, if asked, a screenshot. */
export async function evidence(page: Page | undefined, withScreenshot: boolean): Promise<RunEvidence> {
  if (!page || page.isClosed()) return {};
  const result: RunEvidence = { finalUrl: page.url() };
  const text = collapse((await readPageText(page, EVIDENCE_MS)).rendered);
  if (text) result.excerpt = text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
  if (withScreenshot) {
    const png = await page.screenshot({ type: 'png', timeout: 1500 }).catch(() => undefined);
    if (png) result.screenshotBase64 = png.toString('base64');
  }
  return result;
}
