/**
 * IssueTracker over Octokit (a Probot installation client). The rules that keep "one incident, one
 * issue" true against a real, flaky GitHub:
 *
 * - The incident issue is found by its hidden marker among open issues labelled `housecat`, listed
 *   through the issues API (consistent right after a write) — never by title, never through the
 *   search API (its index lags by minutes).
 * - Creating is never retried blindly, its timeout starts when the request is really sent, and it
 *   goes through the content throttle: see create-content.ts. After any failure that might have
 *   reached GitHub we list again and adopt the issue if it exists.
 * - Labels are created once per repository per process: concurrent first updates share one attempt.
 */
import { hasIncidentMarker } from '../../core/incidents/render.js';
import type { IssueTracker, TrackedIssue } from '../../core/incidents/tracker.js';
import type { Logger } from '../../core/ports.js';
import { type ContentCreation, createOnce, definitelyNotCreated, reconcile } from './create-content.js';
import { githubError, statusOf } from './errors.js';
import type { GitHubOctokit } from './octokit.js';
import type { ContentThrottle } from './throttle.js';

export type { GitHubOctokit } from './octokit.js';

export const LABELS = [
  { name: 'housecat', color: '5319e7', description: 'Managed by HouseCat' },
  { name: 'incident', color: 'b60205', description: 'A HouseCat test is failing' },
] as const;

export interface GitHubIssueTrackerOptions {
  /** An authenticated client for the repository (`owner/name`), e.g. the app's installation client. */
  octokitFor(repo: string): Promise<GitHubOctokit>;
  throttle: ContentThrottle;
  /** How long one create may take before we stop waiting and reconcile (default 10 s). */
  createTimeoutMs?: number;
  /** Pauses between reconciliation lists after an uncertain create (default 250, 1000, 3000 ms). */
  reconcileDelaysMs?: number[];
  logger?: Logger;
  /** The app's clock: turns GitHub's `x-ratelimit-reset` into a wait (default Date.now). */
  now?: () => number;
}

interface IssueJson {
  number: number;
  html_url: string;
  state: string;
  body?: string | null;
  pull_request?: unknown;
}

/** One tracker's clients, its way of creating content, and the labels it has seen to. */
interface Tracker extends ContentCreation {
  octokitFor(repo: string): Promise<GitHubOctokit>;
  // One promise per repository, stored before its first await: 100 concurrent first updates of a
  // repository send the label requests once, not 100 times.
  labelled: Map<string, Promise<void>>;
}

const split = (repo: string) => {
  const [owner, name] = repo.split('/') as [string, string];
  return { owner, repo: name };
};
const tracked = (i: IssueJson): TrackedIssue => ({
  number: i.number,
  url: i.html_url,
  state: i.state === 'closed' ? 'closed' : 'open',
});

/** Creates the IssueTracker over GitHub's issues API. */
export function createGitHubIssueTracker(options: GitHubIssueTrackerOptions): IssueTracker {
  const t: Tracker = {
    octokitFor: options.octokitFor,
    throttle: options.throttle,
    logger: options.logger,
    now: options.now ?? Date.now,
    createTimeoutMs: options.createTimeoutMs ?? 10_000,
    reconcileDelaysMs: options.reconcileDelaysMs ?? [250, 1000, 3000],
    labelled: new Map(),
  };
  return {
    pausedFor: () => t.throttle.pausedFor(),
    ensureIncidentIssue: (repo, testId, issue) => ensureIncidentIssue(t, repo, testId, issue),
    comment: (repo, issueNumber, body, marker) => comment(t, repo, issueNumber, body, marker),
    close: (repo, issueNumber) => closeIssue(t, repo, issueNumber),
    findIncidentIssue: (repo, testId) => findIncidentIssue(t, repo, testId),
    getIssue: (repo, issueNumber) => getIssue(t, repo, issueNumber),
  };
}

/** The open incident issue of `testId`, or a new one: created once, reconciled after an uncertain answer. */
async function ensureIncidentIssue(
  t: Tracker,
  repo: string,
  testId: string,
  issue: { title: string; body: string },
): Promise<TrackedIssue> {
  const octokit = await t.octokitFor(repo);
  try {
    const existing = await findOpen(t, octokit, repo, testId);
    if (existing) return existing;
    await ensureLabels(t, octokit, repo);
  } catch (error) {
    throw githubError('find the incident issue', repo, error);
  }
  try {
    const { data } = await createOnce(t, octokit, (request) =>
      octokit.request('POST /repos/{owner}/{repo}/issues', {
        ...split(repo),
        title: issue.title,
        body: issue.body,
        labels: LABELS.map((l) => l.name),
        request,
      }),
    );
    return tracked(data as IssueJson);
  } catch (error) {
    if (definitelyNotCreated(error)) throw githubError('create the incident issue', repo, error);
    t.logger?.warn(
      `creating the incident issue for ${testId} in ${repo} may have failed (${String(error)}); looking for it`,
    );
    const found = await reconcile(t, () => findOpen(t, octokit, repo, testId));
    if (found) return found;
    // Not visible yet: do not create again now. The incident stays recorded without an issue, and
    // the next run looks for the marker again before creating.
    throw githubError('create the incident issue', repo, error);
  }
}

