/**
 * `housecat up` with a GitHub token: incidents are GitHub issues, filed as the app files them (the
 * marker, the labels, the summary comment on recovery, the close), here on the GitHub stand-in.
 * Stopped with SIGTERM, which is a normal stop: exit 0, the private redis-server stopped too.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasIncidentMarker } from '../../src/core/incidents/render.js';
import { type GitHubServer, startGitHubServer } from '../support/github-server.js';
import { type StaticServer, startStaticServer } from '../support/static-server.js';
import { requireChromium, requireProgram } from '../support/system.js';
import { descendantsOf, startUp, type UpProcess, waitGone } from '../support/up-process.js';

const WELCOME = '<html><body><h1>Welcome</h1></body></html>';

describe('housecat up with a GitHub token', () => {
  let site: StaticServer;
  let github: GitHubServer;
  let folder: string;
  let up: UpProcess;

  beforeAll(async () => {
    requireProgram('redis-server', 'redis-server');
    requireChromium();
    site = await startStaticServer({ '/': WELCOME });
    github = await startGitHubServer();
    folder = mkdtempSync(join(tmpdir(), 'housecat-up-gh-'));
    writeFileSync(
      join(folder, 'housecat.yml'),
      `version: 1
tests:
  - name: Home
    url: ${site.url}/
    schedule: "H * * * *"
    failure_threshold: 2
    retries: 0
    expect: { text: ["Welcome"] }
`,
    );
  });

  afterAll(async () => {
    if (up && up.child.exitCode === null) process.kill(-up.pid, 'SIGKILL');
    await site?.close();
    await github?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('opens a GitHub issue after failure_threshold failed runs and closes it with the summary', async () => {
    const token = github.createToken(['acme/shop']);
    up = startUp(['--config', 'housecat.yml', '--port', '0', '--repo', 'acme/shop'], {
      cwd: folder,
      env: {
        GITHUB_TOKEN: token,
        GITHUB_API_URL: github.url,
        HOUSECAT_UP_TICK_MS: '1500',
        HOUSECAT_SHUTDOWN_GRACE: '5',
      },
    });
    await up.waitFor(/Stop with Ctrl-C\./);
    expect(up.stdout()).toMatch(
      /incidents:\s+GitHub issues in acme\/shop, as the app files them \(token from GITHUB_TOKEN\)/,
    );
    // The H cron was resolved for the test's id, as sync resolves it for QStash.
    expect(up.stdout()).toMatch(/acme--shop--home\s+\d{1,2} \* \* \* \*/);
    await up.waitFor(/passed\s+acme--shop--home/);
    const from = up.stdout().length;
    site.route('/', '<html><body><h1>Down</h1></body></html>');
    await up.waitFor(/FAILED\s+acme--shop--home.*\[incident: open\]/, { from });
    const [issue, ...others] = github.issuesOf('acme/shop');
    expect(others).toEqual([]);
    expect(issue?.state).toBe('open');
    expect(hasIncidentMarker(issue?.body ?? '', 'acme--shop--home')).toBe(true);
    expect(issue?.labels.map((l) => l.name).sort()).toEqual(['housecat', 'incident']);

    site.route('/', WELCOME);
    await up.waitFor(/passed\s+acme--shop--home.*\[incident: resolve/, { from });
    const closed = github.issuesOf('acme/shop')[0];
    expect(closed?.state).toBe('closed');
    const comments = github.commentsOf('acme/shop', closed?.number ?? 0).map((c) => c.body);
    expect(comments.some((c) => c.includes('Recovered'))).toBe(true);
  });

  it('stops at SIGTERM with exit code 0 after the grace, the redis-server stopped', async () => {
    const children = descendantsOf(up.pid);
    process.kill(up.pid, 'SIGTERM');
    expect(await up.exited).toBe(0);
    await waitGone(children);
    expect(up.stdout()).toContain('stopping (SIGTERM)');
    expect(up.stdout()).toContain('redis-server stopped');
  });
});
