/**
 * How HouseCat's values are written into Redis and read back. Every value is a string we encode
 * ourselves and decode ourselves: nothing is left to a client's "automatic" JSON parsing, so a test
 * named `123`, `true` or `{"a":1}` comes back exactly as written.
 */
import type { StoredEvent, StoredResult, StoredTest, StoredTiming } from '../../core/ports.js';
import { failedStep } from '../../core/report/format.js';
import type { Incident, RunEvent, RunResult, TestDefinition } from '../../core/types.js';
import type { Reply } from './transport.js';

/** Longest `reason` kept per stored result; the full text is in the run report, not in Redis. */
export const MAX_REASON = 500;
/** Longest failed-step description kept per stored result. */
export const MAX_FAILED_STEP = 200;
/** Longest event message kept in the events stream. */
export const MAX_EVENT_MESSAGE = 500;

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Flat `[field, value, ...]` for HSET from an object, leaving out undefined values. */
function flatten(fields: Record<string, string | undefined>): string[] {
  const out: string[] = [];
  for (const [field, value] of Object.entries(fields)) if (value !== undefined) out.push(field, value);
  return out;
}

/** HGETALL's flat `[field, value, ...]` reply as a map. */
export function pairs(reply: Reply): Map<string, string> {
  const map = new Map<string, string>();
  if (!Array.isArray(reply)) return map;
  for (let i = 0; i + 1 < reply.length; i += 2) {
    const field = reply[i];
    const value = reply[i + 1];
    if (typeof field === 'string' && typeof value === 'string') map.set(field, value);
  }
  return map;
}

function num(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** Fields of the `test:{id}` hash. The `definition` JSON is the truth; the rest is for people and dashboards. */
export function encodeTest(test: StoredTest): string[] {
  const d = test.definition;
  return flatten({
    name: d.name,
    url: d.url,
    goal: d.goal,
    schedule: d.schedule,
    repo: d.repo,
    slug: d.slug,
    definition: JSON.stringify(d),
    content_hash: test.contentHash,
    qstash_schedule_id: test.scheduleId,
    updated_at: String(test.updatedAt),
  });
}

/** Reads a `test:{id}` hash; `null` when the hash is missing (HGETALL gives an empty reply). */
export function decodeTest(key: string, reply: Reply): StoredTest | null {
  const fields = pairs(reply);
  if (fields.size === 0) return null;
  const json = fields.get('definition');
  let definition: TestDefinition;
  try {
    definition = JSON.parse(json ?? '') as TestDefinition;
  } catch {
    throw new Error(
      `The hash ${key} has no readable "definition" field: it was not written by HouseCat or was edited by hand. ` +
        'Run the sync again (housecat sync) to rewrite it.',
    );
  }
  const stored: StoredTest = {
    definition,
    contentHash: fields.get('content_hash') ?? '',
    updatedAt: num(fields.get('updated_at')) ?? 0,
  };
  const scheduleId = fields.get('qstash_schedule_id');
  if (scheduleId) stored.scheduleId = scheduleId;
  return stored;
}

/** The step that failed, as `action target: outcome`. */
export function failedStepOf(result: RunResult): string | undefined {
  // The same choice as every report: the step that decided the verdict, not a blocked request.
  const step = failedStep(result);
  if (!step) return undefined;
  return clip(`${step.action}${step.target ? ` ${step.target}` : ''}: ${step.outcome}`, MAX_FAILED_STEP);
}

/**
 * The `results:{id}` member: JSON that carries the run id, so two runs with the same outcome stay
 * two members. Screenshots, steps and token counts are deliberately left out (they are large, and the
 * PR comment or issue already has them).
 */
export function encodeResult(result: RunResult): string {
  const stored: StoredResult = {
    runId: result.runId,
    status: result.status,
    reason: clip(result.reason, MAX_REASON),
    startedAt: result.startedAt,
    durationMs: result.durationMs,
  };
  if (result.responseMs !== undefined) stored.responseMs = result.responseMs;
  const failedStep = failedStepOf(result);
  if (failedStep !== undefined) stored.failedStep = failedStep;
  if (result.source !== undefined) stored.source = result.source;
  // Goal runs only: a checks-only run never calls a model, so its members stay as they were.
  if (result.mode !== undefined || result.usage.llmCalls > 0) {
    if (result.mode !== undefined) stored.mode = result.mode;
    stored.llm_calls = result.usage.llmCalls;
  }
  if (result.tick !== undefined) stored.tick = result.tick;
  if (result.latenessMs !== undefined) stored.latenessMs = result.latenessMs;
  return JSON.stringify(stored);
}

/** Reads a results member; `null` for a member HouseCat did not write. */
export function decodeResult(member: string): StoredResult | null {
  try {
    const value = JSON.parse(member) as StoredResult;
    if (typeof value !== 'object' || value === null || typeof value.runId !== 'string') return null;
    return value;
  } catch {
    return null;
  }
}

/**
 * The `timing:{id}` member `runId:ms` (ms = the run's duration): unique per run, so equal durations
 * at different times stay two entries. The main document's response time is in the results member.
 */
export function encodeTiming(result: RunResult): string {
  return `${result.runId}:${Math.max(0, Math.round(result.durationMs))}`;
}

export function decodeTiming(member: string, score: string | number): StoredTiming | null {
  const cut = member.lastIndexOf(':');
  const ms = Number(member.slice(cut + 1));
  const at = Number(score);
  if (cut <= 0 || !Number.isFinite(ms) || !Number.isFinite(at)) return null;
  return { runId: member.slice(0, cut), ms, at };
}

/** `WITHSCORES` replies: `[member, score, member, score, ...]`. */
export function memberScores(reply: Reply): { member: string; score: string }[] {
  const out: { member: string; score: string }[] = [];
  if (!Array.isArray(reply)) return out;
  for (let i = 0; i + 1 < reply.length; i += 2) {
    const member = reply[i];
    const score = reply[i + 1];
    if (typeof member === 'string' && (typeof score === 'string' || typeof score === 'number')) {
      out.push({ member, score: String(score) });
    }
  }
  return out;
}

/** Field/value pairs of one `events:{id}` stream entry. */
export function encodeEvent(runId: string, event: RunEvent): string[] {
  return [
    'type',
    event.type,
    'message',
    clip(event.message, MAX_EVENT_MESSAGE),
    'at',
    String(event.at),
    'run_id',
    runId,
  ];
}

const EVENT_TYPES = new Set<RunEvent['type']>(['step', 'pass', 'fail', 'error']);

/** Reads XRANGE's `[[id, [field, value, ...]], ...]` reply. */
export function decodeEvents(reply: Reply): StoredEvent[] {
  const out: StoredEvent[] = [];
  if (!Array.isArray(reply)) return out;
  for (const entry of reply) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string') continue;
    const fields = pairs(entry[1] ?? null);
    const type = fields.get('type') as RunEvent['type'] | undefined;
    out.push({
      streamId: entry[0],
      runId: fields.get('run_id') ?? '',
      type: type && EVENT_TYPES.has(type) ? type : 'step',
      message: fields.get('message') ?? '',
      at: num(fields.get('at')) ?? 0,
    });
  }
  return out;
}

