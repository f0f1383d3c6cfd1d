/**
 * For test files that read pages of the fixture apps in a real Chromium through HouseCat's guarded
 * browser pool: starts both before the file's tests and stops them after.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { BrowserPool } from '../../src/adapters/browser/browser-pool.js';
import { createHostPolicy } from '../../src/core/net/host-policy.js';
import { type FixtureApps, startFixtureApps } from './fixture-apps.js';
import { requireChromium } from './system.js';

export interface FixtureBrowser {
  /** The fixture apps' base URL (valid inside tests). */
  readonly url: string;
  /** Opens `path` of the fixture apps in a new guarded context; close the context when done. */
  openPage(path: string): Promise<{ page: Page; context: BrowserContext }>;
}

export function useFixtureBrowser(): FixtureBrowser {
  let apps: FixtureApps;
  let pool: BrowserPool;
  beforeAll(async () => {
    apps = await startFixtureApps();
    pool = new BrowserPool({ env: { HOUSECAT_CHROMIUM: requireChromium() } });
  });
  afterAll(async () => {
    await pool?.close();
    await apps?.close();
  });
  return {
    get url() {
      return apps.url;
    },
    async openPage(path) {
      const policy = createHostPolicy({ url: apps.url, allowedHosts: [], allowPrivateNetwork: true });
      const context = await pool.newContext({ policy });
      const page = await context.newPage();
      await page.goto(`${apps.url}${path}`);
      return { page, context };
    },
  };
}
