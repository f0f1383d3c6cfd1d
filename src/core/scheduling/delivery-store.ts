/**
 * The store side of a scheduled delivery in two round trips (issue 25: a run costs a handful of
 * Redis commands, not 57): one that claims the delivery and reads what the run needs, one that
 * records everything the run leaves and lets the claim go. The Redis adapter does each as one Lua
 * script (src/adapters/store/delivery-scripts.ts); the use case is src/app/handle-delivery.ts.
 */
import type { OutboxItem } from '../incidents/outbox.js';
import type { ClaimSettle, StoredResult, StoredTest } from '../ports.js';
import type { Incident, RunEvent, RunResult } from '../types.js';

export interface ClaimDeliveryInput {
  testId: string;
  /** The signed token's `jti`: claimed once, for `tokenTtlMs`. */
  jti: string;
  /** `Upstash-Message-Id`; without it the token stands for the message. */
  messageId?: string;
  /** This attempt's own owner token (a resend of the same claim is "mine", not "taken"). */
  owner: string;
  /** Epoch ms this attempt arrived: the message's first arrival unless an earlier attempt noted one. */
  arrivedAt: number;
  tokenTtlMs: number;
  /** How long a message's state (and its first arrival) is remembered. */
  messageTtlMs: number;
  /** The lease of the message and of the test's run lock is the test's timeout, within these. */
  minLeaseMs: number;
  maxLeaseMs: number;
  /** Newest results to read for the incident decision. */
  historyLimit: number;
}

/** What the claim found. Every kind but `token-used` carries the message's first arrival. */
export type DeliveryClaim =
  /** The token was used before: a replay, refused. */
  | { kind: 'token-used' }
  /** No such test (removed from housecat.yml?). */
  | { kind: 'missing'; firstArrivedAt: number }
  /** The message's result is recorded (`done`), or another copy holds it (`running`). */
  | { kind: 'done'; firstArrivedAt: number; test: StoredTest; leaseMs: number }
  | { kind: 'running'; firstArrivedAt: number; test: StoredTest; leaseMs: number }
  /** Another run of the test holds its lock; nothing was claimed. */
  | { kind: 'busy'; firstArrivedAt: number; test: StoredTest; leaseMs: number }
  /** The message and the test's lock are this attempt's, for `leaseMs`. */
  | {
      kind: 'claimed';
      firstArrivedAt: number;
      test: StoredTest;
      leaseMs: number;
      /** The incident record as read, and a fingerprint of it for the record step's check. */
      incident: Incident | null;
      incidentVersion: string;
      /** Newest results before this run, newest first (at most `historyLimit`). */
      history: StoredResult[];
      /** GitHub work already waiting for this test (empty: costs nothing to know). */
      pending: OutboxItem[];
    };

/** The incident part of a record: nothing, a record to save, or a close. */
export type IncidentWrite =
  | { kind: 'none' }
  | { kind: 'save'; incident: Incident }
  | { kind: 'close'; testId: string; resolvedAt: number };

export interface RecordDeliveryInput {
  result: RunResult;
  /** Events not yet written live. */
  events: RunEvent[];
  /** The owner token of the claim: its run lock is released, the message settled. */
  owner: string;
  messageId?: string;
  jti: string;
  /** The message's final state (`done`) and how long it is kept. */
  settle: Pick<ClaimSettle, 'value' | 'ttlMs'>;
  /**
   * The incident decision and the outbox work it implies, written only when the incident record is
   * still `incidentVersion` and no other evaluation holds the test's incident lock.
   */
  incident?: { version: string; write: IncidentWrite; work: OutboxItem[] };
}

export interface RecordDeliveryOutcome {
  /** `applied`: the decision was written; `stale`: the record changed since the claim, so it was not. */
  incident: 'applied' | 'stale' | 'none';
  /** Tests with GitHub work waiting in the outbox (0: no drain needed). */
  outboxTests: number;
}

/** A scheduled delivery's store operations (implemented by RedisStore). */
export interface DeliveryStore {
  claimDelivery(input: ClaimDeliveryInput): Promise<DeliveryClaim>;
  /**
   * Records the run (result, timing, rollups, lateness, events), the incident decision and its
   * outbox work, settles the message and releases the run lock: one atomic step. A resend of the
   * same record (a client retry) changes nothing.
   */
  recordDelivery(input: RecordDeliveryInput): Promise<RecordDeliveryOutcome>;
  /** Renews the message's lease and the run lock together; false when either is no longer held. */
  renewDelivery(input: {
    testId: string;
    owner: string;
    messageId?: string;
    jti: string;
    leaseMs: number;
  }): Promise<boolean>;
  /** Lets the message and the run lock go (the run failed before anything was recorded). */
  releaseDelivery(input: { testId: string; owner: string; messageId?: string; jti: string }): Promise<void>;
}
