/**
 * The IssueTracker port: where incidents become visible (GitHub issues in production). Narrow on
 * purpose; the GitHub adapter in src/adapters/github implements it.
 */

export interface TrackedIssue {
  number: number;
  url: string;
  state: 'open' | 'closed';
}

export interface IssueTracker {
  /**
   * Makes sure exactly one open issue carries the incident marker of `testId`: returns the existing
   * one, or creates it. Creation is never retried blindly; a failed or timed-out create is
   * reconciled by looking for the marker again.
   */
  ensureIncidentIssue(
    repo: string,
    testId: string,
    issue: { title: string; body: string },
  ): Promise<TrackedIssue>;
  /** Posts a comment. With `marker`, does nothing when a comment carrying the marker already exists. */
  comment(repo: string, issueNumber: number, body: string, marker?: string): Promise<void>;
  /** Closes the issue (a closed issue stays closed). */
  close(repo: string, issueNumber: number): Promise<void>;
  /** The open issue carrying the incident marker of `testId`, or null (never creates one). */
  findIncidentIssue(repo: string, testId: string): Promise<TrackedIssue | null>;
  /** Current state of the issue, or null when it no longer exists. */
  getIssue(repo: string, issueNumber: number): Promise<TrackedIssue | null>;
  /**
   * Milliseconds every GitHub request still waits because GitHub rate-limited the app (0: none).
   * Optional: a tracker without a shared pause never holds requests back.
   */
  pausedFor?(): Promise<number>;
}
