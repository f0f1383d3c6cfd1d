/**
 * Reading what the alert stand-ins received, for the alert tests: which event about which test, per
 * platform, and waiting until the outbox has nothing left to send.
 */
import type { TestDefinition } from '../../src/core/types.js';
import type { Harness } from '../bot/harness.js';
import type { AlertStandIn, Received } from './alert-stand-in.js';

/** The event of a received alert and the test it is about, read the way each platform shows it. */
export function alertOf(r: Received): { event: string; testName: string } | null {
  const body = JSON.parse(r.body) as {
    text?: string;
    embeds?: { title: string }[];
    type?: string;
    data?: { event: string; testName: string };
  };
  if (body.data) return { event: body.data.event, testName: body.data.testName };
  const title = body.embeds?.[0]?.title ?? body.text ?? '';
  const m = /^\S+ (.+?) (is failing|has recovered|has stopped running)/.exec(title);
  if (!m) return null;
  const event = { 'is failing': 'opened', 'has recovered': 'resolved', 'has stopped running': 'missed' }[
    m[2]!
  ]!;
  return { event, testName: m[1]! };
}

/** Alerts the platform took about `test`, by event. */
export function taken(standIn: AlertStandIn, test: TestDefinition): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of standIn.accepted()) {
    const a = alertOf(r);
    if (a?.testName === test.name) out[a.event] = (out[a.event] ?? 0) + 1;
  }
  return out;
}

/** Resolves when no alert (and no GitHub work) is left in the outbox. */
export async function outboxEmpty(h: Harness, withinMs = 60_000): Promise<void> {
  const started = Date.now();
  while ((await h.store.outbox.nextDue()) !== null) {
    if (Date.now() - started > withinMs) throw new Error('the outbox still holds work');
    await new Promise((r) => setTimeout(r, 100));
  }
}
