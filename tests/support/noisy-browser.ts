/**
 * A browser that calls home, as Chromium and Google Chrome do whatever their flags: update checks,
 * network time, account endpoints (issue 22). A BrowserPool whose every context gets, from outside
 * its pages, the same traffic into its guard proxy: `CONNECT host:443` tunnels and a plain HTTP
 * network-time request to hosts the test does not allow. It sends one burst before the context is
 * handed to the agent (so refusals are on record before the page even starts), another at every
 * request the context makes, and one every 250 ms (a page that hangs makes no requests), until the
 * context closes. It records every answer the proxy gave, so a test can check that the guard
 * still refused them all.
 */
import { connect } from 'node:net';
import type { BrowserContext } from 'playwright-core';
import { BrowserPool, type BrowserPoolOptions } from '../../src/adapters/browser/browser-pool.js';
import type { GuardedContextOptions } from '../../src/adapters/browser/types.js';

/** What Debian's Chromium 150 and 156 were seen calling (issue 22). */
export const BROWSER_HOSTS = [
  'update.googleapis.com',
  'accounts.google.com',
  'clients2.google.com',
  'www.google.com',
];

/** Chrome's network-time query goes out as plain HTTP: the proxy sees the absolute URL. */
const NETWORK_TIME = 'http://clients2.google.com/time/1/current?cup2key=9:1234&cup2hreq=abc';

export class NoisyBrowserPool extends BrowserPool {
  /** The status line of every answer the guard proxy gave to the noise. */
  readonly answers: string[] = [];
  /** Bursts of calls home sent so far: one before each context is handed out, then more during its run. */
  bursts = 0;
  readonly #targets: string[];

  /** `extraTargets`: more `host:port` tunnels to ask for (e.g. the canary, to count connections). */
  constructor(options: BrowserPoolOptions, extraTargets: string[] = []) {
    super(options);
    this.#targets = [...BROWSER_HOSTS.map((h) => `${h}:443`), ...extraTargets];
  }

  /** Refusals (403) the proxy answered to the noise so far. */
  get refused(): number {
    return this.answers.filter((a) => / 403 /.test(a)).length;
  }

  override async newContext(options: GuardedContextOptions): Promise<BrowserContext> {
    const context = await super.newContext(options);
    const proxy = this.guardProxyOf(context);
    if (!proxy) throw new Error('NoisyBrowserPool: the pool did not say which guard proxy the context uses');
    const { port } = new URL(proxy);
    let open = true;
    const burst = () => {
      this.bursts += 1;
      return Promise.all(this.#targets.map((t) => this.#ask(Number(port), t)));
    };
    await burst();
    // The simulated browser's own cadence, not a wait of the test.
    const timer = setInterval(() => void burst(), 250);
    context.on('close', () => {
      open = false;
      clearInterval(timer);
    });
    context.on('request', () => {
      if (open) void burst();
    });
    return context;
  }

  /** One tunnel request, or the network-time GET, and the proxy's status line. */
  #ask(port: number, target: string): Promise<void> {
    const wire = target.startsWith('clients2.')
      ? [
          `CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`,
          `GET ${NETWORK_TIME} HTTP/1.1\r\nHost: clients2.google.com\r\nConnection: close\r\n\r\n`,
        ]
      : [`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`];
    return Promise.all(
      wire.map(
        (request) =>
          new Promise<void>((resolve) => {
            const socket = connect(port, '127.0.0.1', () => socket.write(request));
            let head = '';
            socket.on('data', (chunk: Buffer) => {
              head += chunk.toString('latin1');
              const line = head.split('\r\n')[0];
              if (head.includes('\r\n') && line) {
                this.answers.push(line);
                socket.destroy();
                resolve();
              }
            });
            socket.on('error', () => resolve());
            socket.on('close', () => resolve());
          }),
      ),
    ).then(() => undefined);
  }
}
