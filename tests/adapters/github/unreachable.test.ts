/**
 * GitHub that cannot be reached is named as such, with the network code, never as "HTTP 500":
 * Octokit gives a failed fetch status 500 (@octokit/request), and the outbox printed it as one.
 */
import { createServer } from 'node:net';
import { ProbotOctokit } from 'probot';
import { describe, expect, it } from 'vitest';
import { githubError } from '../../../src/adapters/github/errors.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** A port on which nothing listens: bound, read, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('GitHub unreachable', () => {
  it('says unreachable with the code, and carries no HTTP status', async () => {
    const octokit = new ProbotOctokit({
      auth: { token: 't' },
      baseUrl: `http://127.0.0.1:${await closedPort()}`,
      log: quiet,
      retry: { enabled: false },
    });
    const failure = await octokit
      .request('GET /repos/{owner}/{repo}', { owner: 'o', repo: 'r' })
      .catch((e) => e);
    const error = githubError('read the repo', 'o/r', failure);
    expect(error.status).toBeUndefined();
    expect(error.message).toContain('GitHub is unreachable (ECONNREFUSED)');
    expect(error.message).not.toMatch(/HTTP 500/);
    expect(error.retryable).toBe(true);
  });

  it('keeps a real HTTP 500 from GitHub as one', () => {
    const answered = Object.assign(new Error('Server Error'), {
      status: 500,
      response: { status: 500, headers: {} },
    });
    expect(githubError('read the repo', 'o/r', answered).status).toBe(500);
  });
});
