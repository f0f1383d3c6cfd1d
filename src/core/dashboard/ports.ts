/**
 * The narrow interfaces the dashboard's use cases depend on: its own Redis keys (sessions, the
 * access cache, failure screenshots), the person's GitHub API, and a feed of a
 * test's live events.
 */
import type { StoredEvent, StoredResult, StoredTest } from '../ports.js';
import type { HourCounts } from '../status/rollup.js';
import type { Incident } from '../types.js';
import type { RepoAccess } from './access.js';

/**
 * A signed-in person. Kept in Redis only, sealed with the app's key (the token is encrypted, and a
 * record written by anyone else opens nothing): the browser holds nothing but a random session id.
 */
export interface Session {
  login: string;
  userId: number;
  /** The person's user-to-server token. Never sent to the browser. */
  token: string;
  /** The token every POST form must carry back (CSRF). */
  csrf: string;
  createdAt: number;
  /** Epoch ms after which the session is refused even if Redis still holds it. */
  expiresAt: number;
}

/** One sign-in in progress, sealed in the browser's cookie until GitHub sends the person back. */
export interface SignInAttempt {
  /** The OAuth `state` GitHub must send back. */
  state: string;
  /** The PKCE code verifier (the authorize URL carries only its SHA-256). */
  verifier: string;
  /** A local path (see safeReturnTo). */
  returnTo: string;
  /** Epoch ms after which the attempt is refused. */
  expiresAt: number;
}

/** The newest failure screenshot of a test. */
export interface Shot {
  runId: string;
  at: number;
  pngBase64: string;
}

export interface DashboardStore {
  saveSession(id: string, session: Session, ttlMs: number): Promise<void>;
  getSession(id: string): Promise<Session | null>;
  /** Deletes the session and its access cache. */
  deleteSession(id: string): Promise<void>;
  getAccess(sessionId: string): Promise<RepoAccess[] | null>;
  saveAccess(sessionId: string, access: RepoAccess[], ttlMs: number): Promise<void>;
  /** Replaces the test's screenshot (newest failure only), with the retention as TTL. */
  saveShot(testId: string, shot: Shot): Promise<void>;
  getShot(testId: string): Promise<Shot | null>;
  /** The id of the newest entry of `events:{id}`, or null when the stream is empty. */
  lastEventId(testId: string): Promise<string | null>;
}

/** GitHub as the signed-in person sees it (their own token), plus the OAuth web flow. */
export interface GitHubUserApi {
  /** GitHub's authorize page for this app, with `state` and the PKCE challenge (S256). */
  authorizeUrl(input: { state: string; codeChallenge: string; redirectUrl: string }): string;
  /** Exchanges the code from GitHub's redirect for the person's token. */
  exchangeCode(input: {
    code: string;
    codeVerifier: string;
    redirectUrl: string;
  }): Promise<{ token: string }>;
  user(token: string): Promise<{ login: string; id: number }>;
  /** Repositories where the app is installed and the person has access, with their permission. */
  access(token: string): Promise<RepoAccess[]>;
}

/** Follows one test's `events:{id}` stream. */
export interface EventFollower {
  /**
   * Entries after `afterId` (exclusive), oldest first; waits up to `waitMs` for the first one
   * and returns an empty list when none came. Rejects when `signal` aborts.
   */
  next(afterId: string, waitMs: number, signal: AbortSignal): Promise<StoredEvent[]>;
  close(): Promise<void>;
}

export interface EventFeed {
  /** How the follower reads: `block` (XREAD BLOCK over TCP) or `poll` (XRANGE over REST). */
  readonly mode: 'block' | 'poll';
  follow(testId: string): EventFollower;
}

/** A test page's data: the test, its newest results and incident, and its rollups summed per range. */
export interface TestPageData {
  test: StoredTest;
  /** The newest results, newest first. */
  recent: StoredResult[];
  incident: Incident | null;
  /** One sum of the hourly rollups per requested range, in order (an empty hour when none ran). */
  sums: HourCounts[];
}

/**
 * The test page's read: a bounded number of results and the rollups summed in Redis, so what it
 * reads is the same whether the test has a day of history or a month.
 */
export interface TestPageReader {
  readTestPage(
    repo: string,
    slug: string,
    options: { recent: number; ranges: readonly { fromHour: number; toHour: number }[] },
  ): Promise<TestPageData | null>;
}
