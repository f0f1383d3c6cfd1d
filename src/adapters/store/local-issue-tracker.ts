/**
 * The IssueTracker port kept in Redis, for `housecat up` without a GitHub token: an incident's
 * "issue" (title, body, comments, open or closed) lives beside the results, numbered per repository,
 * and is shown on the local pages. Everything above the port — the incident decision, the outbox,
 * the summary posted on recovery — is the app's own, so local incidents open and close exactly when
 * GitHub issues would.
 *
 * Keys (under HOUSECAT_REDIS_PREFIX): `local:issue-seq:{repo}` (counter), `local:issue:{repo}:{n}`
 * (hash), `local:issue-comments:{repo}:{n}` (list of JSON), `local:issue-of:{repo}:{testId}` (the
 * open issue's number). A closed issue and its comments expire after the retention.
 */

import type { IssueTracker, TrackedIssue } from '../../core/incidents/tracker.js';
import { DAY_MS } from '../../core/time.js';
import type { RedisStore } from './redis-store.js';
import type { Transport } from './transport.js';

export interface LocalIssue {
  number: number;
  repo: string;
  testId: string;
  title: string;
  body: string;
  state: 'open' | 'closed';
  createdAt: number;
  closedAt?: number;
  comments: { body: string; at: number }[];
}

export interface LocalIssueTracker extends IssueTracker {
  /** One issue with its comments, or null. */
  read(repo: string, number: number): Promise<LocalIssue | null>;
}

export interface LocalIssueOptions {
  /** The page of issue `n` (`{page}/local/{repo}/issues/{n}`). */
  urlOf(repo: string, number: number): string;
  /** Told of each opening and closing (`housecat up` prints one line). */
  onChange?(change: { kind: 'opened' | 'closed'; issue: TrackedIssue; repo: string; title: string }): void;
  now?: () => number;
  /** How long a closed issue is kept (default 90 days). */
  retentionMs?: number;
}

/** One tracker's connection, key names, clock and retention. */
interface LocalTracker {
  transport: Transport;
  /** The store's key prefix (HOUSECAT_REDIS_PREFIX). */
  prefix: string;
  options: LocalIssueOptions;
  now: () => number;
  /** How long a closed issue is kept, in seconds (for EXPIRE). */
  retentionS: string;
}

/** Builds the tracker over the store's Redis connection. */
export function createLocalIssueTracker(store: RedisStore, options: LocalIssueOptions): LocalIssueTracker {
  const lt: LocalTracker = {
    transport: store.transport,
    prefix: store.keys.prefix,
    options,
    now: options.now ?? Date.now,
    retentionS: String(Math.round((options.retentionMs ?? 90 * DAY_MS) / 1000)),
  };
  return {
    findIncidentIssue: (repo, testId) => findIncidentIssue(lt, repo, testId),
    ensureIncidentIssue: (repo, testId, issue) => ensureIncidentIssue(lt, repo, testId, issue),
    comment: (repo, issueNumber, body, marker) => comment(lt, repo, issueNumber, body, marker),
    close: (repo, issueNumber) => close(lt, repo, issueNumber),
    getIssue: async (repo, issueNumber) => {
      const state = await stateOf(lt, repo, issueNumber);
      return state ? tracked(lt, repo, issueNumber, state) : null;
    },
    read: (repo, number) => read(lt, repo, number),
  };
}

const issueKey = ({ prefix: p }: LocalTracker, repo: string, n: number) =>
  `${p}local:issue:${repo.toLowerCase()}:${n}`;
const commentsKey = ({ prefix: p }: LocalTracker, repo: string, n: number) =>
  `${p}local:issue-comments:${repo.toLowerCase()}:${n}`;
const openKey = ({ prefix: p }: LocalTracker, repo: string, testId: string) =>
  `${p}local:issue-of:${repo.toLowerCase()}:${testId}`;

function tracked(lt: LocalTracker, repo: string, n: number, state: 'open' | 'closed'): TrackedIssue {
  return { number: n, url: lt.options.urlOf(repo, n), state };
}

async function stateOf(lt: LocalTracker, repo: string, n: number): Promise<'open' | 'closed' | null> {
  const state = await lt.transport.command('local issue state', ['HGET', issueKey(lt, repo, n), 'state']);
  return state === 'open' || state === 'closed' ? state : null;
}

