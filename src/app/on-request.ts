/**
 * What people ask for on an incident issue (the Probot side is src/bot/webhook-routes.ts):
 * - `/housecat run` by someone with write access: re-run the test now and reply with the result;
 * - a person closes the issue: acknowledge the incident (no reopening, no new issue until the test
 *   has recovered and failed again).
 * A delivery (`X-GitHub-Delivery`) is processed once, even when GitHub or a proxy sends it again.
 */
import { randomUUID } from 'node:crypto';
import { canRunTests } from '../core/dashboard/access.js';
import { acknowledgeIncident } from '../core/incidents/evaluate.js';
import { markerTestId, renderRunReply } from '../core/incidents/render.js';
import type { IssueTracker } from '../core/incidents/tracker.js';
import type { Logger, Store, StoredTest } from '../core/ports.js';
import { type RunNowDeps, runTestNow } from './run-now.js';

export interface RequestDeps extends RunNowDeps {
  store: Store;
  logger: Logger;
  tracker: IssueTracker;
  /** The process's bound on concurrent runs (shared with scheduled deliveries); unset: no bound. */
  slots?: { tryAcquire(): (() => void) | null; readonly limit: number };
}

/** GitHub redeliveries (manual or automatic) come within days. */
const DELIVERY_TTL_MS = 3 * 86_400_000;
/** The comment that asks for a run. */
export const RUN_COMMAND = /^\/housecat\s+run\s*$/im;

export interface IssueLike {
  number: number;
  body?: string | null;
  pull_request?: unknown;
}

/**
 * Claims a webhook delivery id with an owner token of this request (a redelivery has another one, so
 * it is refused); returns the token, or null when the delivery was seen before.
 */
export async function firstDelivery(deps: Pick<RequestDeps, 'store'>, id: string): Promise<string | null> {
  const owner = randomUUID();
  return (await deps.store.claim(`github:delivery:${id}`, owner, DELIVERY_TTL_MS)) ? owner : null;
}

/** Forgets a delivery whose handling failed, so GitHub's redelivery tries again. */
export async function releaseDelivery(
  deps: Pick<RequestDeps, 'store'>,
  id: string,
  owner: string,
): Promise<void> {
  await deps.store.release(`github:delivery:${id}`, owner).catch(() => undefined);
}

/** The stored test of an incident issue in `repo`, or null (not ours, or a test of another repository). */
export async function testOfIssue(
  deps: Pick<RequestDeps, 'store'>,
  repo: string,
  issue: IssueLike,
): Promise<StoredTest | null> {
  if (issue.pull_request) return null;
  const testId = markerTestId(issue.body);
  if (!testId) return null;
  const stored = await deps.store.getTest(testId);
  // The marker is plain text anyone with write access can paste: only a test of this very repository counts.
  if (!stored || stored.definition.repo.toLowerCase() !== repo.toLowerCase()) return null;
  return stored;
}

/**
 * `/housecat run` on an incident issue: runs the test now (a `manual` run, which moves the incident)
 * and replies on the issue. `permissionOf` asks GitHub for the sender's permission on the repository.
 */
export async function rerunOnRequest(
  deps: RequestDeps,
  request: { repo: string; issue: IssueLike; sender: string; permissionOf: () => Promise<string> },
): Promise<void> {
  const { repo, issue, sender } = request;
  const stored = await testOfIssue(deps, repo, issue);
  if (!stored) return;
  if (!canRunTests(await request.permissionOf())) {
    await deps.tracker.comment(
      repo,
      issue.number,
      `@${sender} only people with write access to ${repo} can run HouseCat tests.`,
    );
    return;
  }
  // A manual run takes a run slot like a scheduled one: past the bound it is refused with a reply,
  // not run on top of the others.
  const release = deps.slots ? deps.slots.tryAcquire() : () => undefined;
  if (!release) {
    deps.logger.warn(
      `all ${deps.slots?.limit} run slots busy: refused /housecat run of ${stored.definition.id}`,
    );
    await deps.tracker.comment(
      repo,
      issue.number,
      `@${sender} HouseCat is running ${deps.slots?.limit} tests right now, as many as it runs at once; comment \`/housecat run\` again in a minute.`,
    );
    return;
  }
  let reply: string;
  try {
    const outcome = await runTestNow(deps, stored.definition, { kind: 'manual' });
    reply =
      outcome.kind === 'busy'
        ? `@${sender} a run of this test is already in progress; its result will show here if it changes the incident.`
        : renderRunReply(outcome.result, sender);
  } finally {
    release();
  }
  await deps.tracker.comment(repo, issue.number, reply);
}

/** A person closed an incident issue: acknowledges the incident. True when it applied. */
export async function acknowledgeOnClose(
  deps: Pick<RequestDeps, 'store' | 'logger'>,
  request: { repo: string; issue: IssueLike; sender: string },
): Promise<boolean> {
  const stored = await testOfIssue(deps, request.repo, request.issue);
  if (!stored) return false;
  const applied = await acknowledgeIncident(deps, stored.definition.id, request.issue.number);
  if (applied) {
    deps.logger.info(
      `incident of ${stored.definition.id} acknowledged by ${request.sender} (issue #${request.issue.number} closed)`,
    );
  }
  return applied;
}
