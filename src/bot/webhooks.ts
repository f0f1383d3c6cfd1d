/**
 * GitHub webhooks (verified by Probot with WEBHOOK_SECRET before they get here):
 * - `issue_comment.created` with `/housecat run` on an incident issue, by someone with write access:
 *   run the test now and reply with the result;
 * - `issues.closed` by a person: acknowledge the incident (no reopening, no new issue until the test
 *   has recovered and failed again).
 * A delivery (`X-GitHub-Delivery`) is processed once, even when GitHub or a proxy sends it again.
 */
import { randomUUID } from 'node:crypto';
import type { Context, Probot } from 'probot';
import type { InstallationClients } from '../adapters/github/installations.js';
import { acknowledgeIncident } from '../core/incidents/evaluate.js';
import { markerTestId, renderRunReply } from '../core/incidents/render.js';
import type { IssueTracker } from '../core/incidents/tracker.js';
import type { Logger, Store } from '../core/ports.js';
import { type RunNowDeps, runTestNow } from './run-now.js';

export interface WebhookDeps extends RunNowDeps {
  store: Store;
  logger: Logger;
  tracker: IssueTracker;
  installations: InstallationClients;
}

/** GitHub redeliveries (manual or automatic) come within days. */
const DELIVERY_TTL_MS = 3 * 86_400_000;
const WRITE = new Set(['admin', 'maintain', 'write']);
const COMMAND = /^\/housecat\s+run\s*$/im;

interface IssueLike {
  number: number;
  body?: string | null;
  pull_request?: unknown;
}

/**
 * Claims a webhook delivery id with an owner token of this request (a redelivery has another one, so
 * it is refused); returns the token, or null when the delivery was seen before.
 */
async function firstDelivery(deps: WebhookDeps, id: string): Promise<string | null> {
  const owner = randomUUID();
  return (await deps.store.claim(`github:delivery:${id}`, owner, DELIVERY_TTL_MS)) ? owner : null;
}

/** The stored test of an incident issue in `repo`, or null (not ours, or a test of another repository). */
async function testOfIssue(deps: WebhookDeps, repo: string, issue: IssueLike) {
  if (issue.pull_request) return null;
  const testId = markerTestId(issue.body);
  if (!testId) return null;
  const stored = await deps.store.getTest(testId);
  // The marker is plain text anyone with write access can paste: only a test of this very repository counts.
  if (!stored || stored.definition.repo.toLowerCase() !== repo.toLowerCase()) return null;
  return stored;
}

export function registerWebhooks(probot: Probot, deps: WebhookDeps): void {
  probot.on('issue_comment.created', async (context) => {
    const { comment, sender } = context.payload;
    if (sender.type === 'Bot' || !COMMAND.test(comment.body)) return;
    const owner = await firstDelivery(deps, context.id);
    if (owner === null) return;
    try {
      await runCommand(context, deps);
    } catch (error) {
      // Let GitHub's redelivery try again.
      await deps.store.release(`github:delivery:${context.id}`, owner).catch(() => undefined);
      throw error;
    }
  });
  registerClose(probot, deps);
}

async function runCommand(context: Context<'issue_comment.created'>, deps: WebhookDeps): Promise<void> {
  const { issue, repository, sender, installation } = context.payload;
  const repo = repository.full_name;
  if (installation) deps.installations.remember(repo, installation.id);
  const stored = await testOfIssue(deps, repo, issue);
  if (!stored) return;
  const { data: perm } = await context.octokit.request(
    'GET /repos/{owner}/{repo}/collaborators/{username}/permission',
    {
      owner: repository.owner.login,
      repo: repository.name,
      username: sender.login,
    },
  );
  if (!WRITE.has(perm.permission)) {
    await deps.tracker.comment(
      repo,
      issue.number,
      `@${sender.login} only people with write access to ${repo} can run HouseCat tests.`,
    );
    return;
  }
  const outcome = await runTestNow(deps, stored.definition, { kind: 'manual' });
  const reply =
    outcome.kind === 'busy'
      ? `@${sender.login} a run of this test is already in progress; its result will show here if it changes the incident.`
      : renderRunReply(outcome.result, sender.login);
  await deps.tracker.comment(repo, issue.number, reply);
}

function registerClose(probot: Probot, deps: WebhookDeps): void {
  probot.on('issues.closed', async (context) => {
    const { issue, repository, sender } = context.payload;
    // HouseCat closes issues itself on recovery: only a person's close is an acknowledgement.
    if (sender.type === 'Bot') return;
    if ((await firstDelivery(deps, context.id)) === null) return;
    const stored = await testOfIssue(deps, repository.full_name, issue);
    if (!stored) return;
    if (await acknowledgeIncident(deps, stored.definition.id, issue.number)) {
      deps.logger.info(
        `incident of ${stored.definition.id} acknowledged by ${sender.login} (issue #${issue.number} closed)`,
      );
    }
  });
}