async function findIncidentIssue(
  lt: LocalTracker,
  repo: string,
  testId: string,
): Promise<TrackedIssue | null> {
  const n = Number(await lt.transport.command('local issue lookup', ['GET', openKey(lt, repo, testId)]));
  if (!Number.isInteger(n) || n <= 0) return null;
  return (await stateOf(lt, repo, n)) === 'open' ? tracked(lt, repo, n, 'open') : null;
}

/** The open issue of `testId`, or a new one with the next number of the repository. */
async function ensureIncidentIssue(
  lt: LocalTracker,
  repo: string,
  testId: string,
  issue: { title: string; body: string },
): Promise<TrackedIssue> {
  const existing = await findIncidentIssue(lt, repo, testId);
  if (existing) return existing;
  const { transport: t, prefix: p } = lt;
  const n = Number(
    await t.command('local issue number', ['INCR', `${p}local:issue-seq:${repo.toLowerCase()}`]),
  );
  const fields = {
    repo,
    testId,
    title: issue.title,
    body: issue.body,
    state: 'open',
    createdAt: String(lt.now()),
  };
  await t.transaction('local issue create', [
    ['HSET', issueKey(lt, repo, n), ...Object.entries(fields).flat()],
    ['SET', openKey(lt, repo, testId), String(n)],
  ]);
  const opened = tracked(lt, repo, n, 'open');
  lt.options.onChange?.({ kind: 'opened', issue: opened, repo, title: issue.title });
  return opened;
}

/** Adds a comment; with `marker`, only when no comment carries it yet. */
async function comment(lt: LocalTracker, repo: string, issueNumber: number, body: string, marker?: string) {
  const key = commentsKey(lt, repo, issueNumber);
  if (marker) {
    const all = (await lt.transport.command('local issue comments', ['LRANGE', key, '0', '-1'])) as string[];
    if (all.some((c) => (JSON.parse(c) as { body: string }).body.includes(marker))) return;
  }
  await lt.transport.command('local issue comment', ['RPUSH', key, JSON.stringify({ body, at: lt.now() })]);
}

/** Closes an open issue: it is no longer the test's open one, and it and its comments expire after the retention. */
async function close(lt: LocalTracker, repo: string, issueNumber: number): Promise<void> {
  const key = issueKey(lt, repo, issueNumber);
  const fields = (await lt.transport.command('local issue read', [
    'HMGET',
    key,
    'state',
    'testId',
    'title',
  ])) as (string | null)[];
  const [state, testId, title] = fields;
  if (state !== 'open') return;
  await lt.transport.transaction('local issue close', [
    ['HSET', key, 'state', 'closed', 'closedAt', String(lt.now())],
    ['DEL', openKey(lt, repo, testId ?? '')],
    ['EXPIRE', key, lt.retentionS],
    ['EXPIRE', commentsKey(lt, repo, issueNumber), lt.retentionS],
  ]);
  lt.options.onChange?.({
    kind: 'closed',
    issue: tracked(lt, repo, issueNumber, 'closed'),
    repo,
    title: title ?? '',
  });
}

/** One issue with its comments, for its local page. */
async function read(lt: LocalTracker, repo: string, number: number): Promise<LocalIssue | null> {
  const [fields, comments] = (await lt.transport.pipeline('local issue page', [
    ['HGETALL', issueKey(lt, repo, number)],
    ['LRANGE', commentsKey(lt, repo, number), '0', '-1'],
  ])) as [string[], string[]];
  if (!fields || fields.length === 0) return null;
  const h: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) h[fields[i] as string] = fields[i + 1] as string;
  return {
    number,
    repo: h.repo ?? repo,
    testId: h.testId ?? '',
    title: h.title ?? '',
    body: h.body ?? '',
    state: h.state === 'closed' ? 'closed' : 'open',
    createdAt: Number(h.createdAt ?? 0),
    ...(h.closedAt ? { closedAt: Number(h.closedAt) } : {}),
    comments: (comments ?? []).map((c) => JSON.parse(c) as { body: string; at: number }),
  };
}
