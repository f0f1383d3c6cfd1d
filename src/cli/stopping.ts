/**
 * How the long-running commands (`serve`, `up`) stop: the signal that ends them, and closing what
 * they opened within a bound, so a hung browser or an unreachable Redis never holds the exit.
 */
import type { Logger } from '../core/ports.js';
import { type CliIo, EXIT } from './io.js';

/** How long closing the browser, then the store, may take each, after the grace. */
export const CLOSE_BOUND_MS = 2000;

/** Waits for `work`, or `ms`, whichever comes first; its failure is ignored (we are stopping). */
export async function bounded(work: Promise<unknown>, ms: number = CLOSE_BOUND_MS): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    work.catch(() => undefined),
    new Promise((r) => {
      timer = setTimeout(r, ms);
    }),
  ]);
  clearTimeout(timer);
}

/**
 * Resolves at the first SIGTERM or Ctrl-C (io's abort). A second signal exits at once: Ctrl-C's
 * second press is io.ts's; a second SIGTERM is handled here, with the same exit code.
 */
export function firstStopSignal(io: CliIo, logger: Pick<Logger, 'warn'>): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      process.once('SIGTERM', () => {
        logger.warn('signalled again — stopping now');
        process.exit(EXIT.interrupted);
      });
      resolve();
    };
    if (io.signal?.aborted) return stop();
    io.signal?.addEventListener('abort', () => stop(), { once: true });
    process.once('SIGTERM', () => stop());
  });
}

/** Resolves with what stopped us: Ctrl-C (io's abort; the CLI then exits 130) or SIGTERM (exit 0). */
export function stopSignal(io: CliIo): Promise<'Ctrl-C' | 'SIGTERM'> {
  return new Promise((resolve) => {
    if (io.signal?.aborted) return resolve('Ctrl-C');
    io.signal?.addEventListener('abort', () => resolve('Ctrl-C'), { once: true });
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
}
