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

/** Builds the tracker over the store's Redis connection. */
export function createLocalIssueTracker(store: RedisStore, options: LocalIssueOptions): LocalIssueTracker {
  const t = store.transport;
  const p = store.keys.prefix;
  const now = options.now ?? Date.now;
  const retentionS = String(Math.round((options.retentionMs ?? 90 * DAY_MS) / 1000));
  const issueKey = (repo: string, n: number) => `${p}local:issue:${repo.toLowerCase()}:${n}`;
  const commentsKey = (repo: string, n: number) => `${p}local:issue-comments:${repo.toLowerCase()}:${n}`;
  const openKey = (repo: string, testId: string) => `${p}local:issue-of:${repo.toLowerCase()}:${testId}`;
  const tracked = (repo: string, n: number, state: 'open' | 'closed'): TrackedIssue => ({
    number: n,
    url: options.urlOf(repo, n),
    state,
  });
  const stateOf = async (repo: string, n: number): Promise<'open' | 'closed' | null> => {
    const state = await t.command('local issue state', ['HGET', issueKey(repo, n), 'state']);
    return state === 'open' || state === 'closed' ? state : null;
  };

  const tracker: LocalIssueTracker = {
    async findIncidentIssue(repo, testId) {
      const n = Number(await t.command('local issue lookup', ['GET', openKey(repo, testId)]));
      if (!Number.isInteger(n) || n <= 0) return null;
      return (await stateOf(repo, n)) === 'open' ? tracked(repo, n, 'open') : null;
    },
    async ensureIncidentIssue(repo, testId, issue) {
      const existing = await tracker.findIncidentIssue(repo, testId);
      if (existing) return existing;
      const n = Number(
        await t.command('local issue number', ['INCR', `${p}local:issue-seq:${repo.toLowerCase()}`]),
      );
      await t.transaction('local issue create', [
        [
          'HSET',
          issueKey(repo, n),
          'repo',
          repo,
          'testId',
          testId,
          'title',
          issue.title,
          'body',
          issue.body,
          'state',
          'open',
          'createdAt',
          String(now()),
        ],
        ['SET', openKey(repo, testId), String(n)],
      ]);
      const opened = tracked(repo, n, 'open');
      options.onChange?.({ kind: 'opened', issue: opened, repo, title: issue.title });
      return opened;
    },
    async comment(repo, issueNumber, body, marker) {
      const key = commentsKey(repo, issueNumber);
      if (marker) {
        const all = (await t.command('local issue comments', ['LRANGE', key, '0', '-1'])) as string[];
        if (all.some((c) => (JSON.parse(c) as { body: string }).body.includes(marker))) return;
      }
      await t.command('local issue comment', ['RPUSH', key, JSON.stringify({ body, at: now() })]);
    },
    async close(repo, issueNumber) {
      const key = issueKey(repo, issueNumber);
      const fields = (await t.command('local issue read', ['HMGET', key, 'state', 'testId', 'title'])) as (
        | string
        | null
      )[];
      const [state, testId, title] = fields;
      if (state !== 'open') return;
      await t.transaction('local issue close', [
        ['HSET', key, 'state', 'closed', 'closedAt', String(now())],
        ['DEL', openKey(repo, testId ?? '')],
        ['EXPIRE', key, retentionS],
        ['EXPIRE', commentsKey(repo, issueNumber), retentionS],
      ]);
      options.onChange?.({
        kind: 'closed',
        issue: tracked(repo, issueNumber, 'closed'),
        repo,
        title: title ?? '',
      });
    },
    async getIssue(repo, issueNumber) {
      const state = await stateOf(repo, issueNumber);
      return state ? tracked(repo, issueNumber, state) : null;
    },
    async read(repo, number) {
      const [fields, comments] = (await t.pipeline('local issue page', [
        ['HGETALL', issueKey(repo, number)],
        ['LRANGE', commentsKey(repo, number), '0', '-1'],
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
    },
  };
  return tracker;
}
