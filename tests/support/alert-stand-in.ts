/**
 * The shared part of the alert platforms' stand-ins (slack-, discord-, teams-server.ts and
 * webhook-receiver.ts): a local HTTP server on port 0 that records every request, answers each the
 * way its platform does (the platform's `answer`), and on demand answers the platform's rate limit,
 * a 5xx, or nothing at all (a timeout). A rate limit of `perSecond` messages makes it answer its
 * 429 past that, as Slack does to an incoming webhook sending more than one message a second.
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';

export interface Received {
  at: number;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The status answered (0: held without an answer). */
  status: number;
  /** True when the platform took the message (2xx). */
  accepted: boolean;
}

/** What to answer the next request instead of taking it. */
export type Trouble =
  | { kind: 'rate-limit'; retryAfterS: number }
  | { kind: 'status'; status: number }
  | { kind: 'hang' };

export interface PlatformAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface Platform {
  /** A name for failure messages. */
  name: string;
  /** The answer to a request the stand-in takes (the platform's validation included). */
  answer(req: IncomingMessage, body: string): PlatformAnswer;
  /** The platform's rate-limit answer. */
  rateLimited(retryAfterS: number): PlatformAnswer;
}

export interface AlertStandIn {
  url: string;
  received: Received[];
  /** Requests the platform took (2xx). */
  accepted(): Received[];
  /** Answers the next requests with these troubles, in order. */
  trouble(...troubles: Trouble[]): void;
  /** Resolves once `check` holds after a request (or at once), rejects after `withinMs`. */
  until(check: () => boolean, what: string, withinMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startAlertStandIn(
  platform: Platform,
  options: { perSecond?: number } = {},
): Promise<AlertStandIn> {
  const received: Received[] = [];
  const troubles: Trouble[] = [];
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const held: ServerResponse[] = [];
  const acceptedAt: number[] = [];

  const respond = (res: ServerResponse, a: PlatformAnswer) => {
    res.writeHead(a.status, a.headers ?? {});
    res.end(a.body ?? '');
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const at = Date.now();
      const record: Received = {
        at,
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
        status: 0,
        accepted: false,
      };
      received.push(record);
      const trouble = troubles.shift();
      let answer: PlatformAnswer | null;
      if (trouble?.kind === 'hang') {
        held.push(res);
        answer = null;
      } else if (trouble?.kind === 'rate-limit') {
        answer = platform.rateLimited(trouble.retryAfterS);
      } else if (trouble?.kind === 'status') {
        answer = { status: trouble.status, body: 'stand-in trouble' };
      } else if (options.perSecond && acceptedAt.filter((t) => t > at - 1000).length >= options.perSecond) {
        answer = platform.rateLimited(1);
      } else {
        answer = platform.answer(req, body);
      }
      if (answer) {
        record.status = answer.status;
        record.accepted = answer.status >= 200 && answer.status < 300;
        if (record.accepted) acceptedAt.push(at);
        respond(res, answer);
      }
      events.emit('request');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    received,
    accepted: () => received.filter((r) => r.accepted),
    trouble: (...t) => troubles.push(...t),
    until(check, what, withinMs = 60_000) {
      return new Promise((resolve, reject) => {
        if (check()) return resolve();
        const timer = setTimeout(() => {
          events.off('request', onRequest);
          reject(
            new Error(
              `${platform.name} stand-in: ${what} did not happen within ${withinMs} ms (${received.length} requests)`,
            ),
          );
        }, withinMs);
        const onRequest = () => {
          if (!check()) return;
          clearTimeout(timer);
          events.off('request', onRequest);
          resolve();
        };
        events.on('request', onRequest);
      });
    },
    async close() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The request body as JSON, or undefined when it is not JSON. */
export function jsonOf(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
