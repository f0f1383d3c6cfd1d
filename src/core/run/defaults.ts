/** Built-in limits of a run that are not part of a test's definition (those are in core/config). */

/** Tests in flight at once when the caller does not say (`--concurrency`, input `concurrency`). */
export const DEFAULT_CONCURRENCY = 4;
/** QStash waits a limited time for the answer: a scheduled run (all attempts) ends well inside it. */
export const DEFAULT_MAX_RUN_MS = 240_000;
