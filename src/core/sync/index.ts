/** core/sync/: sync planning: the content hash of a definition and the plan from file to Redis and QStash. */
export { describeChanges } from './changes.js';
export { canonicalJson, contentHash, sha256Hex } from './hash.js';
export {
  callbackDestination,
  hasChanges,
  type PlanCounts,
  type PlanItem,
  planSync,
  SCHEDULE_RETRIES,
  type SyncAction,
  type SyncPlan,
  type SyncWrites,
  scheduleIdFor,
} from './plan.js';
export { renderPlanMarkdown, renderPlanSummary, renderPlanTable } from './render.js';
