/**
 * Runs a scheduled delivery that its claim script has claimed (handle-delivery.ts), in as few Redis
 * commands as the guarantees allow (issue 25): the claim already read the test, the incident record
 * and the history; the run's events are held back for runs shorter than LIVE_DELAY_MS; the incident
 * decision is made before recording and rides in the record script with the result, the rollups,
 * the lateness, the events, the outbox work and the release. The leases (message and run lock,
 * renewed together) cost a command only for runs longer than a third of the lease.
 *
 * When the incident record moved between claim and record (a webhook, the watchdog, a drainer),
 * the record script saves the run without the decision, and the incident is evaluated the long way
 * (run-now.ts's updateIncident, under the incident lock).
 */
import type { DecisionWrite } from '../core/incidents/outbox.js';
import type { DeliveryClaim, IncidentWrite, StoredResult } from '../core/ports.js';
import { failedStep } from '../core/report/format.js';
import type { DeliveryTiming } from '../core/scheduling/lateness.js';
import { activeWindow } from '../core/scheduling/maintenance.js';
import type { RunResult, TestDefinition } from '../core/types.js';
import { type IncidentPlan, logPlan, planIncident } from './evaluate-incident.js';
import { keepRunRecord, type RunBinaries } from './keep-run-record.js';
import { keepRenewing } from './lease.js';
import {
  answerAfterIncident,
  keepScreenshot,
  maintenanceSkip,
  type RunNowDeps,
  type RunNowOutcome,
  runDeadlineMs,
  runOnce,
  updateIncident,
} from './run-now.js';

/** A scheduled run's events reach the live view after this, or with the result if it ends sooner. */
export const LIVE_DELAY_MS = 2000;

type Claimed = Extract<DeliveryClaim, { kind: 'claimed' }>;

export interface ClaimedDelivery {
  claim: Claimed;
  owner: string;
  jti: string;
  messageId?: string;
  timing?: DeliveryTiming;
  /** The message's final state and how long it is kept. */
  settle: { value: string; ttlMs: number };
  incidentWaitMs?: number;
}

/**
 * Runs, records and decides the incident of a claimed delivery. Throws when the store fails before
 * the result is recorded (the claim is let go, so QStash's retry runs it).
 */
export async function runClaimedDelivery(
  deps: RunNowDeps,
  delivery: ClaimedDelivery,
): Promise<RunNowOutcome> {
  const { claim, owner, jti, messageId } = delivery;
  const test = claim.test.definition;
  const ids = { testId: test.id, owner, jti, ...(messageId ? { messageId } : {}) };
  const renewing = keepRenewing(deps, `delivery of ${test.id}`, claim.leaseMs, () =>
    deps.store.delivery.renewDelivery({ ...ids, leaseMs: claim.leaseMs }),
  );
  const window = activeWindow(test.maintenance, deps.clock.now());
  let result: RunResult;
  let plan: IncidentPlan | null = null;
  let recorded: Awaited<ReturnType<typeof deps.store.delivery.recordDelivery>>;
  let screenshot: string | undefined;
  let binaries: RunBinaries | undefined;
  try {
    const ran: Awaited<ReturnType<typeof runOnce>> = window
      ? maintenanceSkip(deps, test, { kind: 'schedule' }, window.until)
      : await runOnce(deps, test, { kind: 'schedule' }, runDeadlineMs(test, deps.maxRunMs), LIVE_DELAY_MS);
    screenshot = ran.screenshot;
    binaries = ran.binaries;
    result = delivery.timing
      ? { ...ran.result, tick: delivery.timing.tick, latenessMs: delivery.timing.latenessMs }
      : ran.result;
    // A skipped run is inconclusive anyway; not evaluating keeps an open incident exactly as it is.
    if (!window && (await decisionLock(deps, claim, owner)))
      plan = await planOrNull(deps, claim, result, ran.all);
    recorded = await deps.store.delivery.recordDelivery({
      ...ids,
      result,
      events: ran.events,
      settle: delivery.settle,
      ...(plan
        ? {
            incident: {
              version: claim.incidentVersion,
              write: incidentWrite(plan.write),
              work: plan.write?.work ?? [],
            },
          }
        : window
          ? {}
          : { incident: { version: claim.incidentVersion, write: { kind: 'none' }, work: [] } }),
    });
  } catch (error) {
    renewing.stop();
    await deps.store.delivery.releaseDelivery(ids).catch((e: unknown) => {
      deps.logger.warn(
        `could not release the delivery of ${test.id} (its lease expires by itself): ${String(e)}`,
      );
    });
    throw error;
  }
  renewing.stop();
  deps.metrics?.runRecorded(result, 'schedule');
  if (screenshot) await keepScreenshot(deps, result, screenshot);
  // A separate, best-effort write: the result above is recorded whatever happens to this one.
  await keepRunRecord(deps, test.repo, result, binaries);
  // Other tests' GitHub work waiting (this test's own is drained below): an empty outbox costs
  // nothing to know, the record script counted it.
  const ownWork = claim.pending.length > 0 || (plan?.outcome.queued ?? 0) > 0;
  if (recorded.outboxTests > (ownWork ? 1 : 0)) deps.outbox?.kick();
  if (window) return { kind: 'ran', result, incident: { decision: 'none' } };
  if (recorded.incident !== 'applied' || !plan) return await afterRecord(deps, delivery, result, null);
  logPlan(deps.incident, test, plan.outcome);
  return await afterRecord(deps, delivery, result, plan);
}

