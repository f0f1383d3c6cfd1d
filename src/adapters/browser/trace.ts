/**
 * The Playwright trace of one run (`trace: on-failure`, issue 29): a standard trace.zip that
 * `npx playwright show-trace` opens, kept only for failed and inconclusive runs. Before it leaves
 * the harness, every text entry (actions and their parameters, network logs, DOM snapshots, stored
 * request and response bodies) goes through the run's redactor and a base64 scrub, like every other
 * output. Screencast frames are off: they are pictures of the page and could show a typed secret
 * that the screenshot masks hide; the DOM snapshots show each step instead.
 */
import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import type { Logger } from '../../core/ports.js';
import type { Redactor } from '../../core/secrets/redact.js';
import { within } from './bounded.js';
import { readZip, writeZip } from './zip.js';

export interface TraceRecorder {
  /** Stops tracing; with `keep`, the scrubbed trace.zip (undefined when it could not be written). */
  stop(keep: boolean): Promise<Buffer | undefined>;
}

const STOP_MS = 10_000;

/** Starts tracing `context`; a context that cannot trace gives a recorder that keeps nothing. */
export async function startTrace(
  context: BrowserContext,
  scrub: Redactor,
  logger?: Pick<Logger, 'warn'>,
): Promise<TraceRecorder> {
  try {
    await context.tracing.start({ screenshots: false, snapshots: true, sources: false });
  } catch (error) {
    logger?.warn(`the trace did not start: ${(error as Error).message}`);
    return { stop: async () => undefined };
  }
  return {
    async stop(keep) {
      if (!keep) {
        await within(context.tracing.stop(), STOP_MS, undefined);
        return undefined;
      }
      const path = join(tmpdir(), `housecat-trace-${randomUUID()}.zip`);
      try {
        const stopped = await within(
          context.tracing.stop({ path }).then(() => true),
          STOP_MS,
          false,
        );
        if (!stopped) return undefined;
        return scrubTrace(await readFile(path), scrub);
      } catch (error) {
        logger?.warn(`the trace was not kept: ${(error as Error).message}`);
        return undefined;
      } finally {
        await rm(path, { force: true });
      }
    },
  };
}

/** True when `data` reads as text (UTF-8 without NULs): those entries are scrubbed. */
function isText(data: Buffer): boolean {
  if (data.includes(0)) return false;
  return Buffer.from(data.toString('utf8'), 'utf8').equals(data);
}

/**
 * The trace with `scrub` applied to each text entry. A binary entry (an image, a font) that still
 * holds a secret's bytes is emptied: it cannot be edited without breaking it, and it must not leak.
 */
export function scrubTrace(zip: Buffer, scrub: Redactor): Buffer {
  const entries = readZip(zip).map(({ name, data }) => {
    if (isText(data)) return { name, data: Buffer.from(scrub(data.toString('utf8')), 'utf8') };
    const bytes = data.toString('latin1');
    return scrub(bytes) === bytes ? { name, data } : { name, data: Buffer.alloc(0) };
  });
  return writeZip(entries);
}
