/**
 * The Action's `run` mode, run as GitHub runs it: action.yml's composite step starting the real
 * bundle (`node dist/index.js`, the files of dist/ that git tracks) with INPUT_*,
 * real webhook payloads from @octokit/webhooks-examples, a job summary file, an outputs file, and
 * the GitHub REST API at a local stand-in reached through Octokit's baseUrl (GITHUB_API_URL).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PR_COMMENT_MARKER } from '../../src/core/report/markdown.js';
import { runAction } from '../support/action.js';
import { committedActionPath } from '../support/action-bundle.js';
import {
  type AnthropicServer,
  loginPolicy,
  startAnthropicServer,
  verdict,
} from '../support/anthropic-server.js';
import { DEMO_PASSWORD, DEMO_USER, type FixtureApps, startFixtureApps } from '../support/fixture-apps.js';
import { type GitHubServer, startGitHubServer } from '../support/github-server.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { type StaticServer, startStaticServer } from '../support/static-server.js';
import { requireChromium } from '../support/system.js';
import { successfulDeployment, webhookPayload } from '../support/webhook-payloads.js';

const REPO = 'Codertocat/Hello-World';
const HEAD_SHA = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
const html = (title: string, body: string) =>
  `<!doctype html><html><head><title>${title}</title></head><body>${body}</body></html>`;

let actionPath: string;
let app: StaticServer;
let broken: StaticServer;
let anthropic: AnthropicServer;
let gh: GitHubServer;
let token: string;
let workspace: string;

const definitions = `version: 1
defaults: { retries: 0, timeout: 20 }
tests:
  - name: Login page
    id: login-page
    url: https://hello.example.com/login?from=pr
    expect: { status: 200, text: ["Sign in"] }
  - name: Log in and see the dashboard
    id: login-flow
    url: https://hello.example.com/login
    goal: Log in as demo and check that the dashboard says Welcome
    expect: { status: 200 }
  - name: Orders page
    id: orders
    url: https://hello.example.com/orders
    goal: Check that the orders page lists three orders
`;

/** The same pages without goals: a run that needs no Anthropic key. */
const checksOnly = `version: 1
defaults: { retries: 0, timeout: 20, agent: checks }
tests:
  - name: Login page
    id: login-page
    url: https://hello.example.com/login?from=pr
    expect: { status: 200, text: ["Sign in"] }
  - name: Orders page
    id: orders
    url: https://hello.example.com/orders
    expect: { status: 200, text: ["Orders"] }
`;
const CHECKS_ONLY = '.github/checks-only.yml';

/** A goal test that types a secret. */
const withSecret = `version: 1
defaults: { retries: 1, timeout: 20 }
tests:
  - name: Log in
    id: login-flow
    url: https://hello.example.com/login
    goal: Log in as demo with LOGIN_PASSWORD and check that the dashboard says Welcome
    secrets: [LOGIN_PASSWORD]
    expect: { status: 200 }
`;
const SECRET_CONFIG = '.github/with-secret.yml';

function run(options: {
  eventName: string;
  payload: unknown;
  inputs?: Record<string, string>;
  env?: Record<string, string>;
}) {
  return runAction({
    actionPath,
    repository: REPO,
    eventName: options.eventName,
    payload: options.payload,
    cwd: workspace,
    inputs: { mode: 'run', 'github-token': token, ...options.inputs },
    timeoutMs: 120_000,
    env: {
      GITHUB_API_URL: gh.url,
      GITHUB_RUN_ID: '4242',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_SHA: HEAD_SHA,
      GITHUB_REF: 'refs/pull/2/merge',
      HOUSECAT_ALLOW_PRIVATE_NETWORK: '1',
      HOUSECAT_CHROMIUM: requireChromium(),
      ...options.env,
    },
  });
}

const pullRequest = (action = 'opened') => webhookPayload('pull_request', action);
const commentsOnPr = () => gh.commentsOf(REPO, 2);
const checkRuns = () => gh.state.checkRuns.filter((r) => r.name === 'HouseCat');