/**
 * An active incident's decision reads GitHub (the issue's state) or the recovery summary: it holds
 * the incident lock meanwhile, as every decision does, so the watchdog or a retried delivery does not
 * decide at the same time. The record script releases it. Without an active incident nothing slow is
 * read, and the record script's check of the record is enough. False: another decision holds it.
 */
async function decisionLock(deps: RunNowDeps, claim: Claimed, owner: string): Promise<boolean> {
  if (!claim.incident || claim.incident.status === 'resolved') return true;
  const test = claim.test.definition;
  return await deps.store
    .claim(deps.store.claimNames.incidentLock(test.id), owner, claim.leaseMs)
    .catch((error: unknown) => {
      deps.logger.warn(
        `incident of ${test.id}: could not take its lock (${String(error)}); evaluating it after the run`,
      );
      return false;
    });
}

/** The decision over the claim's snapshot plus this run; null when it could not be made (then the long way). */
async function planOrNull(
  deps: RunNowDeps,
  claim: Claimed,
  result: RunResult,
  events: NonNullable<Awaited<ReturnType<typeof runOnce>>['all']> | undefined,
): Promise<IncidentPlan | null> {
  const test = claim.test.definition;
  const history = [storedOf(result), ...claim.history.filter((r) => r.runId !== result.runId)];
  // The claim read a window of the history: when it may be too short for the thresholds, read more.
  if (claim.history.length > 0 && !deep(history, test)) return null;
  try {
    return await planIncident(
      deps.incident,
      test,
      { current: claim.incident, history, pending: claim.pending },
      events ? { events } : {},
    );
  } catch (error) {
    deps.logger.warn(
      `incident of ${test.id}: deciding failed (${String(error)}); evaluating it again after the run`,
    );
    return null;
  }
}

/** True when `history` holds enough conclusive results for either threshold (or all there is). */
function deep(history: readonly StoredResult[], test: TestDefinition): boolean {
  const conclusive = history.filter((r) => r.status === 'passed' || r.status === 'failed').length;
  const needed = Math.max(test.failureThreshold, test.recoveryThreshold, 1);
  return conclusive > needed || history.length < HISTORY_WINDOW;
}

/** The results the claim reads for the decision: enough for thresholds up to about 10. */
export const HISTORY_WINDOW = 20;

function incidentWrite(write: DecisionWrite | null): IncidentWrite {
  if (write?.save) return { kind: 'save', incident: write.save };
  if (write?.close) return { kind: 'close', ...write.close };
  return { kind: 'none' };
}

/** The result as the history holds it once recorded (the fields the incident rules read). */
function storedOf(result: RunResult): StoredResult {
  const step = failedStep(result);
  return {
    runId: result.runId,
    status: result.status,
    reason: result.reason,
    startedAt: result.startedAt,
    durationMs: result.durationMs,
    ...(result.responseMs !== undefined ? { responseMs: result.responseMs } : {}),
    ...(result.source !== undefined ? { source: result.source } : {}),
    ...(step ? { failedStep: `${step.action}${step.target ? ` ${step.target}` : ''}: ${step.outcome}` } : {}),
  };
}

/**
 * After the record: GitHub work the decision queued (or older work) is drained now, for at most
 * `incidentWaitMs`; with no plan applied, the incident is evaluated the long way.
 */
async function afterRecord(
  deps: RunNowDeps,
  delivery: ClaimedDelivery,
  result: RunResult,
  plan: IncidentPlan | null,
): Promise<RunNowOutcome> {
  const test = delivery.claim.test.definition;
  if (plan && !plan.outcome.queued && !plan.outcome.waiting) {
    return { kind: 'ran', result, incident: plan.outcome };
  }
  const update = updateIncident(deps, test, plan ? { decided: plan.outcome } : {});
  return await answerAfterIncident(result, update, delivery.incidentWaitMs);
}
