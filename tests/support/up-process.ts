/**
 * `housecat up` as a child process, the way a user starts it: the real bin, its own process group
 * (so a test can send the terminal's Ctrl-C to the group, or kill -9 the process alone), its output
 * collected, and waits that resolve on the output itself, never on a sleep.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { housecatBin } from './cli.js';

export interface UpProcess {
  child: ChildProcess;
  pid: number;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stdout (or stderr) text after `from` matching `pattern`; rejects after `timeoutMs`. */
  waitFor(
    pattern: RegExp,
    options?: { from?: number; timeoutMs?: number; stream?: 'out' | 'err' },
  ): Promise<string>;
  /** Resolves with the exit code (or the signal name). */
  exited: Promise<number | string>;
}

/** Starts `housecat up ...args` in `cwd`; `env` replaces the environment apart from PATH and HOME. */
export function startUp(args: string[], options: { cwd: string; env?: Record<string, string> }): UpProcess {
  const child = spawn(process.execPath, [housecatBin, 'up', ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const l of [...listeners]) l();
  };
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    notify();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
    notify();
  });
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => {
      notify();
      resolve(code ?? signal ?? 'unknown');
    }),
  );
  return {
    child,
    pid: child.pid as number,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(pattern, o = {}) {
      const from = o.from ?? 0;
      const text = () => (o.stream === 'err' ? err : out).slice(from);
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(text());
          if (match) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(match[0]);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            listeners.delete(check);
            clearTimeout(timer);
            reject(
              new Error(
                `housecat up exited before printing ${pattern}\n--- stdout\n${out}\n--- stderr\n${err}`,
              ),
            );
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(
            new Error(`housecat up did not print ${pattern} in time\n--- stdout\n${out}\n--- stderr\n${err}`),
          );
        }, o.timeoutMs ?? 60_000);
        listeners.add(check);
        check();
      });
    },
  };
}

/** Every process whose command line names `needle` (pid, command line), from `ps`. */
export function processesNamed(needle: string): { pid: number; command: string }[] {
  const text = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return text
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && m[2]?.includes(needle) === true)
    .map((m) => ({ pid: Number(m[1]), command: m[2] as string }));
}

/** The descendants of `pid` (children, grandchildren …), read from /proc. */
export function descendantsOf(pid: number): number[] {
  const text = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' });
  const children = new Map<number, number[]>();
  for (const line of text.split('\n')) {
    const [p, pp] = line.trim().split(/\s+/).map(Number);
    if (p === undefined || pp === undefined || Number.isNaN(p)) continue;
    children.set(pp, [...(children.get(pp) ?? []), p]);
  }
  const found: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      found.push(c);
      walk(c);
    }
  };
  walk(pid);
  return found;
}

/** True while `pid` exists (a zombie counts as gone). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z /.test(stat);
  } catch {
    return false;
  }
}

/** Resolves once none of `pids` runs; rejects after `timeoutMs`, naming the ones left. */
export async function waitGone(pids: readonly number[], timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = pids.filter(isRunning);
    if (left.length === 0) return;
    if (Date.now() > deadline) throw new Error(`processes still running: ${left.join(', ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
