/**
 * One Chromium per process, a fresh guarded context per test. Every request a context makes is
 * checked against the test's HostPolicy twice over: `context.route('**\/*')` refuses it before it
 * leaves the page (with the resource type, for a readable step), and a per-context forward proxy
 * refuses what route cannot see (later hops of redirects, tunnels). Service workers are blocked
 * so no request escapes both. Only the page's own requests are reported (page-attribution.ts): the
 * proxy refuses the browser's own calls home as well, quietly.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { AgentError } from '../../core/errors.js';
import { createAddressGuard } from '../net/public-address.js';
import { findChromium } from './find-chromium.js';
import { startGuardProxy, UnresolvedHostError } from './guard-proxy.js';
import { loadPlaywright } from './load-playwright.js';
import { createPageAttribution, isTopNavigation } from './page-attribution.js';
import type { BlockedRequest, GuardedContextOptions } from './types.js';

/** Flags that keep Chromium quiet and headless-friendly; `--no-sandbox` is added only as root. */
export const CHROMIUM_ARGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-gpu',
  // Fewer calls home (autofill, translate, safe browsing...) through the guard proxy. Some remain
  // whatever the flags; page-attribution.ts keeps them out of the test's steps.
  '--disable-features=AutofillServerCommunication,Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider,CertificateTransparencyComponentUpdater',
  '--disable-client-side-phishing-detection',
  '--disable-default-apps',
  '--disable-domain-reliability',
  '--no-pings',
];

/**
 * Resolves names in the proxy so a public name pointing at a private address is refused too. Only
 * an explicit `true` turns it off: a missing value must fail closed.
 */
function dnsGuard(
  allowPrivateNetwork: boolean | undefined,
): ((hostname: string) => Promise<string | undefined>) | undefined {
  if (allowPrivateNetwork === true) return undefined;
  const guard = createAddressGuard({ allowPrivateNetwork: false });
  return async (hostname) => {
    const decision = await guard.addressFor(hostname);
    if (!decision.allowed) throw new Error(decision.reason);
    // Connect to the address that was checked: resolving the name again could give another one.
    const address = decision.addresses[0];
    if (address === undefined) throw new UnresolvedHostError(hostname);
    return address;
  };
}

export interface BrowserPoolOptions {
  /** HOUSECAT_CHROMIUM, from readEnv(). */
  env: { HOUSECAT_CHROMIUM?: string };
  /** Overrides discovery (tests, benchmarks). */
  executablePath?: string;
  /** Milliseconds to wait for the browser to start; default 30 s. */
  launchTimeoutMs?: number;
}

export class BrowserPool {
  #launching: Promise<Browser> | undefined;
  #launches = 0;
  #openContexts = 0;
  readonly #proxies = new WeakMap<BrowserContext, string>();

  constructor(private readonly options: BrowserPoolOptions) {}

  /** Contexts opened by {@link newContext} and not closed yet: one per agent run in progress. */
  get openContexts(): number {
    return this.#openContexts;
  }

  /**
   * The address of the guard proxy a context of this pool goes through (diagnostics, and tests
   * that stand in for the browser's own traffic).
   */
  guardProxyOf(context: BrowserContext): string | undefined {
    return this.#proxies.get(context);
  }

  /** How many times this pool started Chromium (1 when reuse works). */
  get launches(): number {
    return this.#launches;
  }

  /**
   * The process's browser, launched on first use and again only if it crashed or was closed.
   * @throws AgentError when no browser is installed or it does not start.
   */
  browser(): Promise<Browser> {
    if (!this.#launching) {
      const launching = this.#launch();
      this.#launching = launching;
      launching.then(
        (browser) =>
          browser.on('disconnected', () => {
            if (this.#launching === launching) this.#launching = undefined;
          }),
        () => {
          if (this.#launching === launching) this.#launching = undefined;
        },
      );
    }
    return this.#launching;
  }

  async #launch(): Promise<Browser> {
    const executablePath = this.options.executablePath ?? findChromium(this.options.env);
    const args = [...CHROMIUM_ARGS];
    if (typeof process.getuid === 'function' && process.getuid() === 0) args.push('--no-sandbox');
    // Loaded on first launch, not at import: the Action's sync mode must run without a browser library.
    const { chromium } = await loadPlaywright();
    this.#launches += 1;
    try {
      return await chromium.launch({
        executablePath,
        args,
        headless: true,
        timeout: this.options.launchTimeoutMs ?? 30_000,
        // Signals belong to the entry point: playwright-core's own handlers would kill the browser
        // and exit before `housecat run` can print what finished (Ctrl-C, issue 18).
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new AgentError(
        `Chromium at ${executablePath} did not start: ${message}. ` +
          'Check that HOUSECAT_CHROMIUM points at a working Chromium or Google Chrome ' +
          '(install one with `apt-get install -y chromium`).',
      );
    }
  }

  /**
   * A fresh context whose every request is checked against `policy`; refused requests are aborted
   * and passed to `onBlocked`. Closing the context also stops its guard proxy.
   */
  async newContext(options: GuardedContextOptions): Promise<BrowserContext> {
    const { policy } = options;
    const report = (blocked: BlockedRequest) => {
      try {
        options.onBlocked?.(blocked);
      } catch {
        // a faulty listener must not turn a refusal into a crash
      }
    };
    const browser = await this.browser();
    // Requests refused by route never reach the proxy, so each attempt is reported once.
    const checkHost = options.checkHost ?? dnsGuard(policy.allowPrivateNetwork);
    // The proxy refuses everything the policy refuses, but reports only what the page asked for.
    const attribution = createPageAttribution(policy, report);
    const proxy = await startGuardProxy({
      policy,
      onBlocked: (b) => attribution.proxyBlocked(b),
      ...(checkHost ? { checkHost } : {}),
    });
    let context: BrowserContext;
    try {
      context = await browser.newContext({
        proxy: { server: proxy.server },
        serviceWorkers: 'block',
        acceptDownloads: false,
        viewport: options.viewport ?? { width: 1280, height: 800 },
      });
    } catch (error) {
      await proxy.close();
      throw error;
    }
    this.#openContexts += 1;
    this.#proxies.set(context, proxy.server);
    attribution.watch(context);
    context.on('close', () => {
      this.#openContexts -= 1;
      void proxy.close();
    });
    await context.route('**/*', async (route) => {
      const request = route.request();
      const verdict = policy.check(request.url());
      if (verdict.allowed) return route.fallback();
      report({
        url: request.url(),
        reason: verdict.reason,
        kind: 'request',
        resourceType: request.resourceType(),
        ...(isTopNavigation(request) ? { navigation: true } : {}),
      });
      return route.abort('blockedbyclient');
    });
    await context.routeWebSocket(
      (url) => !policy.check(url.href).allowed,
      (ws) => {
        const verdict = policy.check(ws.url());
        report({ url: ws.url(), reason: verdict.allowed ? 'refused' : verdict.reason, kind: 'websocket' });
        // Not calling connectToServer(): nothing reaches the other host.
        void ws.close({ code: 1008, reason: 'Blocked by HouseCat' }).catch(() => undefined);
      },
    );
    return context;
  }

  /** Closes the browser (contexts close with it). */
  async close(): Promise<void> {
    const launching = this.#launching;
    this.#launching = undefined;
    if (!launching) return;
    const browser = await launching.catch(() => undefined);
    await browser?.close().catch(() => undefined);
  }
}
