/**
 * What an alert says, as plain data: saved in the outbox with the decision (so a crash, a retry or
 * another replica sends the very same message), and shaped for each platform only when it is sent
 * (src/adapters/notify/*). Everything here comes from HouseCat's own records; the only text from
 * the page under test is the failure reason and step, redacted and clipped to a short excerpt.
 */

/** The incident events a channel can be told about (`notify_on:`). */
export const NOTIFY_EVENTS = ['opened', 'resolved', 'missed', 'reason_changed', 'acknowledged'] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

/** What a test without `notify_on:` is alerted on. */
export const DEFAULT_NOTIFY_ON: readonly NotifyEvent[] = ['opened', 'resolved'];

/** Longest excerpt of page-derived text (reason, failed step) an alert carries. */
export const EXCERPT_MAX = 500;

/** The recovery numbers of a resolved incident (from core/incidents/summary.ts). */
export interface AlertSummary {
  downtimeMs: number;
  failedRuns: number;
  /** Runs since the incident started, passes and failures. */
  runs: number;
  p50Ms?: number;
  p95Ms?: number;
  /** `response`: the page's response time; `duration`: whole runs (nothing else measured). */
  measure: 'response' | 'duration';
}

export interface AlertLinks {
  /** The incident's GitHub issue (or the repository's issues while it is being created). */
  issue?: string;
  /** The dashboard's page of the run behind the event. */
  run?: string;
  /** The repository's public status page, when it has one. */
  status?: string;
}

export interface AlertMessage {
  /** `test`: `housecat notify test`, no incident behind it. */
  event: NotifyEvent | 'test';
  testId: string;
  testName: string;
  /** `owner/name`. */
  repo: string;
  /** The page the test starts on. */
  url: string;
  /** Epoch ms of the first failed run (or, for a missed incident, of the last run). */
  since: number;
  /** Epoch ms of the event. */
  at: number;
  /** Redacted, clipped: why it failed (or why runs stopped, or the new reason). */
  reason?: string;
  /** Redacted, clipped: the step that failed. */
  failedStep?: string;
  /** The reason before, for `reason_changed`. */
  previousReason?: string;
  failedRuns?: number;
  /** Who closed the issue, for `acknowledged` (when known). */
  by?: string;
  summary?: AlertSummary;
  links: AlertLinks;
}

const HEADLINES: Record<AlertMessage['event'], string> = {
  opened: 'is failing',
  missed: 'has stopped running',
  reason_changed: 'is still failing, for a different reason',
  acknowledged: 'incident acknowledged',
  resolved: 'has recovered',
  test: 'test alert from HouseCat',
};

const ICONS: Record<AlertMessage['event'], string> = {
  opened: '🔴',
  missed: '⏰',
  reason_changed: '🔁',
  acknowledged: '👀',
  resolved: '✅',
  test: '🧪',
};

/** `🔴 Login Flow is failing` */
export function alertTitle(m: Pick<AlertMessage, 'event' | 'testName'>): string {
  return `${ICONS[m.event]} ${m.testName} ${HEADLINES[m.event]}`;
}

/** Colour of the event for platforms that show one (Discord embeds, email), as 0xRRGGBB. */
export function alertColour(event: AlertMessage['event']): number {
  if (event === 'resolved') return 0x2e7d32;
  if (event === 'acknowledged' || event === 'test') return 0x546e7a;
  if (event === 'missed') return 0xef6c00;
  return 0xc62828;
}

/** `2026-05-01 12:00 UTC` */
export function alertTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `2 h 5 min` */
export function alertDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
}

/** The facts of a message as label/value pairs, in the order every platform shows them. */
export function alertFacts(m: AlertMessage): { label: string; value: string }[] {
  const facts = [
    { label: 'Test', value: m.testName },
    { label: 'Repository', value: m.repo },
  ];
  if (m.event !== 'test')
    facts.push({ label: m.event === 'missed' ? 'Last run' : 'Since', value: alertTime(m.since) });
  if (m.event === 'resolved' && m.summary) {
    const s = m.summary;
    const what = s.measure === 'response' ? 'Response time' : 'Run duration';
    facts.push(
      { label: 'Downtime', value: alertDuration(s.downtimeMs) },
      { label: 'Runs', value: `${s.runs} (${s.failedRuns} failed)` },
      { label: `${what} during`, value: `p50 ${ms(s.p50Ms)}, p95 ${ms(s.p95Ms)}` },
    );
  } else if (m.failedRuns) {
    facts.push({ label: 'Failed runs', value: String(m.failedRuns) });
  }
  if (m.by) facts.push({ label: 'Acknowledged by', value: m.by });
  return facts;
}

const ms = (x: number | undefined) => (x === undefined ? '–' : `${Math.round(x)} ms`);

/** The links of a message, labelled, in a fixed order. */
export function alertLinks(m: AlertMessage): { label: string; url: string }[] {
  const out: { label: string; url: string }[] = [];
  if (m.links.issue) out.push({ label: 'GitHub issue', url: m.links.issue });
  if (m.links.run) out.push({ label: 'Run', url: m.links.run });
  if (m.links.status) out.push({ label: 'Status page', url: m.links.status });
  return out;
}

/** The message as plain text (email's text part, logs of `notify test`, the webhook's `text`). */
export function alertText(m: AlertMessage): string {
  const lines = [alertTitle(m), ''];
  for (const f of alertFacts(m)) lines.push(`${f.label}: ${f.value}`);
  if (m.reason) lines.push('', m.event === 'resolved' ? 'Last failure:' : 'Why:', m.reason);
  if (m.failedStep) lines.push('', 'Failed step:', m.failedStep);
  if (m.previousReason) lines.push('', 'Before:', m.previousReason);
  const links = alertLinks(m);
  if (links.length > 0) lines.push('', ...links.map((l) => `${l.label}: ${l.url}`));
  return lines.join('\n');
}

/** Page text for an alert: one excerpt, whitespace folded, clipped. Redaction comes first (caller). */
export function excerpt(text: string | undefined, max = EXCERPT_MAX): string | undefined {
  if (!text) return undefined;
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max)}…` : one;
}