beforeAll(async () => {
  requireChromium();
  actionPath = committedActionPath();
  app = await startStaticServer({
    '/login': html('Sign in', '<h1>Sign in</h1><form><input name="user"></form>'),
    '/orders': html('Orders', '<h1>Orders</h1>'),
  });
  broken = await startStaticServer({
    '/login': { status: 500, body: html('Error', '<h1>Internal Server Error</h1>') },
  });
  gh = await startGitHubServer();
  token = gh.createToken();
  gh.seedIssue(REPO, {
    title: 'Update the README with new information.',
    number: 2,
    pull_request: { url: 'x' },
  });
  workspace = mkdtempSync(join(tmpdir(), 'housecat-ws-'));
  mkdirSync(join(workspace, '.github'));
  writeFileSync(join(workspace, '.github/housecat.yml'), definitions);
  writeFileSync(join(workspace, CHECKS_ONLY), checksOnly);
  writeFileSync(join(workspace, SECRET_CONFIG), withSecret);
}, 300_000);

afterAll(async () => {
  await anthropic?.close();
  await app?.close();
  await broken?.close();
  await gh?.close();
});

describe('Action run mode on pull_request', () => {
  it('writes the summary, the outputs, one PR comment and a HouseCat check run, and passes', async () => {
    const result = await run({
      eventName: 'pull_request',
      payload: pullRequest(),
      inputs: { 'base-url': app.url, config: CHECKS_ONLY },
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);

    expect(result.summary).toContain('## ✅ HouseCat: 2 passed');
    expect(result.summary).toMatch(/\| Login page \| ✅ passed \|/);
    expect(result.summary).toMatch(/\| Orders page \| ✅ passed \|/);

    expect(result.outputs.passed).toBe('2');
    expect(result.outputs.failed).toBe('0');
    const report = JSON.parse(result.outputs.results ?? '{}');
    expect(report.summary).toEqual({ total: 2, passed: 2, failed: 0, error: 0, skipped: 0 });
    expect(report.results[0]).toMatchObject({
      id: 'codertocat--hello-world--login-page',
      url: `${app.url}/login?from=pr`,
      status: 'passed',
    });
    expect(report.source).toEqual({ kind: 'pull_request', branch: 'changes', commit: HEAD_SHA, pr: 2 });
    expect(app.requests.map((r) => r.url)).toContain('/login?from=pr');

    const comments = commentsOnPr();
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body.startsWith(PR_COMMENT_MARKER)).toBe(true);
    expect(comments[0]?.body).toContain('| Login page | ✅ passed |');
    expect(comments[0]?.body).toContain('https://github.com/Codertocat/Hello-World/actions/runs/4242');

    const runs = checkRuns();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ head_sha: HEAD_SHA, status: 'completed', conclusion: 'success' });
    expect(runs[0]?.output?.title).toBe('HouseCat: 2 passed');
    expect(runs[0]?.output?.summary).toContain('| Login page | ✅ passed |');
  });

  it('updates the same comment on the next push, fails the step and the check when a test fails', async () => {
    const before = gh.requests.length;
    const result = await run({
      eventName: 'pull_request',
      payload: pullRequest('synchronize'),
      inputs: { 'base-url': broken.url, config: CHECKS_ONLY },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/::error::HouseCat: 2 failed/);
    expect(result.outputs.failed).toBe('2');
    expect(result.outputs.passed).toBe('0');
    expect(result.summary).toMatch(/### ❌ failed: Login page/);
    expect(result.summary).toMatch(/\*\*Failed step:\*\* check:status/);

    const comments = commentsOnPr();
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain('| Login page | ❌ failed |');
    const calls = gh.requests.slice(before).map((r) => r.route);
    expect(calls).toContain('GET /repos/{owner}/{repo}/issues/{issue_number}/comments');
    expect(calls).toContain('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}');
    expect(calls).not.toContain('POST /repos/{owner}/{repo}/issues/{issue_number}/comments');
    expect(calls.some((c) => c?.includes('search'))).toBe(false);

    expect(checkRuns().at(-1)).toMatchObject({ conclusion: 'failure' });
  });

  it('leaves comments alone with comment: off', async () => {
    const before = gh.requests.length;
    const result = await run({
      eventName: 'pull_request',
      payload: pullRequest('synchronize'),
      inputs: { 'base-url': app.url, comment: 'off', config: CHECKS_ONLY },
    });
    expect(result.code).toBe(0);
    const calls = gh.requests.slice(before).map((r) => r.route ?? '');
    expect(calls.filter((c) => c.includes('comments'))).toEqual([]);
  });
});

