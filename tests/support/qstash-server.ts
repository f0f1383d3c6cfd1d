/**
 * A local QStash: the REST API as `@upstash/qstash`'s Client calls it, and delivery of signed
 * callbacks exactly as QStash makes them, so schedules really fire in end-to-end tests.
 *
 * - `POST /v2/schedules/{destination}` (`Upstash-Cron`, `Upstash-Retries`, `Upstash-Schedule-Id`,
 *   `Upstash-Delay`, `Upstash-Forward-*`) → `{ scheduleId }`; the same id again replaces the schedule
 *   (upsert). A schedule's delay (`27s`, `1m`; the SDK sends whole seconds) holds each of its
 *   messages that long after the tick, and `GET` reports it as `delay` in seconds, as QStash does.
 * - `GET /v2/schedules`, `GET /v2/schedules/{id}`, `DELETE /v2/schedules/{id}` (404 when unknown).
 * - `POST /v2/publish/{url}` → `{ messageId }`, delivered at once.
 * - `GET /v2/dlq` → `{ messages }` (filters `url`, `scheduleId`), `DELETE /v2/dlq/{dlqId}`.
 * - Bearer auth with the server's token (401 otherwise).
 * - Plan limits when `plan` is given (qstash-plan.ts): 412 over the schedule quota, the daily-limit
 *   429 with `RateLimit-*` headers over the daily message limit.
 *
 * Deliveries are POSTs to the destination with `Upstash-Signature` (HS256 JWT: iss "Upstash",
 * sub = destination URL, body = base64url SHA-256 of the body, iat/nbf = now, exp = now + 5 min,
 * jti), `Upstash-Message-Id` (stable across retries), `Upstash-Schedule-Id`, `Upstash-Retried`.
 * Every non-2xx answer (429 included) uses one of the message's `retries`, as QStash does; when
 * they run out, the message goes to the DLQ. Deliveries happen
 * on demand (`trigger`) or when the fast-forwarded cron clock passes a schedule's time
 * (`advance`, optionally late: the cron clock reads tick + `lateMs` when the delivery leaves, and
 * moves on by `retryClockMs` before each retry). Signatures always use the real clock, so a real
 * `Receiver` accepts them.
 *
 * Flow control (`Upstash-Flow-Control-Key`, `Upstash-Flow-Control-Value: parallelism=N`) is
 * honoured as QStash does: attempts sharing a key never run more than N at once, the rest wait in
 * line; `maxInFlight(key)` reports the most seen at once.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { cronProblem } from '../../src/core/config/cron.js';
import { cronMatches } from './qstash-cron.js';
import { type DlqMessage, dailyCounter, type QStashPlanLimits, scheduleQuotaError } from './qstash-plan.js';
import { signQStashRequest } from './qstash-signing.js';

export { cronMatches } from './qstash-cron.js';
export { type SignOptions, signQStashRequest } from './qstash-signing.js';

// ---------------------------------------------------------------------------------------------
// Server

export interface QStashSchedule {
  scheduleId: string;
  cron: string;
  destination: string;
  method: string;
  header: Record<string, string[]>;
  body: string;
  retries: number;
  createdAt: number;
  isPaused: boolean;
  /** Seconds each message waits after its tick (`Upstash-Delay`); absent when none was given. */
  delay?: number;
  /** As QStash's GET /v2/schedules answers them, when the schedule has flow control. */
  flowControlKey?: string;
  parallelism?: number;
}

export interface QStashRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** `createSchedule`, `listSchedules`, `getSchedule`, `deleteSchedule`, `publish`, `other`. */
  route: string;
}

export interface DeliveryAttempt {
  status: number;
  headers: Record<string, string>;
  /** The destination's `Retry-After`: it moves the next attempt, it does not spare a retry. */
  retryAfter?: string;
}

export interface Delivery {
  messageId: string;
  scheduleId?: string;
  url: string;
  body: string;
  attempts: DeliveryAttempt[];
  /** True when an attempt answered 2xx. */
  delivered: boolean;
  /** Set when the retries ran out (or the app said non-retryable): the message's DLQ id. */
  dlqId?: string;
  /** A schedule firing over the daily message limit: no message was made, nothing was sent. */
  overDailyLimit?: boolean;
}

