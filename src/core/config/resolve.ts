/**
 * Turns a validated file into resolved {@link TestDefinition}s: defaults applied, ids derived.
 */
import { slugify, testId } from '../ids.js';
import { scheduledCron, scheduledSecond } from '../scheduling/hashed-cron.js';
import { parseDuration } from '../scheduling/maintenance.js';
import type { AgentKind, TestDefinition } from '../types.js';
import { BUILT_IN_DEFAULTS, type RawFile } from './schema.js';

function hosts(...lists: (string[] | undefined)[]): string[] {
  const all = lists.flatMap((list) => list ?? []).map((h) => h.trim().toLowerCase());
  return [...new Set(all)];
}

/** Applies `defaults:` and the built-in defaults to every test of a valid file. */
export function resolveTests(file: RawFile, repo: string): TestDefinition[] {
  const d = file.defaults ?? {};
  return file.tests.map((t) => {
    const slug = t.id ?? slugify(t.name);
    const goal = t.goal?.trim();
    const agent: AgentKind = goal ? (t.agent ?? d.agent ?? BUILT_IN_DEFAULTS.agent) : 'checks';
    const schedule = t.schedule === null ? undefined : (t.schedule ?? d.schedule);
    const text = t.expect?.text === undefined ? undefined : [t.expect.text].flat();
    const definition: TestDefinition = {
      id: testId(repo, slug),
      slug,
      repo,
      name: t.name.trim(),
      url: t.url.trim(),
      timeout: t.timeout ?? d.timeout ?? BUILT_IN_DEFAULTS.timeout,
      retries: t.retries ?? d.retries ?? BUILT_IN_DEFAULTS.retries,
      failureThreshold: t.failure_threshold ?? d.failure_threshold ?? BUILT_IN_DEFAULTS.failureThreshold,
      recoveryThreshold: t.recovery_threshold ?? d.recovery_threshold ?? BUILT_IN_DEFAULTS.recoveryThreshold,
      agent,
      maxSteps: t.max_steps ?? d.max_steps ?? BUILT_IN_DEFAULTS.maxSteps,
      allowedHosts: hosts(d.allowed_hosts, t.allowed_hosts),
      secrets: [...new Set(t.secrets ?? [])],
    };
    if (goal) definition.goal = goal;
    // Stored resolved (H replaced by this test's values): QStash, lateness and the watchdog all read
    // the minute the test really runs on from this one field.
    if (schedule) {
      const spread = t.spread ?? d.spread ?? false;
      const written = schedule.trim().replace(/\s+/g, ' ');
      definition.schedule = scheduledCron(written, definition.id, spread);
      // Only a second other than :00 is written, so tests without `H` keep their content hash.
      const second = scheduledSecond(written, definition.id, spread);
      if (second > 0) definition.scheduleSecond = second;
    }
    // Only `false` is written: tests that leave replay on keep the content hash they had.
    if ((t.replay ?? d.replay) === false) definition.replay = false;
    // Likewise only `on-failure` is written (issue 29).
    if ((t.trace ?? d.trace) === 'on-failure') definition.trace = 'on-failure';
    const model = t.model ?? d.model;
    if (model) definition.model = model;
    if (t.expect) {
      definition.expect = {};
      if (t.expect.status !== undefined) definition.expect.status = t.expect.status;
      if (text) definition.expect.text = text;
      if (t.expect.max_ms !== undefined) definition.expect.maxMs = t.expect.max_ms;
    }
    const windows = [...(file.maintenance ?? []), ...(t.maintenance ?? [])].map((w) => ({
      schedule: w.schedule.trim().replace(/\s+/g, ' '),
      durationMs: parseDuration(w.duration) as number,
    }));
    if (windows.length > 0) definition.maintenance = windows;
    // The test's own list wins, then `defaults:`, then the top level ([] turns alerts off).
    const notify = t.notify ?? d.notify ?? file.notify;
    if (notify && notify.length > 0) definition.notify = [...new Set(notify)];
    const notifyOn = t.notify_on ?? d.notify_on ?? file.notify_on;
    if (definition.notify && notifyOn) definition.notifyOn = [...new Set(notifyOn)];
    return definition;
  });
}