describe('Action run mode without an Anthropic key', () => {
  it('on a same-repository pull request (a Dependabot one gets no secrets either): runs the checks, reports the goals skipped, exits 0', async () => {
    const before = app.requests.length;
    const payload = pullRequest('synchronize');
    expect(payload.pull_request.head.repo.full_name).toBe(REPO);
    const result = await run({ eventName: 'pull_request', payload, inputs: { 'base-url': app.url } });
    expect(result.code, result.stdout).toBe(0);
    // The checks ran against the site: both tests with `expect` loaded their page.
    expect(
      app.requests.slice(before).filter((r) => r.method === 'GET' && r.url.startsWith('/login')).length,
    ).toBeGreaterThanOrEqual(2);
    const report = JSON.parse(result.outputs.results ?? '{}');
    expect(
      report.results.map((r: { id: string; status: string; reason: string }) => [r.status, r.reason]),
    ).toEqual([
      ['passed', expect.any(String)],
      ['skipped', 'checks passed; AI goal not run: ANTHROPIC_API_KEY is not set'],
      ['skipped', 'AI goal not run: ANTHROPIC_API_KEY is not set'],
    ]);
    expect(result.summary).toContain(
      'AI goals were skipped: ANTHROPIC\\_API\\_KEY is not set (skip-without-key is on for pull requests, which get no secrets from forks or Dependabot). Deterministic checks still ran.',
    );
  });

  it('with skip-without-key: false, fails the step before any test runs (exit 2), naming the key and the input', async () => {
    const before = app.requests.length;
    const result = await run({
      eventName: 'pull_request',
      payload: pullRequest('synchronize'),
      inputs: { 'base-url': app.url, 'skip-without-key': 'false' },
    });
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(
      /::error::.*ANTHROPIC_API_KEY is not set, and 2 goal test\(s\) need it: login-flow, orders/,
    );
    expect(result.stdout).toContain('the input anthropic-api-key');
    expect(result.stdout).toContain('skip-without-key: true');
    expect(app.requests.length).toBe(before);
  });

  it('fails a push before any test runs (exit 2) when a secret a test names is not in the step env', async () => {
    const before = app.requests.length;
    const result = await run({
      eventName: 'push',
      payload: webhookPayload('push'),
      inputs: { 'base-url': app.url, config: SECRET_CONFIG, 'anthropic-api-key': 'sk-ant-never-used' },
      env: { GITHUB_REF: 'refs/heads/master' },
    });
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(
      /::error::.*the secret LOGIN_PASSWORD is not set, and 1 test\(s\) name it under `secrets:`: login-flow\. Set LOGIN_PASSWORD in the step env \(env: LOGIN_PASSWORD: \$\{\{ secrets\.LOGIN_PASSWORD \}\}\)/,
    );
    expect(app.requests.length).toBe(before);
  });
});

describe('Action run mode with a store', () => {
  it('records runs and shows the PR what changed since the last run on the base branch', async () => {
    const store = { REDIS_URL: testRedisUrl(), HOUSECAT_REDIS_PREFIX: uniquePrefix('run-action') };
    const onMaster = await run({
      eventName: 'push',
      payload: webhookPayload('push'),
      inputs: { 'base-url': app.url, config: CHECKS_ONLY },
      env: { ...store, GITHUB_REF: 'refs/heads/master' },
    });
    expect(onMaster.code).toBe(0);
    const onPr = await run({
      eventName: 'pull_request',
      payload: pullRequest('synchronize'),
      inputs: { 'base-url': broken.url, config: CHECKS_ONLY },
      env: store,
    });
    expect(onPr.code).toBe(1);
    const body = commentsOnPr()[0]?.body ?? '';
    expect(commentsOnPr()).toHaveLength(1);
    expect(body).toContain('**Compared with the last run on master:** 2 changed');
    expect(body).toContain('- Login page: ✅ passed on master → ❌ failed here');
    expect(body).toContain('- Orders page: ✅ passed on master → ❌ failed here');
  });
});

