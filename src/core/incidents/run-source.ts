/**
 * Which runs move incident state. Only production's own runs do: a scheduled run and a manual
 * `/housecat run` on the incident issue. A CLI run (from a laptop) or a pull-request run (against a
 * preview) is recorded for history and the base-branch comparison, but never counted toward an
 * incident.
 *
 * A result without a source was written before sources were recorded. Every writer of that time
 * was the bot (scheduled or manual runs) or a CLI/PR run, which can no longer be told apart; such
 * results count, so incidents open before this rule keep their streaks. They age out with retention.
 */
import type { RunSource } from '../types.js';

const PRODUCTION_SOURCES: ReadonlySet<RunSource['kind']> = new Set(['schedule', 'manual']);

/** True when a stored result counts toward the test's incident. */
export function movesIncidents(result: { source?: RunSource | undefined }): boolean {
  return result.source === undefined || PRODUCTION_SOURCES.has(result.source.kind);
}
