/**
 * Deliveries as QStash sends them, for the capacity bench: a signed POST per attempt (a fresh token
 * each time, the same `Upstash-Message-Id`), flow control as a per-key limit on attempts in flight
 * (the rest wait in line, as tests/support/qstash-server.ts does), and on a non-2xx answer a retry
 * after `Retry-After` (QStash's backoff without one), at most `retries` times, then the DLQ.
 *
 * Unlike the QStash stand-in it never fast-forwards a clock: the app sees real arrival times, so
 * the lateness it records is the real one.
 */
import { randomUUID } from 'node:crypto';
import { signQStashRequest } from '../tests/support/qstash-signing.js';

export interface LoadTarget {
  /** The app's listening URL. */
  url: string;
  /** The URL signatures are made for (HOUSECAT_PUBLIC_URL). */
  publicUrl: string;
  signingKey: string;
  /** Flow-control parallelism: attempts in flight at once. */
  parallelism: number;
  /** QStash retries per message (3 on the Free plan). */
  retries: number;
}

export interface DeliveryRecord {
  testId: string;
  /** When the message was due (its tick, or when it was offered). */
  dueAt: number;
  /** When the attempt that got a 2xx was sent; null when the message went to the DLQ. */
  acceptedAt: number | null;
  /** When the 2xx came back (the run recorded). */
  doneAt: number | null;
  attempts: number;
  statuses: number[];
}

const QSTASH_BACKOFF_MS = [12_000, 150_000, 1_800_000];

/** A QStash-like sender to one app. */
export function qstashLoad(target: LoadTarget) {
  let active = 0;
  const line: (() => void)[] = [];
  const records: DeliveryRecord[] = [];
  const enter = async () => {
    while (active >= target.parallelism) await new Promise<void>((resolve) => line.push(resolve));
    active++;
  };
  const leave = () => {
    active--;
    line.shift()?.();
  };

  async function attempt(testId: string, messageId: string, retried: number) {
    const path = `/api/callback/${testId}`;
    const body = JSON.stringify({ testId });
    const signature = signQStashRequest({
      signingKey: target.signingKey,
      url: `${target.publicUrl}${path}`,
      body,
    });
    const sentAt = Date.now();
    const res = await fetch(`${target.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'upstash-signature': signature,
        'upstash-message-id': messageId,
        'upstash-retried': String(retried),
      },
      body,
    }).catch(() => null);
    const text = res ? await res.text() : '';
    return { status: res?.status ?? 0, retryAfter: res?.headers.get('retry-after') ?? null, sentAt, text };
  }

  /** Sends one message of `testId`, due at `dueAt`; resolves when it was run or went to the DLQ. */
  async function deliver(testId: string, dueAt = Date.now()): Promise<DeliveryRecord> {
    const record: DeliveryRecord = {
      testId,
      dueAt,
      acceptedAt: null,
      doneAt: null,
      attempts: 0,
      statuses: [],
    };
    records.push(record);
    const messageId = `msg_${randomUUID()}`;
    for (let retried = 0; retried <= target.retries; retried++) {
      await enter();
      let answer: Awaited<ReturnType<typeof attempt>>;
      try {
        answer = await attempt(testId, messageId, retried);
      } finally {
        leave();
      }
      record.attempts++;
      record.statuses.push(answer.status);
      if (answer.status >= 200 && answer.status < 300) {
        record.acceptedAt = answer.sentAt;
        record.doneAt = Date.now();
        return record;
      }
      const wait =
        answer.retryAfter !== null
          ? Number(answer.retryAfter) * 1000
          : (QSTASH_BACKOFF_MS[retried] ?? 60_000);
      await new Promise((r) => setTimeout(r, wait));
    }
    return record;
  }

  return {
    deliver,
    records,
    get inFlight() {
      return active;
    },
    get waiting() {
      return line.length;
    },
  };
}

/** The nearest-rank percentile of `values`. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}