describe('Action run mode on a pull request from a fork', () => {
  it('skips AI goals with the fork reason even with a key, still runs checks, and falls back when checks cannot be written', async () => {
    const payload = pullRequest('opened');
    payload.pull_request.head.repo.full_name = 'stranger/Hello-World';
    // A fork's GITHUB_TOKEN is read-only: GitHub refuses the comment and the check run alike.
    gh.failNext('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      status: 403,
      message: 'Resource not accessible by integration',
    });
    gh.failNext('POST /repos/{owner}/{repo}/check-runs', {
      status: 403,
      message: 'Resource not accessible by integration',
    });
    const runsBefore = checkRuns().length;
    const result = await run({
      eventName: 'pull_request',
      payload,
      inputs: { 'base-url': app.url, 'anthropic-api-key': 'sk-ant-fork-should-not-be-used' },
    });
    expect(result.code).toBe(0);
    expect(result.outputs.passed).toBe('1');
    const report = JSON.parse(result.outputs.results ?? '{}');
    expect(report.results.map((r: { status: string }) => r.status)).toEqual(['passed', 'skipped', 'skipped']);
    expect(report.results[2].reason).toBe(
      'AI goal not run: this pull request comes from a fork, and GitHub gives forks no secrets',
    );
    expect(result.summary).toContain('AI goals were skipped: this pull request comes from a fork');
    expect(result.stdout).toMatch(/::notice::HouseCat: the token may not create check runs .*checks: write/);
    expect(checkRuns()).toHaveLength(runsBefore);
    expect(result.stdout).toMatch(
      /::warning::HouseCat: could not write the PR comment: .*fork pull requests get a read-only token/,
    );
    // The only place the key may appear is the runner's own masking command.
    const leaks = result.stdout
      .split('\n')
      .filter((l) => l.includes('sk-ant-fork') && !l.startsWith('::add-mask::'));
    expect(leaks).toEqual([]);
  });
});

describe('Action run mode on deployment_status', () => {
  it('tests the deployment URL announced by a successful deployment', async () => {
    const before = app.requests.length;
    const payload = successfulDeployment(`${app.url}/any/path`);
    const result = await run({
      eventName: 'deployment_status',
      payload,
      inputs: { config: CHECKS_ONLY },
      env: { GITHUB_REF: 'refs/heads/master' },
    });
    expect(result.code).toBe(0);
    expect(app.requests.slice(before).map((r) => r.url)).toContain('/login?from=pr');
    const report = JSON.parse(result.outputs.results ?? '{}');
    expect(report.baseUrl).toBe(app.url);
    expect(report.source).toEqual({ kind: 'ci', branch: 'master', commit: payload.deployment.sha });
    expect(checkRuns().at(-1)).toMatchObject({ head_sha: payload.deployment.sha, conclusion: 'success' });
  });

  it('does nothing but say so while the deployment is not successful', async () => {
    const payload = webhookPayload('deployment_status');
    payload.deployment_status.state = 'in_progress';
    const before = app.requests.length;
    const result = await run({ eventName: 'deployment_status', payload });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/::notice::HouseCat: the deployment's state is "in_progress"/);
    expect(result.outputs.passed).toBe('0');
    expect(app.requests.length).toBe(before);
  });
});

