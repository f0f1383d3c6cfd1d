/**
 * The app's HTTP server: Node's own `http.createServer` (Probot 14 turns `port: 0` into 3000),
 * with the server limits set before it listens, the outbox's start-up sweep, and a close that lets
 * requests in flight finish for a grace period.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { OutboxDrainer } from '../app/outbox-drainer.js';
import type { Logger } from '../core/ports.js';
import { applyServerLimits, type ServerLimits } from '../web/server-limits.js';
import { sendJson } from './http.js';

/** A listening app: its address, the server, and how to stop it. */
export interface Listening {
  url: string;
  port: number;
  server: Server;
  close(graceMs?: number): Promise<void>;
}

/**
 * Starts listening on `port` (0: an ephemeral port) and `host` with `handle`, then sweeps the outbox
 * once: GitHub work a previous process left unfinished (it crashed, or GitHub was down) is carried
 * out now, not at the next delivery.
 */
export async function listenWith(
  parts: {
    handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
    outbox: OutboxDrainer;
    logger: Logger;
    limits: ServerLimits;
  },
  port: number,
  host: string,
): Promise<Listening> {
  const { handle, outbox, logger, limits } = parts;
  const server = createServer({ connectionsCheckingInterval: limits.checkIntervalMs }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error(`request ${req.method} ${req.url} failed: ${String(error)}`);
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
    });
  });
  // Set on the server (not as createServer options, which Node 20 does not all take) before listening.
  applyServerLimits(server, limits);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  outbox
    .drainAll()
    .then((r) => {
      if (r.tests > 0) {
        logger.info(
          `outbox: ${r.done} pending GitHub update(s) done at start-up, ${r.retrying} to retry, ${r.dropped} given up, ${r.busy} held by another process`,
        );
      }
    })
    .catch((error: unknown) => logger.error(`outbox sweep at start-up failed: ${String(error)}`));
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${actual}`,
    port: actual,
    server,
    close: (graceMs = 0) => closeServer(server, () => outbox.close(), graceMs),
  };
}

/**
 * Stops accepting, then waits for requests in flight for up to `graceMs` before cutting them. Idle
 * keep-alive connections are closed as they become idle (a caller's pooled connection must not hold
 * the process for the whole grace). The outbox's timer stops first: its pending work stays in Redis.
 */
function closeServer(server: Server, stopOutbox: () => void, graceMs: number): Promise<void> {
  stopOutbox();
  return new Promise<void>((resolve) => {
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    const cut = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearInterval(idle);
      clearTimeout(cut);
      resolve();
    });
    if (graceMs <= 0) server.closeAllConnections();
  });
}