/** Posts a comment; with `marker`, once: skipped when a comment carries it, reconciled after an uncertain answer. */
async function comment(
  t: Tracker,
  repo: string,
  issueNumber: number,
  body: string,
  marker?: string,
): Promise<void> {
  const octokit = await t.octokitFor(repo);
  try {
    if (marker && (await hasMarkedComment(octokit, repo, issueNumber, marker))) return;
  } catch (error) {
    throw githubError('read comments', repo, error);
  }
  const text = marker && !body.startsWith(marker) ? `${marker}\n${body}` : body;
  try {
    await createOnce(t, octokit, (request) =>
      octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        ...split(repo),
        issue_number: issueNumber,
        body: text,
        request,
      }),
    );
  } catch (error) {
    if (!marker || definitelyNotCreated(error)) throw githubError('comment on the issue', repo, error);
    const found = await reconcile(t, async () =>
      (await hasMarkedComment(octokit, repo, issueNumber, marker)) ? true : null,
    );
    if (!found) throw githubError('comment on the issue', repo, error);
  }
}

async function closeIssue(t: Tracker, repo: string, issueNumber: number): Promise<void> {
  const octokit = await t.octokitFor(repo);
  try {
    await octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
      ...split(repo),
      issue_number: issueNumber,
      state: 'closed',
      state_reason: 'completed',
    });
  } catch (error) {
    throw githubError('close the issue', repo, error);
  }
}

async function findIncidentIssue(t: Tracker, repo: string, testId: string): Promise<TrackedIssue | null> {
  const octokit = await t.octokitFor(repo);
  try {
    return await findOpen(t, octokit, repo, testId);
  } catch (error) {
    throw githubError('find the incident issue', repo, error);
  }
}

/** The issue's current state, or null when it was deleted or transferred (404, 410). */
async function getIssue(t: Tracker, repo: string, issueNumber: number): Promise<TrackedIssue | null> {
  const octokit = await t.octokitFor(repo);
  try {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}', {
      ...split(repo),
      issue_number: issueNumber,
    });
    return tracked(data as IssueJson);
  } catch (error) {
    const status = statusOf(error);
    if (status === 404 || status === 410) return null;
    throw githubError('read the issue', repo, error);
  }
}

function ensureLabels(t: Tracker, octokit: GitHubOctokit, repo: string): Promise<void> {
  const key = repo.toLowerCase();
  let done = t.labelled.get(key);
  if (!done) {
    done = createLabels(t, octokit, repo);
    t.labelled.set(key, done);
  }
  return done;
}

async function createLabels(t: Tracker, octokit: GitHubOctokit, repo: string): Promise<void> {
  for (const label of LABELS) {
    try {
      await octokit.request('POST /repos/{owner}/{repo}/labels', { ...split(repo), ...label });
    } catch (error) {
      // 422 already_exists is the normal case; anything else: GitHub creates missing labels with
      // the issue anyway, only without our colour.
      if (statusOf(error) !== 422)
        t.logger?.warn(`could not create label ${label.name} in ${repo}: ${String(error)}`);
    }
  }
}

/** The open issue carrying the incident marker of `testId` (the oldest, when several do). */
async function findOpen(
  t: Tracker,
  octokit: GitHubOctokit,
  repo: string,
  testId: string,
): Promise<TrackedIssue | null> {
  const issues = (await octokit.paginate('GET /repos/{owner}/{repo}/issues', {
    ...split(repo),
    state: 'open',
    labels: 'housecat',
    per_page: 100,
  })) as IssueJson[];
  const mine = issues
    .filter((i) => !i.pull_request && hasIncidentMarker(i.body, testId))
    .sort((a, b) => a.number - b.number);
  if (mine.length > 1) {
    t.logger?.warn(`${mine.length} open incident issues for ${testId} in ${repo}; using #${mine[0]!.number}`);
  }
  return mine[0] ? tracked(mine[0]) : null;
}

async function hasMarkedComment(octokit: GitHubOctokit, repo: string, issueNumber: number, marker: string) {
  const comments = (await octokit.paginate('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
    ...split(repo),
    issue_number: issueNumber,
    per_page: 100,
  })) as { body?: string | null }[];
  return comments.some((c) => (c.body ?? '').split('\n', 1)[0]!.trim() === marker);
}
