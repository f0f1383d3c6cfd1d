/**
 * `/metrics`: Prometheus text (parsed here by the exposition format's rules), off without
 * HOUSECAT_METRICS_TOKEN, 401 without the right bearer token, and its run counters equal the runs
 * recorded in Redis after signed deliveries.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRedisUrl } from '../support/redis.js';
import { makeTest } from '../support/test-definitions.js';
import { deliverScheduled, type Harness, startHarness } from './harness.js';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the text exposition format (version 0.0.4); throws on any line it does not allow. */
function parsePrometheus(text: string): { types: Map<string, string>; samples: Sample[] } {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = line.match(new RegExp(`^# (HELP|TYPE) (${NAME}) (.*)$`));
    if (meta) {
      if (meta[1] === 'TYPE') {
        expect(['counter', 'gauge', 'histogram', 'summary', 'untyped']).toContain(meta[3]);
        types.set(meta[2] as string, meta[3] as string);
      }
      continue;
    }
    const m = line.match(new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: -?\\d+)?$`));
    if (!m) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    const body = m[2] ?? '';
    const rest = body.replace(
      /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/g,
      (_, k: string, v: string) => {
        labels[k] = v.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
        return '';
      },
    );
    if (rest !== '') throw new Error(`bad labels in: ${line}`);
    const raw = m[3] as string;
    const value = raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw);
    if (Number.isNaN(value) && raw !== 'NaN') throw new Error(`bad value in: ${line}`);
    const name = m[1] as string;
    const family = name.replace(/_(bucket|sum|count)$/, '');
    if (!types.has(name) && !types.has(family)) throw new Error(`sample before its # TYPE: ${line}`);
    samples.push({ name, labels, value });
  }
  return { types, samples };
}

function sum(samples: Sample[], name: string, labels: Record<string, string>): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((a, s) => a + s.value, 0);
}

describe('/metrics', () => {
  const token = `metrics-${randomUUID()}`;
  let h: Harness;
  let off: Harness;

  beforeAll(async () => {
    h = await startHarness({ metricsToken: token, incidentWaitMs: 1500 });
    off = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
    await off?.close();
  });

  it('is 404 without HOUSECAT_METRICS_TOKEN, 401 without the right bearer token', async () => {
    expect(
      (await fetch(`${off.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(404);
    expect((await fetch(`${h.url}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${h.url}/metrics`, { headers: { authorization: `Bearer ${token}x` } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('parses as Prometheus text, and its run counters match the runs recorded in Redis', async () => {
    const good = makeTest(`metrics-ok-${randomUUID().slice(0, 8)}`);
    const bad = makeTest(`metrics-ko-${randomUUID().slice(0, 8)}`);
    await h.addTest(good);
    await h.addTest(bad);
    h.agent.verdict.set(bad.id, { status: 'failed' });
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await deliverScheduled(h.url, h.signing.current, good.id));
    for (let i = 0; i < 2; i++) answers.push(await deliverScheduled(h.url, h.signing.current, bad.id));
    for (const a of answers) expect(a.status, JSON.stringify(a.json)).toBe(200);

    const res = await fetch(`${h.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const { types, samples } = parsePrometheus(await res.text());
    expect(types.get('housecat_runs_total')).toBe('counter');
    expect(types.get('housecat_run_duration_seconds')).toBe('histogram');
    expect(types.get('housecat_run_lateness_seconds')).toBe('histogram');
    expect(types.get('housecat_outbox_tests_pending')).toBe('gauge');
    expect(types.get('housecat_redis_errors_total')).toBe('counter');
    expect(types.get('housecat_incidents_active')).toBe('gauge');
    expect(sum(samples, 'housecat_redis_errors_total', {})).toBe(0);

    const recorded = [...(await h.store.getResults(good.id)), ...(await h.store.getResults(bad.id))];
    const byStatus = (status: string) => recorded.filter((r) => r.status === status).length;
    expect(recorded).toHaveLength(5);
    expect(sum(samples, 'housecat_runs_total', { status: 'passed', mode: 'schedule' })).toBe(
      byStatus('passed'),
    );
    expect(sum(samples, 'housecat_runs_total', { status: 'failed', mode: 'schedule' })).toBe(
      byStatus('failed'),
    );
    expect(sum(samples, 'housecat_runs_total', {})).toBe(recorded.length);
    expect(sum(samples, 'housecat_run_duration_seconds_count', { mode: 'schedule' })).toBe(recorded.length);
    const redis = createClient({ url: testRedisUrl() });
    await redis.connect();
    const active = await redis.lLen(`${h.prefix}incidents`);
    await redis.quit();
    expect(sum(samples, 'housecat_incidents_active', {})).toBe(active);
    const pending = samples.find((s) => s.name === 'housecat_outbox_tests_pending');
    expect(pending?.value).toBeGreaterThanOrEqual(0);
  });

  it("reports GitHub's rate budget as the GitHub stand-in last stated it", async () => {
    // A failing test opens an incident issue: requests through the app's Octokit (token, search, create).
    const bad = makeTest(`metrics-rate-${randomUUID().slice(0, 8)}`);
    await h.addTest(bad);
    h.agent.verdict.set(bad.id, { status: 'failed' });
    for (let i = 0; i < 2; i++) await deliverScheduled(h.url, h.signing.current, bad.id);
    expect((await h.store.getIncident(bad.id))?.issueNumber).toBeDefined();
    const sent = h.gh.lastRateBudget();
    expect(sent?.remaining).toBeLessThan(5000);
    const res = await fetch(`${h.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    const { types, samples } = parsePrometheus(await res.text());
    expect(types.get('housecat_github_rate_remaining')).toBe('gauge');
    expect(sum(samples, 'housecat_github_rate_remaining', { resource: 'core' })).toBe(sent?.remaining);
    expect(sum(samples, 'housecat_github_rate_limit', { resource: 'core' })).toBe(sent?.limit);
  });
});
