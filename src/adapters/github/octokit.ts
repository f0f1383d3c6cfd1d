/**
 * The GitHub client the adapters here take: Probot's Octokit, with its retry and throttling
 * plugins (an installation client of the app, or one built from a token).
 */
import type { ProbotOctokit } from 'probot';

export type GitHubOctokit = InstanceType<typeof ProbotOctokit>;
