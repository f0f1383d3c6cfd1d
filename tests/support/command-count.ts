/**
 * Counts the Redis commands a piece of work costs, two ways that must agree:
 *
 * - `INFO commandstats` before and after: Redis's own count. It includes the commands a Lua script
 *   calls (`redis.call`), so it is the server's work, not what a client is billed for;
 * - `MONITOR` in between: every command the server ran, each line tagged with the client that sent
 *   it, or `lua` for a script's own calls. Lines not tagged `lua` are the commands clients sent:
 *   an EVAL counts once, MULTI and EXEC count as the commands they are (a TCP client sends them).
 *
 * So `sent` is the figure of the per-run budget (issue 25: "EVAL counts as one"), and `server`
 * (commandstats) checks it: `server` must equal `sent + inScripts`, or something ran unseen.
 * Use a redis-server of the test's own: any other client's commands are counted too.
 *
 * `countBridge` gives the Upstash REST figure from the bridge's request log: every command of every
 * request (`POST /`, `/pipeline`, `/multi-exec`), which is what Upstash bills.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import type { UpstashBridge } from './upstash-bridge.js';

export interface CommandCount {
  /** Commands clients sent (EVAL once, its calls not counted): the budget's figure. */
  sent: number;
  /** Commands Lua scripts called. */
  inScripts: number;
  /** `INFO commandstats` over the same span: `sent + inScripts` when nothing was missed. */
  server: number;
  /** `sent` by command name (lower case), for reports. */
  byCommand: Record<string, number>;
}

/** Our own measuring commands, left out of every figure. */
const OWN = new Set(['info', 'monitor', 'echo']);

function parseCommandStats(info: string): Map<string, number> {
  const calls = new Map<string, number>();
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    calls.set(match[1] ?? '', Number(match[2]));
  }
  return calls;
}

/** One MONITOR line: `1700000000.123456 [0 127.0.0.1:5000] "EVAL" …` or `[0 lua]` inside a script. */
const LINE = /^\d+\.\d+ \[\d+ ([^\]]+)\] "([^"]+)"/;

/** A counter on the redis-server at `redisUrl`; `measure` may be called many times, one at a time. */
export async function commandCounter(redisUrl: string) {
  const info = createClient({ url: redisUrl });
  const monitor = createClient({ url: redisUrl });
  await Promise.all([info.connect(), monitor.connect()]);
  let seen: { client: string; command: string }[] = [];
  let waiting: { marker: string; resolve: () => void } | null = null;
  await monitor.monitor((line: string) => {
    const match = LINE.exec(String(line));
    if (!match) return;
    const [, client = '', command = ''] = match;
    if (waiting && command.toLowerCase() === 'echo' && String(line).includes(waiting.marker)) {
      waiting.resolve();
      return;
    }
    seen.push({ client, command: command.toLowerCase() });
  });

  /** Sends a marker and resolves once MONITOR has shown it: every earlier command has been seen. */
  const settle = async () => {
    const marker = `count-${randomUUID()}`;
    const shown = new Promise<void>((resolve) => {
      waiting = { marker, resolve };
    });
    await info.sendCommand(['ECHO', marker]);
    await shown;
    waiting = null;
  };

  const stats = async () => parseCommandStats(await info.sendCommand(['INFO', 'commandstats']));

  return {
    /** Runs `work` and counts what it cost on the server. */
    async measure<T>(work: () => Promise<T>): Promise<{ result: T; count: CommandCount }> {
      await settle();
      seen = [];
      const before = await stats();
      const result = await work();
      await settle();
      const after = await stats();
      const lines = seen.filter((l) => !OWN.has(l.command));
      let server = 0;
      for (const [name, calls] of after) {
        if (OWN.has(name)) continue;
        server += calls - (before.get(name) ?? 0);
      }
      const byCommand: Record<string, number> = {};
      let sent = 0;
      let inScripts = 0;
      for (const line of lines) {
        if (line.client === 'lua') {
          inScripts++;
          continue;
        }
        sent++;
        byCommand[line.command] = (byCommand[line.command] ?? 0) + 1;
      }
      return { result, count: { sent, inScripts, server, byCommand } };
    },
    async close() {
      // A client in MONITOR mode takes no QUIT: its socket is simply closed.
      monitor.destroy();
      await info.quit();
    },
  };
}

export type CommandCounter = Awaited<ReturnType<typeof commandCounter>>;

/** The commands the bridge received since the last `bridge.reset()`, by name (what Upstash bills). */
export function countBridge(bridge: UpstashBridge): { sent: number; byCommand: Record<string, number> } {
  const byCommand: Record<string, number> = {};
  let sent = 0;
  for (const request of bridge.requests.slice(bridge.requests.length - bridge.count())) {
    for (const command of request.commands) {
      const name = String(command[0] ?? '').toLowerCase();
      byCommand[name] = (byCommand[name] ?? 0) + 1;
      sent++;
    }
  }
  return { sent, byCommand };
}

/** `eval 2, hgetall 1` — a short line for reports. */
export function describeCounts(byCommand: Record<string, number>): string {
  return Object.entries(byCommand)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');
}
