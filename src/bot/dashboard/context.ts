/**
 * What every dashboard route shares: its dependencies, the per-process state (open live views), and
 * one request's context with the answers every route gives (404, sign in first).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccessDeps } from '../../app/dashboard/access.js';
import type { LocalOperator } from '../../app/dashboard/local-access.js';
import type { RunNowGateDeps } from '../../app/dashboard/run-now-gate.js';
import type { SignInDeps } from '../../app/dashboard/sign-in.js';
import type { ViewDeps } from '../../app/dashboard/views.js';
import type { RunNowDeps } from '../../app/run-now.js';
import type { EventFeed, Session } from '../../core/dashboard/ports.js';
import type { ChannelHealth } from '../../core/notify/ports.js';
import type { Logger } from '../../core/ports.js';
import type { RunRecordStore } from '../../core/run/run-record.js';
import type { RunSlots } from '../run-slots.js';
import type { Viewer } from './html.js';
import { redirect, sendHtml } from './http-util.js';
import { messagePage } from './pages.js';

export interface DashboardDeps extends SignInDeps, AccessDeps, ViewDeps {
  publicUrl: string;
  /** GitHub's web address for issue links (https://github.com, or the GHE host). */
  webUrl: string;
  /** The alert channels and their health, for the home page (unset: not shown). */
  alertChannels?: () => Promise<ChannelHealth[]>;
  feed: EventFeed;
  run: RunNowDeps;
  slots: RunSlots;
  /** Run now's limits per test and per person (Redis, shared by replicas). */
  runGate: RunNowGateDeps;
  /** The person's permission on `repo` as GitHub reports it now (the `/housecat run` check). */
  permissionOf(repo: string, login: string): Promise<string>;
  logger: Logger;
  liveMaxMs?: number;
  /** Open live views one person may hold in this process (default 5). */
  liveStreamsPerPerson?: number;
  /**
   * Local-access mode (`housecat up` only, app/dashboard/local-access.ts): every request is served
   * as this operator, with no sign-in. buildDashboard (`housecat serve`) never sets it.
   */
  localOperator?: LocalOperator;
  /** Run records, screenshots and traces for the run page (issue 29); unset: no run pages. */
  runs?: RunRecordStore;
}

/** Open live views per person and process: a few tabs, not a flood of Redis readers. */
export const LIVE_STREAMS_PER_PERSON = 5;

/** The dashboard of one process: its deps and what it keeps between requests. */
export interface Dashboard {
  deps: DashboardDeps;
  /** Cookies get `Secure` when the public URL is https. */
  secure: boolean;
  sessionMaxAgeS: number;
  /** Open live views per person in this process (connections are per process, like run slots). */
  liveStreams: Map<string, number>;
  liveCap: number;
}

/** One request. */
export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  sessionId: string | undefined;
  session: Session | null;
}

/** The signed-in person as pages show them, or undefined. */
export function viewerOf(ctx: Ctx): Viewer | undefined {
  return ctx.session ? { login: ctx.session.login, csrf: ctx.session.csrf } : undefined;
}

/** 404 for what does not exist and for what this person may not see alike: no name leaks. */
export function notFound(ctx: Ctx): void {
  sendHtml(
    ctx.res,
    404,
    messagePage('Not found', 'There is nothing here, or you cannot see it.', viewerOf(ctx)),
  );
}

/** Sends a signed-out visitor to sign in, coming back to this page afterwards. */
export function toSignIn(ctx: Ctx): void {
  redirect(ctx.res, `/auth/login?return_to=${encodeURIComponent(ctx.url.pathname + ctx.url.search)}`);
}
