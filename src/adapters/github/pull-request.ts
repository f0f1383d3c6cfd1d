/**
 * Where a pull-request run is reported on GitHub: one PR comment, found by its marker among the
 * comments (never by search) and updated in place, and a "HouseCat" check run. Neither failure
 * fails the run: a token that may not write them (forks) gets a notice or a warning instead.
 */
import type { getOctokit } from '@actions/github';
import type { Logger } from '../../core/ports.js';
import { headline, PR_COMMENT_MARKER } from '../../core/report/index.js';
import type { RunResult, TestDefinition } from '../../core/types.js';
import { statusOf } from './errors.js';

type Octokit = ReturnType<typeof getOctokit>;

/** A logger that can also leave a notice (an annotation that is not a warning). */
export interface ReportLogger extends Logger {
  notice(message: string): void;
}

/** Updates HouseCat's comment (found by its marker among the PR's comments) or creates it once. */
export async function upsertPrComment(
  octokit: Octokit,
  owner: string,
  repo: string,
  issueNumber: number,
  body: string,
  logger: ReportLogger,
): Promise<void> {
  try {
    const comments = await octokit.paginate(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: issueNumber,
      per_page: 100,
    });
    const mine = comments.find((c) => (c.body ?? '').startsWith(PR_COMMENT_MARKER));
    if (mine) {
      await octokit.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body });
      logger.info(`HouseCat: updated the PR comment ${mine.html_url ?? mine.id}`);
    } else {
      const created = await octokit.rest.issues.createComment({
        owner,
        repo,
        issue_number: issueNumber,
        body,
      });
      logger.info(`HouseCat: commented on the PR ${created.data.html_url ?? ''}`);
    }
  } catch (error) {
    const status = statusOf(error);
    const hint =
      status === 403 || status === 404
        ? ' — the token may not write PR comments (fork pull requests get a read-only token; otherwise grant `pull-requests: write`)'
        : '';
    logger.warn(`HouseCat: could not write the PR comment: ${(error as Error).message}${hint}`);
  }
}

const CHECK_TEXT_LIMIT = 65_000;

export async function createCheckRun(
  octokit: Octokit,
  owner: string,
  repo: string,
  headSha: string,
  results: RunResult[],
  tests: TestDefinition[],
  summary: string,
  failing: boolean,
  logger: ReportLogger,
): Promise<void> {
  const allSkipped = results.length > 0 && results.every((r) => r.status === 'skipped');
  const conclusion = failing ? 'failure' : allSkipped || results.length === 0 ? 'neutral' : 'success';
  const title = headline(results).replace(/^\S+ /, '');
  try {
    await octokit.rest.checks.create({
      owner,
      repo,
      name: 'HouseCat',
      head_sha: headSha,
      status: 'completed',
      conclusion,
      completed_at: new Date().toISOString(),
      output: {
        title,
        summary: summary.length > CHECK_TEXT_LIMIT ? `${summary.slice(0, CHECK_TEXT_LIMIT)}\n…` : summary,
      },
    });
    logger.info(`HouseCat: check run "HouseCat" → ${conclusion} (${tests.length} tests)`);
  } catch (error) {
    const status = statusOf(error);
    if (status === 403 || status === 404) {
      logger.notice(
        'HouseCat: the token may not create check runs (grant `checks: write` to get one); the step status carries the verdict instead',
      );
      return;
    }
    logger.warn(`HouseCat: could not create the check run: ${(error as Error).message}`);
  }
}
