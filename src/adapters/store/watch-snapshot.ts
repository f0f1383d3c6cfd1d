/**
 * The watchdog's read: `SMEMBERS tests:all`, then one pipeline with, per test, its hash, its five
 * newest results and its incident. Two round trips for any number of tests.
 */
import type { WatchEntry } from '../../core/scheduling/ports.js';
import { decodeIncident, decodeResult, decodeTest, strings } from './codec.js';
import { zrevrange } from './commands.js';
import type { KeySpace } from './keys.js';
import type { Command, Transport } from './transport.js';

/** Newest results read per test: enough to see past a few PR or CLI runs to the last scheduled one. */
const RECENT = 5;

export async function readWatchSnapshot(transport: Transport, keys: KeySpace): Promise<WatchEntry[]> {
  const ids = strings(await transport.command('watchdog: list tests', ['SMEMBERS', keys.allTests()])).sort();
  if (ids.length === 0) return [];
  const commands: Command[] = ids.flatMap((id) => [
    ['HGETALL', keys.test(id)],
    zrevrange(keys.results(id), '+inf', '-inf', RECENT),
    ['HGETALL', keys.incident(id)],
  ]);
  const replies = await transport.pipeline('watchdog: read tests', commands);
  const entries: WatchEntry[] = [];
  ids.forEach((id, i) => {
    const test = decodeTest(keys.test(id), replies[i * 3] ?? null);
    if (!test) return; // an index entry whose hash is gone (removed by hand)
    const lastRun =
      strings(replies[i * 3 + 1] ?? null)
        .map(decodeResult)
        .find((r) => r !== null && (r.source === undefined || r.source.kind === 'schedule')) ?? null;
    entries.push({ test, lastRun, incident: decodeIncident(replies[i * 3 + 2] ?? null) });
  });
  return entries;
}
