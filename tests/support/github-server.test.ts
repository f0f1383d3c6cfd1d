import { Probot, ProbotOctokit } from 'probot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GitHubServer, startGitHubServer } from './github-server.js';

describe('GitHub stand-in', () => {
  let gh: GitHubServer;
  let probot: Probot;
  beforeAll(async () => {
    gh = await startGitHubServer({
      installations: [{ id: 7, repos: ['acme/shop'] }],
      contentLimit: { max: 3, windowMs: 60_000 },
    });
    probot = new Probot({ appId: gh.appId, privateKey: gh.privateKey, baseUrl: gh.url, logLevel: 'fatal' });
  });
  afterAll(() => gh.close());

  it('authenticates a GitHub App and serves issues, comments and labels to Probot', async () => {
    const app = await probot.auth();
    const { data: inst } = await app.request('GET /repos/{owner}/{repo}/installation', {
      owner: 'acme',
      repo: 'shop',
    });
    expect(inst.id).toBe(7);
    const octokit = await probot.auth(inst.id);
    const { data: issue } = await octokit.rest.issues.create({
      owner: 'acme',
      repo: 'shop',
      title: 'x',
      body: 'b',
      labels: ['housecat'],
    });
    await octokit.rest.issues.createComment({
      owner: 'acme',
      repo: 'shop',
      issue_number: issue.number,
      body: 'c',
    });
    const list = await octokit.paginate(octokit.rest.issues.listForRepo, {
      owner: 'acme',
      repo: 'shop',
      labels: 'housecat',
      per_page: 1,
    });
    expect(list.map((i) => i.number)).toEqual([1]);
    expect(gh.commentsOf('acme/shop', 1)[0]?.user.login).toBe('housecat[bot]');
  });

  it('makes a created-then-timed-out issue visible to a later list', async () => {
    const octokit = new ProbotOctokit({
      auth: { token: gh.createToken() },
      baseUrl: gh.url,
      throttle: { enabled: false },
    });
    gh.failNext('POST /repos/{owner}/{repo}/issues', { apply: true, delayMs: 500 });
    await expect(
      octokit.rest.issues.create({
        owner: 'acme',
        repo: 'shop',
        title: 'slow',
        request: { retries: 0, signal: AbortSignal.timeout(100) },
      }),
    ).rejects.toThrow();
    const { data } = await octokit.rest.issues.listForRepo({ owner: 'acme', repo: 'shop', state: 'all' });
    expect(data.filter((i) => i.title === 'slow')).toHaveLength(1);
  });

  it('refuses a JWT signed with another key', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs1', format: 'pem' })
      .toString();
    const p = new Probot({ appId: gh.appId, privateKey: other, baseUrl: gh.url, logLevel: 'fatal' });
    const app = await p.auth();
    await expect(
      app.request('GET /repos/{owner}/{repo}/installation', { owner: 'acme', repo: 'shop' }),
    ).rejects.toMatchObject({ status: 401 });
  });

  it('answers 403 secondary rate limit over the content limit', async () => {
    const octokit = new ProbotOctokit({
      auth: { token: gh.createToken() },
      baseUrl: gh.url,
      throttle: { enabled: false },
      retry: { enabled: false },
    });
    await expect(async () => {
      for (let i = 0; i < 5; i++)
        await octokit.rest.issues.create({ owner: 'acme', repo: 'shop', title: `t${i}` });
    }).rejects.toMatchObject({ status: 403 });
    expect(gh.requests.at(-1)?.status).toBe(403);
  });

  it('answers the content limit as a 429 without retry-after when told, with the x-ratelimit headers', async () => {
    const limited = await startGitHubServer({
      contentLimit: { max: 1, windowMs: 60_000, status: 429, retryAfter: false },
    });
    try {
      const octokit = new ProbotOctokit({
        auth: { token: limited.createToken() },
        baseUrl: limited.url,
        throttle: { enabled: false },
        retry: { enabled: false },
      });
      const ok = await octokit.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'one' });
      for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-used', 'x-ratelimit-reset'])
        expect(ok.headers[h], h).toMatch(/^\d+$/);
      expect(ok.headers['x-ratelimit-resource']).toBe('core');
      const refused = await octokit.rest.issues
        .create({ owner: 'acme', repo: 'shop', title: 'two' })
        .catch((e: { status: number; message: string; response: { headers: Record<string, string> } }) => e);
      expect(refused).toMatchObject({
        status: 429,
        message: expect.stringContaining('secondary rate limit'),
      });
      expect(
        (refused as { response: { headers: Record<string, string> } }).response.headers['retry-after'],
      ).toBeUndefined();
    } finally {
      await limited.close();
    }
  });

  it('sends a webhook once and never again, even when the app fails it', async () => {
    const { createServer } = await import('node:http');
    let received = 0;
    const app = createServer((_req, res) => {
      received++;
      res.writeHead(500).end();
    });
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    const port = (app.address() as { port: number }).port;
    try {
      const d = await gh.deliverWebhook(`http://127.0.0.1:${port}/hook`, 'secret', 'issues', {
        action: 'closed',
      });
      expect(d).toMatchObject({ status: 500, redeliveries: 0 });
      expect(received).toBe(1);
      expect(gh.deliveries.filter((x) => x.id === d.id)).toHaveLength(1);
    } finally {
      await new Promise((r) => app.close(r));
    }
  });
});
