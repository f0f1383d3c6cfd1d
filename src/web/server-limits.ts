/**
 * Limits on the HTTP server itself, so slow or oversized requests cannot hold the app: how long a
 * client may take to send its headers and its whole request, how many connections may be open, and
 * how large a body may be before any of it is read.
 *
 * Node's `requestTimeout` covers receiving the request only (the timer stops when the last byte
 * arrives), not the answer: a callback whose run takes minutes is unaffected, while a client that
 * trickles its body is answered 408 and disconnected. The timers are checked every
 * `checkIntervalMs` (Node's default is 30 s, too coarse to matter against a slow-socket flood).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from './headers.js';

export interface ServerLimits {
  /** Time to receive the request headers (default 10 s). */
  headersTimeoutMs: number;
  /** Time to receive the whole request, body included (default 30 s: 25 MB at under 1 MB/s). */
  requestTimeoutMs: number;
  /** Idle keep-alive, above a load balancer's usual 60 s so the balancer closes first. */
  keepAliveTimeoutMs: number;
  /** How often Node checks the two timeouts above (default 1 s). */
  checkIntervalMs: number;
  /** Open connections at most (default 1,000; HOUSECAT_MAX_CONNECTIONS); further ones are closed at once. */
  maxConnections: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 65_000,
  checkIntervalMs: 1_000,
  maxConnections: 1_000,
};

/** GitHub does not deliver a webhook payload over 25 MB. */
export const WEBHOOK_MAX_BODY = 25 * 1024 * 1024;

/** Applies the limits to a server before it listens (the check interval is a createServer option). */
export function applyServerLimits(server: Server, limits: ServerLimits): void {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
}

/**
 * Refuses a request whose body could exceed `limit` bytes before a byte of it is read: 413 when
 * its Content-Length says so; with `requireLength`, 411 for a chunked body (its size is unknown
 * until read, and a reader that buffers it, like Probot's, would hold it whole; GitHub sends a
 * length). The connection is closed after the answer, so the rest of the upload is not waited for.
 * Returns true when it answered.
 */
export function refuseLargeBody(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
  options: { requireLength?: boolean } = {},
): boolean {
  const length = req.headers['content-length'];
  let status = 0;
  let error = '';
  if (length === undefined) {
    if (!options.requireLength || req.headers['transfer-encoding'] === undefined) return false;
    status = 411;
    error = 'send the body with a Content-Length header';
  } else if (!/^\d+$/.test(length) || Number(length) > limit) {
    status = 413;
    error = `body larger than ${limit} bytes`;
  } else {
    return false;
  }
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    connection: 'close',
  });
  res.end(JSON.stringify({ error }));
  return true;
}
