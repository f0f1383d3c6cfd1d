/**
 * The alerts an incident decision sends (core/notify), built beside its GitHub work and saved in
 * the same transaction: the message is fixed here, from the records the decision read, so whoever
 * sends it later (this process, another replica, after a crash) sends the same one.
 *
 * A channel the test names but this app does not have is not dropped: its alert waits in the
 * outbox for a day (long enough to add the variable and restart), and the problem is said where
 * people look — the app's log, the run's own log (events), and the dashboard's channel list
 * (the drainer records it there on its first attempt).
 */
import { channelVariable } from '../notify/channels.js';
import { type AlertMessage, type AlertSummary, excerpt, type NotifyEvent } from '../notify/message.js';
import { planAlerts, routeOf } from '../notify/plan.js';
import type { Logger, Store, StoredResult } from '../ports.js';
import { createRedactor } from '../secrets/redact.js';
import type { Incident, TestDefinition } from '../types.js';
import type { NotifyItem } from './outbox.js';
import type { RecoverySummary } from './summary.js';

/** What the decision needs to know about this app's alerting. */
export interface AlertContext {
  /** True when this app has channel `name` (HOUSECAT_NOTIFY_<NAME>). */
  configured(name: string): boolean;
  /** The values of the test's secrets, so alerts are redacted like everything else that leaves a run. */
  secretsFor?(names: string[]): Record<string, string>;
  /** True when the repository's status page is public (then alerts link it). */
  statusPagePublic?(repo: string): Promise<boolean>;
}

export interface AlertInput {
  event: NotifyEvent;
  incident: Incident;
  /** The run behind the event: the failure, or the recovering pass. */
  run?: Pick<StoredResult, 'runId' | 'reason' | 'failedStep'>;
  previousReason?: string;
  summary?: RecoverySummary;
  /** Runs since the incident started, for the resolved summary. */
  runs?: number;
  by?: string;
}

/**
 * The alert items of one incident event, or none (no route, event not wanted, no alerting here).
 * Never throws for a status page lookup: the link is only left out.
 */
export async function alertWork(
  deps: { store: Store; logger?: Logger; alerts?: AlertContext; links?: { app?: string } },
  test: TestDefinition,
  input: AlertInput,
  now: number,
): Promise<NotifyItem[]> {
  const route = routeOf(test);
  if (route.channels.length === 0 || !route.events.includes(input.event)) return [];
  const message = await alertMessage(deps, test, input, now);
  const items = planAlerts({
    test,
    event: input.event,
    missedIncident: input.incident.kind === 'missed',
    message,
    now,
    ...(input.event === 'reason_changed' && input.run ? { detail: input.run.runId } : {}),
    newId: () => globalThis.crypto.randomUUID(),
  });
  const missing = route.channels.filter((c) => !deps.alerts?.configured(c));
  if (items.length > 0 && missing.length > 0) await sayMissing(deps, test, input, missing, now);
  return items;
}

async function alertMessage(
  deps: { alerts?: AlertContext; links?: { app?: string } },
  test: TestDefinition,
  input: AlertInput,
  now: number,
): Promise<AlertMessage> {
  const { incident, run } = input;
  const redact = createRedactor(deps.alerts?.secretsFor?.(test.secrets) ?? {});
  const clean = (text: string | undefined) => excerpt(text === undefined ? undefined : redact(text));
  const app = deps.links?.app?.replace(/\/$/, '');
  const [owner, repo] = test.repo.split('/');
  const links: AlertMessage['links'] = {};
  if (app && run) links.run = `${app}/r/${owner}/${repo}/${test.slug}/runs/${encodeURIComponent(run.runId)}`;
  const isPublic = await (deps.alerts?.statusPagePublic?.(test.repo) ?? Promise.resolve(false)).catch(
    () => false,
  );
  if (app && isPublic) links.status = `${app}/status/${owner}/${repo}`;
  const message: AlertMessage = {
    event: input.event,
    testId: test.id,
    testName: test.name,
    repo: test.repo,
    url: test.url,
    since: incident.since,
    at: now,
    failedRuns: incident.failedRuns,
    links,
  };
  const reason = clean(input.event === 'resolved' || !run ? incident.lastReason : run.reason);
  if (reason) message.reason = reason;
  const step = input.event === 'resolved' ? undefined : clean(run?.failedStep);
  if (step) message.failedStep = step;
  const previous = clean(input.previousReason);
  if (previous) message.previousReason = previous;
  if (input.by) message.by = input.by;
  if (input.summary) message.summary = alertSummary(input.summary, input.runs);
  return message;
}

function alertSummary(s: RecoverySummary, runs: number | undefined): AlertSummary {
  const summary: AlertSummary = {
    downtimeMs: s.downtimeMs,
    failedRuns: s.failedRuns,
    runs: Math.max(runs ?? 0, s.failedRuns),
    measure: s.during.measure ?? 'duration',
  };
  if (s.during.p50 !== undefined) summary.p50Ms = s.during.p50;
  if (s.during.p95 !== undefined) summary.p95Ms = s.during.p95;
  return summary;
}

/** Says, in the app's log and the run's log, that channels the test names are not configured. */
async function sayMissing(
  deps: { store: Store; logger?: Logger },
  test: TestDefinition,
  input: AlertInput,
  missing: string[],
  now: number,
): Promise<void> {
  const text =
    `alert "${input.event}" of ${test.id}: ${missing.map((c) => `channel "${c}"`).join(', ')} named by notify: in ${test.repo}'s housecat.yml ` +
    `${missing.length > 1 ? 'are' : 'is'} not configured in this app — set ${missing.map(channelVariable).join(', ')} (docs/alerts.md) and restart it; the alert waits in the outbox for a day`;
  deps.logger?.error(text);
  if (!input.run) return;
  await deps.store
    .appendEvents(test.id, input.run.runId, [{ type: 'error', message: text, at: now }])
    .catch(() => undefined);
}
