/**
 * Issue 29 in the Action's run mode, run as GitHub runs it (the bundle built from these sources):
 * a failing goal test with `trace: on-failure` uploads its screenshots and trace.zip through
 * @actions/artifact to a stand-in of the artifact service, and the job summary and the PR comment
 * give, per failure, the failed step, the reason, the artifact's link and the command to reproduce.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../support/action.js';
import { buildFreshBundle } from '../support/action-bundle.js';
import { type AnthropicServer, loginPolicy, startAnthropicServer } from '../support/anthropic-server.js';
import { type ArtifactServer, startArtifactServer } from '../support/artifact-server.js';
import { DEMO_PASSWORD, DEMO_USER, type FixtureApps, startFixtureApps } from '../support/fixture-apps.js';
import { type GitHubServer, startGitHubServer } from '../support/github-server.js';
import { requireChromium } from '../support/system.js';
import { webhookPayload } from '../support/webhook-payloads.js';
import { unzipEntries } from '../support/zip-entries.js';

const REPO = 'Codertocat/Hello-World';

describe('Action run mode: artifacts of a failing goal test', () => {
  let actionPath: string;
  let apps: FixtureApps;
  let llm: AnthropicServer;
  let gh: GitHubServer;
  let store: ArtifactServer;
  let workspace: string;

  beforeAll(async () => {
    requireChromium();
    // The bundle of these sources (dist/ is rebuilt by the lead after merging).
    actionPath = join(await buildFreshBundle(), '..');
    apps = await startFixtureApps();
    llm = await startAnthropicServer();
    llm.respond(
      loginPolicy({ username: DEMO_USER, secretName: 'DEMO_PASSWORD', expectText: 'Welcome, Nobody' }),
    );
    gh = await startGitHubServer();
    gh.seedIssue(REPO, { title: 'A pull request', number: 2, pull_request: { url: 'x' } });
    store = await startArtifactServer();
    workspace = mkdtempSync(join(tmpdir(), 'housecat-ws-'));
    mkdirSync(join(workspace, '.github'));
    writeFileSync(
      join(workspace, '.github/housecat.yml'),
      `version: 1
defaults: { retries: 0, timeout: 60, trace: on-failure }
tests:
  - name: Sign in
    id: sign-in
    url: https://hello.example.com/leaky/login
    goal: Sign in as demo with the DEMO_PASSWORD secret and check the dashboard greets Nobody
    secrets: [DEMO_PASSWORD]
`,
    );
  }, 300_000);

  afterAll(async () => {
    await Promise.all([apps?.close(), llm?.close(), gh?.close(), store?.close()]);
  });

  it('uploads screenshots and the trace per failed test, and links them from the summary and the comment', async () => {
    const result = await runAction({
      actionPath,
      repository: REPO,
      eventName: 'pull_request',
      payload: webhookPayload('pull_request', 'opened'),
      cwd: workspace,
      inputs: {
        mode: 'run',
        'github-token': gh.createToken(),
        'anthropic-api-key': llm.apiKey,
        'base-url': apps.url,
      },
      timeoutMs: 180_000,
      env: {
        GITHUB_API_URL: gh.url,
        GITHUB_RUN_ID: '4242',
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REF: 'refs/pull/2/merge',
        ANTHROPIC_BASE_URL: llm.url,
        HOUSECAT_ALLOW_PRIVATE_NETWORK: '1',
        HOUSECAT_CHROMIUM: requireChromium(),
        ACTIONS_RUNTIME_TOKEN: store.token,
        ACTIONS_RESULTS_URL: `${store.url}/`,
        DEMO_PASSWORD,
      },
    });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.outputs.failed).toBe('1');

    // One artifact, named after the test, finalized with the bytes that were uploaded.
    expect(store.artifacts.map((a) => [a.name, a.finalized])).toEqual([['housecat-sign-in', true]]);
    const files = await unzipEntries(store.artifacts[0]?.bytes as Buffer);
    const names = [...files.keys()].sort();
    expect(names.filter((n) => n.endsWith('.jpg'))).toHaveLength(3);
    expect(names).toContain('trace.zip');
    for (const name of names.filter((n) => n.endsWith('.jpg')))
      expect((files.get(name) as Buffer).subarray(0, 3).toString('hex')).toBe('ffd8ff');
    const trace = await unzipEntries(files.get('trace.zip') as Buffer);
    expect(trace.has('trace.trace')).toBe(true);
    for (const entry of trace.values()) expect(entry.toString('latin1').includes(DEMO_PASSWORD)).toBe(false);

    const link = `https://github.com/${REPO}/actions/runs/4242/artifacts/${store.artifacts[0]?.id}`;
    const [comment] = gh.commentsOf(REPO, 2);
    for (const text of [result.summary, comment?.body ?? '']) {
      expect(text).toContain('**Reason:** Expected "Welcome, Nobody"');
      expect(text).toContain('**Failed step:** verdict');
      expect(text).toContain(`**Screenshots and trace:** [housecat-sign-in](${link})`);
      expect(text).toContain(`**Reproduce:** \`housecat run --only sign-in --base-url ${apps.url}\``);
      expect(text.includes(DEMO_PASSWORD)).toBe(false);
    }
  });
});