export interface QStashServer {
  url: string;
  token: string;
  currentSigningKey: string;
  nextSigningKey: string;
  schedules: Map<string, QStashSchedule>;
  requests: QStashRequest[];
  deliveries: Delivery[];
  /** The dead letter queue: messages whose retries ran out, newest last. */
  dlq: DlqMessage[];
  /** New messages counted against today's limit (cron clock's UTC day). */
  messagesToday(): number;
  /** Requests received, by route (`total` for all). */
  counts(): Record<string, number>;
  /** Forgets recorded requests (schedules stay). */
  resetRequests(): void;
  /** Delivers a schedule's callback now. */
  trigger(scheduleId: string, options?: DeliverOptions): Promise<Delivery>;
  /** Moves the cron clock forward and delivers every schedule that came due, in time order. */
  advance(ms: number, options?: AdvanceOptions): Promise<Delivery[]>;
  /** The most attempts of one flow-control key that were in flight at once. */
  maxInFlight(key: string): number;
  /** The cron clock (epoch ms). */
  now(): number;
  /** From the next schedule create on: let `n` through, then hold the rest until `resume()`. */
  stallCreatesAfter(n: number): void;
  resume(): void;
  /** Schedule creates held by the stall right now. */
  heldCreates(): number;
  /** Lets the oldest held create through; later ones are still held. */
  releaseOneCreate(): void;
  /** The most schedule creates held at once: a client's concurrency, read without waiting. */
  maxHeldCreates(): number;
  /** The next `count` API requests (any route, or only `route`) answer `status`. */
  failNext(options: { status: number; count?: number; route?: string; body?: string }): void;
  /** Sign deliveries with the next key instead of the current one (key rotation). */
  signWith(key: 'current' | 'next'): void;
  close(): Promise<void>;
}

export interface DeliverOptions {
  /** Cron-clock milliseconds added before each retry (QStash backs off; the app's clock sees it). */
  retryClockMs?: number;
  /** Called before each attempt (0 = first), e.g. to let the app succeed from the third one on. */
  beforeAttempt?: (attempt: number) => void | Promise<void>;
}

export interface AdvanceOptions extends DeliverOptions {
  /** Each delivery leaves this late: the cron clock reads its tick + `lateMs` (default 0). */
  lateMs?: number;
  /** Deliver the schedules due in one minute all at once, as QStash does (default: one by one). */
  concurrent?: boolean;
}

export interface QStashServerOptions {
  token?: string;
  currentSigningKey?: string;
  nextSigningKey?: string;
  /** Start of the cron clock (epoch ms, default now, floored to the minute). */
  start?: number;
  /** Milliseconds between delivery retries (QStash backs off exponentially; tests want speed). */
  retryDelayMs?: number;
  /** The account's plan limits (e.g. QSTASH_FREE_PLAN); default unlimited. */
  plan?: QStashPlanLimits;
}

function routeOf(method: string, path: string): string {
  if (path.startsWith('/v2/schedules/') && method === 'POST') {
    const rest = path.slice('/v2/schedules/'.length);
    return /^[a-z]+:\/\//i.test(rest) ? 'createSchedule' : 'other';
  }
  if (path === '/v2/schedules' && method === 'GET') return 'listSchedules';
  if (path.startsWith('/v2/schedules/') && method === 'GET') return 'getSchedule';
  if (path.startsWith('/v2/schedules/') && method === 'DELETE') return 'deleteSchedule';
  if (path.startsWith('/v2/publish/') && method === 'POST') return 'publish';
  if (path === '/v2/dlq' && method === 'GET') return 'listDlq';
  if (path.startsWith('/v2/dlq/') && method === 'DELETE') return 'deleteDlq';
  return 'other';
}