describe('Action run mode with an AI goal', () => {
  it('runs the goal with the browser the bundle ships, screenshot included, against the Anthropic stand-in', async () => {
    anthropic = await startAnthropicServer({
      responder: [
        { tools: [{ name: 'snapshot', input: {} }] },
        { tools: [{ name: 'screenshot', input: {} }] },
        {
          tools: [
            {
              name: 'verdict',
              input: {
                passed: true,
                reason: 'The orders page is shown.',
                evidence: { text_visible: ['Orders'] },
              },
            },
          ],
        },
      ],
    });
    writeFileSync(
      join(workspace, '.github/goal.yml'),
      `version: 1
defaults: { retries: 0, timeout: 30 }
tests:
  - name: Orders page
    id: orders
    url: https://hello.example.com/orders
    goal: Check that the orders page is shown
`,
    );
    const result = await run({
      eventName: 'push',
      payload: webhookPayload('push'),
      inputs: {
        'base-url': app.url,
        config: '.github/goal.yml',
        'anthropic-api-key': anthropic.apiKey,
        comment: 'off',
      },
      env: { ANTHROPIC_BASE_URL: anthropic.url, GITHUB_REF: 'refs/heads/master' },
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const report = JSON.parse(result.outputs.results ?? '{}');
    expect(result.outputs.passed, JSON.stringify(report.results)).toBe('1');
    expect(report.results[0]).toMatchObject({ id: 'codertocat--hello-world--orders', status: 'passed' });
    // The screenshot went to the model as an image: playwright-core's capture path is in the bundle.
    const images = anthropic.calls.flatMap(
      (c) => JSON.stringify(c.body.messages).match(/"type":"image"/g) ?? [],
    );
    expect(images.length).toBeGreaterThan(0);
    expect(app.requests.map((r) => r.url)).toContain('/orders');
  });
});

describe('Action run mode with an AI goal and a store', () => {
  let login: FixtureApps;
  let llm: AnthropicServer;

  beforeAll(async () => {
    login = await startFixtureApps();
    llm = await startAnthropicServer();
    // No base-url: replay scripts belong to the site in the definitions file (a preview is another site).
    writeFileSync(
      join(workspace, '.github/replay.yml'),
      `version: 1
defaults: { retries: 0, timeout: 60 }
tests:
  - name: Sign in
    id: sign-in
    url: ${login.url}/live/login
    goal: Sign in as demo with the DEMO_PASSWORD secret and check the dashboard says "Welcome, Demo"
    secrets: [DEMO_PASSWORD]
`,
    );
  });

  afterAll(async () => {
    await llm?.close();
    await login?.close();
  });

  const model = loginPolicy({
    username: DEMO_USER,
    secretName: 'DEMO_PASSWORD',
    expectText: 'Welcome, Demo',
  });

  async function signIn(env: Record<string, string>) {
    const before = llm.calls.length;
    const result = await run({
      eventName: 'push',
      payload: webhookPayload('push'),
      inputs: { config: '.github/replay.yml', 'anthropic-api-key': llm.apiKey, comment: 'off' },
      env: { ANTHROPIC_BASE_URL: llm.url, GITHUB_REF: 'refs/heads/master', DEMO_PASSWORD, ...env },
    });
    const report = JSON.parse(result.outputs.results ?? '{}');
    return { result, first: report.results?.[0], calls: llm.calls.length - before };
  }

  it('replays the recorded script with 0 model requests when a store is configured, and not without one', async () => {
    const store = { REDIS_URL: testRedisUrl(), HOUSECAT_REDIS_PREFIX: uniquePrefix('run-replay') };
    llm.respond(model);
    const recorded = await signIn(store);
    expect(recorded.result.code, recorded.result.stdout + recorded.result.stderr).toBe(0);
    expect(recorded.first).toMatchObject({ status: 'passed', mode: 'agent' });
    expect(recorded.calls).toBe(4);

    llm.respond([verdict(false, 'the model must not be asked on a replay')]);
    const replayed = await signIn(store);
    expect(replayed.result.code, replayed.result.stdout + replayed.result.stderr).toBe(0);
    expect(replayed.calls).toBe(0);
    expect(replayed.first).toMatchObject({ status: 'passed', mode: 'replay', usage: { llmCalls: 0 } });
    expect(replayed.result.summary).toContain('replay');

    // Without a store the Action keeps no scripts: the model runs again.
    llm.respond(model);
    const noStore = await signIn({});
    expect(noStore.first).toMatchObject({ status: 'passed', mode: 'agent' });
    expect(noStore.calls).toBe(4);
  }, 300_000);
});
