/**
 * One deadline for a claude run, browser start included: the test's timeout, or the runner's
 * shorter limit (then running out of time is not the site's fault). The agent stops itself at the
 * deadline; the caller's signal (the runner aborts it a little later, or on Ctrl-C) is the
 * backstop. Stopping closes the browser context at once, so a page that never answers cannot keep
 * the browser busy past the deadline.
 */
import type { AgentRunInput, Clock } from '../../../core/ports.js';

export interface RunDeadline {
  /** Aborted when the run stops (deadline or cancellation): model calls listen to it. */
  readonly signal: AbortSignal;
  /** The limit in seconds, as reasons quote it (`30`, `12.5`). */
  readonly seconds: string;
  /** True when the limit is the test's own timeout, not the runner's shorter budget. */
  readonly limitIsOwn: boolean;
  /** Milliseconds left (never negative). */
  remaining(): number;
  /** Why the run stopped, in words, or undefined while it runs. */
  stopped(): string | undefined;
  /** Stops the run when the deadline passed between two steps (no more steps that get no time). */
  stopIfDue(): void;
  /** Clears the timer and the listener on the caller's signal. */
  dispose(): void;
}

/** The abort reason of a stopped run. */
class Stopped extends Error {
  override name = 'Stopped';
}

/** True for the error a stopped run's pending work fails with. */
export function isStop(error: unknown): boolean {
  return error instanceof Stopped;
}

/** A deadline (AbortSignal.timeout, or the runner's deadline) rather than a cancellation. */
export function isTimeout(reason: unknown): boolean {
  return reason instanceof Error && reason.name === 'TimeoutError';
}

/** Starts the deadline of a run started at `startedAt`; `onStop` closes what the run holds. */
export function startDeadline(
  input: AgentRunInput,
  clock: Clock,
  startedAt: number,
  onStop: () => void,
): RunDeadline {
  const ownMs = input.test.timeout * 1000;
  const limitMs = Math.min(ownMs, input.timeLimitMs ?? ownMs);
  const end = startedAt + limitMs;
  const remaining = () => Math.max(0, end - clock.now());
  const signal = input.signal;
  const abort = new AbortController();
  let timedOut = false;
  const stop = () => {
    abort.abort(new Stopped('stopped'));
    onStop();
  };
  // A little after the deadline, so that a navigation bounded by it times out on its own first.
  const timer = setTimeout(() => {
    timedOut = true;
    stop();
  }, remaining() + 250);
  if (signal?.aborted) stop();
  else signal?.addEventListener('abort', stop, { once: true });
  const seconds = Number.isInteger(limitMs / 1000) ? String(limitMs / 1000) : (limitMs / 1000).toFixed(1);
  return {
    signal: abort.signal,
    seconds,
    limitIsOwn: limitMs >= ownMs,
    remaining,
    stopped() {
      if (!abort.signal.aborted) return undefined;
      return timedOut || isTimeout(signal?.reason)
        ? `The run reached its timeout of ${seconds} s before the agent reached a verdict.`
        : 'The run was cancelled before the agent reached a verdict.';
    },
    stopIfDue() {
      if (remaining() <= 0 && !abort.signal.aborted) {
        timedOut = true;
        stop();
      }
    },
    dispose() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', stop);
    },
  };
}
