/**
 * Sign in with GitHub: the OAuth web flow with `state` and PKCE (S256), then a session in Redis.
 * The attempt (state, PKCE verifier, return path, expiry) travels sealed in a short-lived HttpOnly
 * cookie, so an anonymous `/auth/login` writes nothing to Redis. A callback is refused, before
 * anything is read or written, unless its `state` equals the one sealed in the browser's cookie (so
 * nobody can sign a victim into their account) and the attempt is not past its expiry; the cookie
 * is cleared on the callback, and GitHub's code works once.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DashboardStore, GitHubUserApi, Session, SignInAttempt } from '../../core/dashboard/ports.js';
import { safeReturnTo } from '../../core/dashboard/return-to.js';
import type { Sealer } from '../../core/dashboard/sealer.js';
import type { Clock } from '../../core/ports.js';

export interface SignInDeps {
  dashboard: DashboardStore;
  github: GitHubUserApi;
  clock: Clock;
  /** Seals the sign-in cookie with a key only the app holds. */
  sealer: Sealer;
  /** `{public URL}/auth/callback`, as registered in the App's settings. */
  redirectUrl: string;
  /** How long a session lasts (GitHub's user tokens last 8 hours). */
  sessionTtlMs: number;
}

/** How long a person may take on GitHub's authorize page. */
export const SIGN_IN_TTL_MS = 10 * 60_000;

const token = (): string => randomBytes(32).toString('base64url');

/** True when both are the same string, compared in constant time. */
export function sameSecret(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Starts a sign-in: returns GitHub's authorize URL and the sealed attempt the browser keeps in a
 * cookie. Writes nothing anywhere.
 */
export function beginSignIn(
  deps: Pick<SignInDeps, 'github' | 'clock' | 'sealer' | 'redirectUrl'>,
  returnTo: string | null,
): { cookie: string; url: string } {
  const state = token();
  const verifier = token();
  const codeChallenge = createHash('sha256').update(verifier).digest('base64url');
  const attempt: SignInAttempt = {
    state,
    verifier,
    returnTo: safeReturnTo(returnTo),
    expiresAt: deps.clock.now() + SIGN_IN_TTL_MS,
  };
  return {
    cookie: deps.sealer.seal('sign-in', JSON.stringify(attempt)),
    url: deps.github.authorizeUrl({ state, codeChallenge, redirectUrl: deps.redirectUrl }),
  };
}

/** The attempt sealed in a sign-in cookie, or null when it is not ours, malformed or expired. */
function openAttempt(
  deps: Pick<SignInDeps, 'sealer' | 'clock'>,
  cookie: string | undefined,
): SignInAttempt | null {
  const text = cookie ? deps.sealer.open('sign-in', cookie) : null;
  if (!text) return null;
  try {
    const a = JSON.parse(text) as SignInAttempt;
    const valid =
      typeof a.state === 'string' &&
      typeof a.verifier === 'string' &&
      typeof a.returnTo === 'string' &&
      typeof a.expiresAt === 'number';
    return valid && a.expiresAt > deps.clock.now() ? a : null;
  } catch {
    return null;
  }
}

export type SignInOutcome =
  | { ok: true; sessionId: string; session: Session; returnTo: string }
  | { ok: false; reason: string };

/** Finishes a sign-in from GitHub's redirect; creates the session. */
export async function completeSignIn(
  deps: SignInDeps,
  input: { state?: string; stateCookie?: string; code?: string },
): Promise<SignInOutcome> {
  if (!input.code || !input.state) return { ok: false, reason: 'the sign-in answer lacks its code or state' };
  if (!input.stateCookie) {
    return { ok: false, reason: 'the sign-in state does not match the one this browser started with' };
  }
  const attempt = openAttempt(deps, input.stateCookie);
  if (!attempt) return { ok: false, reason: 'the sign-in expired or was already used' };
  if (!sameSecret(input.state, attempt.state)) {
    return { ok: false, reason: 'the sign-in state does not match the one this browser started with' };
  }
  const { token: githubToken } = await deps.github.exchangeCode({
    code: input.code,
    codeVerifier: attempt.verifier,
    redirectUrl: deps.redirectUrl,
  });
  const user = await deps.github.user(githubToken);
  const now = deps.clock.now();
  const session: Session = {
    login: user.login,
    userId: user.id,
    token: githubToken,
    csrf: token(),
    createdAt: now,
    expiresAt: now + deps.sessionTtlMs,
  };
  const sessionId = token();
  await deps.dashboard.saveSession(sessionId, session, deps.sessionTtlMs);
  return { ok: true, sessionId, session, returnTo: attempt.returnTo };
}

/** The session of a cookie id, or null when it is unknown, malformed or past its expiry. */
export async function loadSession(
  deps: Pick<SignInDeps, 'dashboard' | 'clock'>,
  sessionId: string | undefined,
): Promise<Session | null> {
  // Our ids are 43 base64url characters: anything else is not worth a Redis round trip.
  if (!sessionId || !/^[A-Za-z0-9_-]{43}$/.test(sessionId)) return null;
  const session = await deps.dashboard.getSession(sessionId);
  if (!session || session.expiresAt <= deps.clock.now()) return null;
  return session;
}
