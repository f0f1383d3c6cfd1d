import { homeView, repoStatusView, testView } from '../src/app/dashboard/views.js';
import { homePage, repoPage, testPage } from '../src/bot/dashboard/pages.js';
import type { RepoAccess } from '../src/core/dashboard/access.js';
import { createSealer } from '../src/core/dashboard/sealer.js';
import { countedHistoryViews } from '../tests/support/dashboard-history.js';
import { startRedisServer } from '../tests/support/redis-server.js';

// DASHBOARD_VIEWS=10 for a quicker run (or to measure an older build that reads whole histories).
const VIEWS = Number(process.env.DASHBOARD_VIEWS ?? 100);
const NOW = Date.now();
const access: RepoAccess = { repo: 'acme/shop', installationId: 1, permission: 'write' };
const viewer = { login: 'alice', csrf: 'x' };
const web = 'https://github.com';

function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

async function main(): Promise<void> {
  const server = await startRedisServer();
  const sealer = createSealer(['a-sealing-secret-of-at-least-32-characters!']);
  console.log(`${VIEWS} views per page; one test, one run a minute; Redis bytes are per view`);
  console.log('history | page | Redis bytes | p50 | p95');
  try {
    for (const days of [1, 7, 30]) {
      const prefix = `bench-dash-${days}:`;
      const seedStart = performance.now();
      const { deps, counter, slug, close } = await countedHistoryViews(server.url, prefix, days, NOW, sealer);
      const seedMs = performance.now() - seedStart;
      const pages: [string, () => Promise<string>][] = [
        ['home', async () => homePage(await homeView(deps, [access]), viewer, web)],
        ['repository', async () => repoPage(await repoStatusView(deps, access), viewer, web)],
        [
          'test',
          async () => {
            const view = await testView(deps, access, slug);
            if (!view) throw new Error(`bench: test ${slug} not found after seeding`);
            return testPage(view, viewer, web);
          },
        ],
      ];
      for (const [name, render] of pages) {
        await render();
        counter.bytes = 0;
        const times: number[] = [];
        for (let i = 0; i < VIEWS; i++) {
          const t = performance.now();
          await render();
          times.push(performance.now() - t);
        }
        const bytes = Math.round(counter.bytes / VIEWS);
        console.log(
          `${days} d (${days * 1440} runs, seeded in ${seedMs.toFixed(0)} ms) | ${name} | ${bytes} | ${pct(times, 50).toFixed(1)} ms | ${pct(times, 95).toFixed(1)} ms`,
        );
      }
      await close();
    }
  } finally {
    await server.stop();
  }
}

await main();
