/**
 * Which repository the tests belong to: `--repo`, else GITHUB_REPOSITORY, else the git remote
 * `origin`, else `local/<folder>` so that local runs still get stable, valid ids.
 */
import { execFileSync } from 'node:child_process';
import { basename } from 'node:path';
import { isRepoName } from '../core/ids.js';
import { UsageError } from './io.js';

/** Extracts `owner/name` from a GitHub remote URL (https, ssh or scp-like). */
export function repoFromRemote(remote: string): string | undefined {
  const match = /(?:github\.com|\/\/[^/]+)[:/]([^/\s]+)\/([^/\s]+?)(?:\.git)?\/?$/.exec(remote.trim());
  if (!match) return undefined;
  const repo = `${match[1]}/${match[2]}`;
  return isRepoName(repo) ? repo : undefined;
}

function gitRemote(cwd: string): string | undefined {
  try {
    return execFileSync('git', ['config', '--get', 'remote.origin.url'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

/** Resolves the repository name; an invalid explicit `--repo` is a usage error. */
export function detectRepo(options: { flag?: string; githubRepository?: string; cwd: string }): string {
  if (options.flag !== undefined) {
    if (!isRepoName(options.flag))
      throw new UsageError(`--repo must be OWNER/NAME (e.g. acme/shop), not "${options.flag}"`);
    return options.flag;
  }
  if (options.githubRepository && isRepoName(options.githubRepository)) return options.githubRepository;
  const remote = gitRemote(options.cwd);
  const fromRemote = remote ? repoFromRemote(remote) : undefined;
  if (fromRemote) return fromRemote;
  const folder =
    basename(options.cwd)
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^[.-]+/, '') || 'project';
  return `local/${folder.slice(0, 100)}`;
}