/** Starts the stand-in on 127.0.0.1, port 0. */
export async function startQStashServer(options: QStashServerOptions = {}): Promise<QStashServer> {
  const token = options.token ?? `qstash-test-${randomUUID()}`;
  const currentSigningKey = options.currentSigningKey ?? `sig_current_${randomBytes(16).toString('hex')}`;
  const nextSigningKey = options.nextSigningKey ?? `sig_next_${randomBytes(16).toString('hex')}`;
  const retryDelayMs = options.retryDelayMs ?? 0;
  const schedules = new Map<string, QStashSchedule>();
  const requests: QStashRequest[] = [];
  const deliveries: Delivery[] = [];
  const dlq: DlqMessage[] = [];
  const plan = options.plan ?? {};
  const daily = dailyCounter(plan.dailyMessages);
  let clock = Math.floor((options.start ?? Date.now()) / 60_000) * 60_000;
  let signingKey = currentSigningKey;
  let stallAfter: number | null = null;
  let stalled: (() => void)[] = [];
  let maxHeld = 0;
  const failures: { status: number; count: number; route?: string; body?: string }[] = [];
  const flows = new Map<string, { active: number; max: number; waiting: (() => void)[] }>();

  /** Waits for a free slot of the flow-control key; returns its release. */
  async function enterFlow(flow: { key: string; parallelism: number } | undefined): Promise<() => void> {
    if (!flow) return () => {};
    let state = flows.get(flow.key);
    if (!state) {
      state = { active: 0, max: 0, waiting: [] };
      flows.set(flow.key, state);
    }
    const s = state;
    while (s.active >= flow.parallelism) await new Promise<void>((resolve) => s.waiting.push(resolve));
    s.active += 1;
    s.max = Math.max(s.max, s.active);
    return () => {
      s.active -= 1;
      s.waiting.shift()?.();
    };
  }

  async function deliver(
    url: string,
    body: string,
    headers: Record<string, string>,
    retries: number,
    scheduleId?: string,
    messageId = `msg_${randomBytes(16).toString('hex')}`,
    flow?: { key: string; parallelism: number },
    options: DeliverOptions = {},
  ) {
    const delivery: Delivery = {
      messageId,
      url,
      body,
      attempts: [],
      delivered: false,
      ...(scheduleId ? { scheduleId } : {}),
    };
    deliveries.push(delivery);
    let last: { status: number; headers: Record<string, string[]>; body: string } | undefined;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0 && retryDelayMs > 0)
        await new Promise((r) => setTimeout(r, retryDelayMs * 2 ** (attempt - 1)));
      if (attempt > 0 && options.retryClockMs) clock += options.retryClockMs;
      await options.beforeAttempt?.(attempt);
      const sent: Record<string, string> = {
        ...headers,
        'User-Agent': 'Upstash-QStash',
        'Upstash-Signature': signQStashRequest({ signingKey, url, body }),
        'Upstash-Message-Id': delivery.messageId,
        'Upstash-Retried': String(attempt),
        ...(scheduleId ? { 'Upstash-Schedule-Id': scheduleId } : {}),
      };
      last = { status: 0, headers: {}, body: '' };
      const leave = await enterFlow(flow);
      try {
        const response = await fetch(url, { method: 'POST', headers: sent, body });
        last.status = response.status;
        const answered: Record<string, string[]> = {};
        response.headers.forEach((value, key) => {
          answered[key] = [value];
        });
        last.headers = answered;
        last.body = await response.text();
      } catch {
        // connection refused or reset: QStash retries these too (status 0 here)
      } finally {
        leave();
      }
      const retryAfter = last.headers['retry-after']?.[0];
      delivery.attempts.push({ status: last.status, headers: sent, ...(retryAfter ? { retryAfter } : {}) });
      if (last.status >= 200 && last.status < 300) {
        delivery.delivered = true;
        return delivery;
      }
      // QStash's documented way for an app to stop the retries: straight to the DLQ.
      if (last.status === 489 && last.headers['upstash-nonretryable-error']?.[0] === 'true') break;
    }
    delivery.dlqId = `dlq_${randomBytes(12).toString('hex')}`;
    dlq.push({
      dlqId: delivery.dlqId,
      messageId: delivery.messageId,
      url,
      method: 'POST',
      header: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
      body,
      maxRetries: retries,
      createdAt: clock,
      // The client types this as always present; QStash sends "" without flow control.
      flowControlKey: flow?.key ?? '',
      ...(flow ? { parallelism: flow.parallelism } : {}),
      ...(scheduleId ? { scheduleId } : {}),
      ...(last && last.status > 0
        ? { responseStatus: last.status, responseHeader: last.headers, responseBody: last.body }
        : {}),
    });
    return delivery;
  }

  function forwardedHeaders(req: IncomingMessage): {
    map: Record<string, string>;
    header: Record<string, string[]>;
  } {
    const map: Record<string, string> = {};
    const contentType = req.headers['content-type'];
    if (typeof contentType === 'string') map['Content-Type'] = contentType;
    for (const [key, value] of Object.entries(req.headers)) {
      if (key.startsWith('upstash-forward-') && typeof value === 'string')
        map[key.slice('upstash-forward-'.length)] = value;
    }
    const header: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(map)) header[k] = [v];
    return { map, header };
  }

  /** `Upstash-Delay` in seconds (`27s`, `2m`, `1h`, `1d`): 0 when absent, null when malformed. */
  function delaySeconds(value: unknown): number | null {
    if (value === undefined) return 0;
    const match = typeof value === 'string' ? /^(\d+)(s|m|h|d)$/.exec(value) : null;
    if (!match) return null;
    return Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as 's' | 'm' | 'h' | 'd'];
  }

  function flowOf(key: unknown, value: unknown): { key: string; parallelism: number } | undefined {
    if (typeof key !== 'string' || typeof value !== 'string') return undefined;
    const match = /parallelism=(\d+)/.exec(value);
    return match ? { key, parallelism: Number(match[1]) } : undefined;
  }

  async function deliverSchedule(schedule: QStashSchedule, options: DeliverOptions = {}): Promise<Delivery> {
    if (!daily.take(clock)) {
      // Over the daily limit a firing makes no message: nothing reaches the app, no retry, no DLQ.
      const dropped: Delivery = {
        messageId: '',
        scheduleId: schedule.scheduleId,
        url: schedule.destination,
        body: schedule.body,
        attempts: [],
        delivered: false,
        overDailyLimit: true,
      };
      deliveries.push(dropped);
      return dropped;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(schedule.header)) if (v[0] !== undefined) headers[k] = v[0];
    const flow =
      schedule.flowControlKey && schedule.parallelism
        ? { key: schedule.flowControlKey, parallelism: schedule.parallelism }
        : undefined;
    return deliver(
      schedule.destination,
      schedule.body,
      headers,
      schedule.retries,
      schedule.scheduleId,
      undefined,
      flow,
      options,
    );
  }

  /** `GET /v2/dlq` with the client's filters that HouseCat could use: `url`, `scheduleId`. */
  function listDlq(rawUrl: string): DlqMessage[] {
    const query = new URL(rawUrl, 'http://x').searchParams;
    const url = query.get('url');
    const scheduleId = query.get('scheduleId');
    return dlq.filter((m) => (!url || m.url === url) && (!scheduleId || m.scheduleId === scheduleId));
  }

  const send = (res: ServerResponse, status: number, body: unknown) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res
      .writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' })
      .end(text);
  };

  async function handle(req: IncomingMessage, res: ServerResponse, body: string) {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = routeOf(method, path);
    requests.push({ method, path, headers: req.headers, body, route });

    if (req.headers.authorization !== `Bearer ${token}`) return send(res, 401, { error: 'Unauthorized' });
    const failure = failures.find((f) => f.route === undefined || f.route === route);
    if (failure) {
      failure.count -= 1;
      if (failure.count <= 0) failures.splice(failures.indexOf(failure), 1);
      return send(res, failure.status, { error: failure.body ?? `injected failure ${failure.status}` });
    }

    if (route === 'createSchedule') {
      if (stallAfter !== null) {
        if (stallAfter <= 0)
          await new Promise<void>((resolve) => {
            stalled.push(resolve);
            maxHeld = Math.max(maxHeld, stalled.length);
          });
        else stallAfter -= 1;
      }
      const destination = path.slice('/v2/schedules/'.length);
      const cron = req.headers['upstash-cron'];
      if (typeof cron !== 'string') return send(res, 400, { error: 'Upstash-Cron header is missing' });
      const problem = cronProblem(cron);
      if (problem) return send(res, 400, { error: `invalid cron: ${problem}` });
      try {
        new URL(destination);
      } catch {
        return send(res, 400, { error: `invalid destination: ${destination}` });
      }
      const retriesHeader = req.headers['upstash-retries'];
      const id = req.headers['upstash-schedule-id'];
      const scheduleId = typeof id === 'string' ? id : `scd_${randomBytes(12).toString('hex')}`;
      const previous = schedules.get(scheduleId);
      if (!previous && plan.maxSchedules !== undefined && schedules.size >= plan.maxSchedules)
        return send(res, 412, { error: scheduleQuotaError(plan.maxSchedules) });
      const { header } = forwardedHeaders(req);
      const flow = flowOf(req.headers['upstash-flow-control-key'], req.headers['upstash-flow-control-value']);
      const delay = delaySeconds(req.headers['upstash-delay']);
      if (delay === null)
        return send(res, 400, { error: `invalid Upstash-Delay: ${req.headers['upstash-delay']}` });
      schedules.set(scheduleId, {
        ...(flow ? { flowControlKey: flow.key, parallelism: flow.parallelism } : {}),
        ...(delay > 0 ? { delay } : {}),
        scheduleId,
        cron,
        destination,
        method: typeof req.headers['upstash-method'] === 'string' ? req.headers['upstash-method'] : 'POST',
        header,
        body,
        retries: typeof retriesHeader === 'string' ? Number(retriesHeader) : 3,
        createdAt: previous?.createdAt ?? Date.now(),
        isPaused: false,
      });
      return send(res, 200, { scheduleId });
    }
    if (route === 'listSchedules') return send(res, 200, [...schedules.values()]);
    if (route === 'getSchedule' || route === 'deleteSchedule') {
      const scheduleId = decodeURIComponent(path.slice('/v2/schedules/'.length));
      const schedule = schedules.get(scheduleId);
      if (!schedule) return send(res, 404, { error: `schedule ${scheduleId} not found` });
      if (route === 'getSchedule') return send(res, 200, schedule);
      schedules.delete(scheduleId);
      res.writeHead(200).end();
      return;
    }
    if (route === 'listDlq') return send(res, 200, { messages: listDlq(req.url ?? '/') });
    if (route === 'deleteDlq') {
      const id = decodeURIComponent(path.slice('/v2/dlq/'.length));
      const at = dlq.findIndex((m) => m.dlqId === id);
      if (at < 0) return send(res, 404, { error: `dlq message ${id} not found` });
      dlq.splice(at, 1);
      res.writeHead(200).end();
      return;
    }
    if (route === 'publish') {
      if (!daily.take(clock)) {
        const body = JSON.stringify({ error: 'Exceeded daily rate limit' });
        res.writeHead(429, { 'content-type': 'application/json', ...daily.headers(clock) }).end(body);
        return;
      }
      const url = path.slice('/v2/publish/'.length);
      const { map } = forwardedHeaders(req);
      const retries = Number(req.headers['upstash-retries'] ?? 3);
      const messageId = `msg_${randomBytes(16).toString('hex')}`;
      send(res, 200, { messageId, url });
      const flow = flowOf(req.headers['upstash-flow-control-key'], req.headers['upstash-flow-control-value']);
      void deliver(url, body, map, retries, undefined, messageId, flow);
      return;
    }
    return send(res, 404, { error: `no route for ${method} ${path}` });
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((error: unknown) => {
        if (!res.headersSent) send(res, 500, { error: String(error) });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    currentSigningKey,
    nextSigningKey,
    schedules,
    requests,
    deliveries,
    dlq,
    messagesToday: () => daily.used(),
    counts() {
      const out: Record<string, number> = { total: requests.length };
      for (const r of requests) out[r.route] = (out[r.route] ?? 0) + 1;
      return out;
    },
    resetRequests() {
      requests.length = 0;
    },
    trigger(scheduleId, options) {
      const schedule = schedules.get(scheduleId);
      if (!schedule) throw new Error(`QStash stand-in: no schedule ${scheduleId}`);
      return deliverSchedule(schedule, options);
    },
    async advance(ms, options = {}) {
      const start = clock;
      const end = start + ms;
      const out: Delivery[] = [];
      // Whole minutes, as cron ticks are (a late delivery may have left the clock mid-minute).
      for (let minute = Math.floor(start / 60_000) * 60_000 + 60_000; minute <= end; minute += 60_000) {
        const due = [...schedules.values()].filter((s) => !s.isPaused && cronMatches(s.cron, minute));
        // A schedule with a delay leaves that many seconds after its tick: the ones due first go first.
        for (const delay of [...new Set(due.map((s) => s.delay ?? 0))].sort((a, b) => a - b)) {
          const leaving = due.filter((s) => (s.delay ?? 0) === delay);
          // The clock never runs backwards (a retry may already have moved it past this minute).
          clock = Math.max(clock, minute + delay * 1000 + (options.lateMs ?? 0));
          if (options.concurrent)
            out.push(...(await Promise.all(leaving.map((s) => deliverSchedule(s, options)))));
          else for (const schedule of leaving) out.push(await deliverSchedule(schedule, options));
        }
      }
      clock = Math.max(clock, end);
      return out;
    },
    maxInFlight: (key) => flows.get(key)?.max ?? 0,
    now: () => clock,
    stallCreatesAfter(n) {
      stallAfter = n;
    },
    resume() {
      stallAfter = null;
      const waiting = stalled;
      stalled = [];
      for (const release of waiting) release();
    },
    heldCreates: () => stalled.length,
    releaseOneCreate() {
      stalled.shift()?.();
    },
    maxHeldCreates: () => maxHeld,
    failNext({ status, count = 1, route, body }) {
      failures.push({ status, count, ...(route ? { route } : {}), ...(body ? { body } : {}) });
    },
    signWith(key) {
      signingKey = key === 'current' ? currentSigningKey : nextSigningKey;
    },
    close: () =>
      new Promise((resolve) => {
        for (const release of stalled) release();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
