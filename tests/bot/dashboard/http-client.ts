/**
 * Sign in with GitHub over plain HTTP, following redirects by hand like a browser, so tests can see
 * each step (cookies, Location headers) and tamper with one.
 */
import type { DashboardHarness } from './harness.js';

export interface Answer {
  status: number;
  location: string | null;
  cookies: string[];
  headers: Headers;
  text: string;
}

export async function get(url: string, cookie = '', headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(url, {
    redirect: 'manual',
    headers: { ...(cookie ? { cookie } : {}), ...headers },
  });
  return {
    status: res.status,
    location: res.headers.get('location'),
    cookies: res.headers.getSetCookie(),
    headers: res.headers,
    text: await res.text(),
  };
}

export async function post(url: string, cookie: string, form: Record<string, string>): Promise<Answer> {
  const res = await fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return {
    status: res.status,
    location: res.headers.get('location'),
    cookies: res.headers.getSetCookie(),
    headers: res.headers,
    text: await res.text(),
  };
}

/** `name=value` of a Set-Cookie header with that name. */
export function cookieOf(cookies: string[], name: string): string | undefined {
  const found = cookies.find((c) => c.startsWith(`${name}=`));
  return found?.split(';')[0];
}

/** Starts a sign-in: the state cookie and GitHub's authorize URL. */
export async function startSignIn(
  h: DashboardHarness,
  returnTo = '/',
): Promise<{ stateCookie: string; authorize: string }> {
  const start = await get(`${h.url}/auth/login?return_to=${encodeURIComponent(returnTo)}`);
  const stateCookie = cookieOf(start.cookies, 'housecat_oauth_state');
  if (start.status !== 303 || !start.location || !stateCookie)
    throw new Error(`sign-in did not start: ${start.status}`);
  return { stateCookie, authorize: start.location };
}

/** GitHub's answer for `login`: the callback URL with code and state. */
export async function approve(h: DashboardHarness, authorize: string, login: string): Promise<string> {
  h.gh.signInAs(login);
  const answer = await get(authorize);
  if (answer.status !== 302 || !answer.location)
    throw new Error(`authorize answered ${answer.status}: ${answer.text}`);
  return answer.location;
}

/** Signs `login` in; returns the session cookie (`name=value`), the page it lands on and its CSRF token. */
export async function signIn(
  h: DashboardHarness,
  login: string,
  returnTo = '/',
): Promise<{ cookie: string; location: string | null; csrf: string }> {
  const { stateCookie, authorize } = await startSignIn(h, returnTo);
  const callback = await get(await approve(h, authorize, login), stateCookie);
  const cookie = cookieOf(callback.cookies, 'housecat_session');
  if (callback.status !== 303 || !cookie)
    throw new Error(`callback answered ${callback.status}: ${callback.text}`);
  const home = await get(`${h.url}/`, cookie);
  const csrf = /name="csrf" value="([^"]+)"/.exec(home.text)?.[1] ?? '';
  return { cookie, location: callback.location, csrf };
}