/** Fields of the `incident:{id}` hash. */
export function encodeIncident(incident: Incident): string[] {
  return flatten({
    test_id: incident.testId,
    repo: incident.repo,
    status: incident.status,
    issue_number: incident.issueNumber === undefined ? undefined : String(incident.issueNumber),
    since: String(incident.since),
    opened_at: String(incident.openedAt),
    last_failure_at: String(incident.lastFailureAt),
    last_reason: clip(incident.lastReason, MAX_REASON),
    failed_runs: String(incident.failedRuns),
    resolved_at: incident.resolvedAt === undefined ? undefined : String(incident.resolvedAt),
    github_error: incident.githubError === undefined ? undefined : clip(incident.githubError, MAX_REASON),
    kind: incident.kind,
  });
}

export function decodeIncident(reply: Reply): Incident | null {
  const f = pairs(reply);
  if (f.size === 0) return null;
  const status = f.get('status');
  const incident: Incident = {
    testId: f.get('test_id') ?? '',
    repo: f.get('repo') ?? '',
    status: status === 'acknowledged' || status === 'resolved' ? status : 'open',
    since: num(f.get('since')) ?? 0,
    openedAt: num(f.get('opened_at')) ?? 0,
    lastFailureAt: num(f.get('last_failure_at')) ?? 0,
    lastReason: f.get('last_reason') ?? '',
    failedRuns: num(f.get('failed_runs')) ?? 0,
  };
  const issueNumber = num(f.get('issue_number'));
  if (issueNumber !== undefined) incident.issueNumber = issueNumber;
  const resolvedAt = num(f.get('resolved_at'));
  if (resolvedAt !== undefined) incident.resolvedAt = resolvedAt;
  const githubError = f.get('github_error');
  if (githubError) incident.githubError = githubError;
  if (f.get('kind') === 'missed') incident.kind = 'missed';
  return incident;
}

/** A reply that must be a list of strings (SMEMBERS, LRANGE, ZRANGE without scores). */
export function strings(reply: Reply): string[] {
  return Array.isArray(reply) ? reply.filter((r): r is string => typeof r === 'string') : [];
}
