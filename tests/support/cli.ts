/**
 * Runs the real `housecat` bin as a child process, the way a user or CI runs it. The bin runs the
 * compiled lib/: a test file that runs it calls `useBuiltCli()` (and `runCli` checks again).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll } from 'vitest';
import { ensureBuilt } from './built-cli.js';

export { ensureBuilt };

/**
 * Compiles lib/ before the file's tests when the sources changed (in a hook with room for a slow
 * compile on a busy machine, not inside the first test's time). Call once at the top of a test file
 * that runs the real bin.
 */
export function useBuiltCli(): void {
  beforeAll(() => ensureBuilt(), 300_000);
}

export const repoRoot = join(import.meta.dirname, '../..');
export const housecatBin = join(repoRoot, 'bin/housecat.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `housecat ...args`; `env` replaces (not extends) the child's environment apart from PATH and
 * HOME. With `interruptWhen`, Ctrl-C is simulated (SIGINT to the child's whole process group, as a
 * terminal sends it) once stdout contains that text.
 */
export async function runCli(
  args: string[],
  options: {
    cwd?: string;
    env?: Record<string, string | undefined>;
    timeoutMs?: number;
    interruptWhen?: string;
  } = {},
): Promise<CliResult> {
  await ensureBuilt();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [housecatBin, ...args], {
      cwd: options.cwd ?? repoRoot,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: options.interruptWhen !== undefined,
    });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (options.interruptWhen && !interrupted && stdout.includes(options.interruptWhen)) {
        interrupted = true;
        process.kill(-(child.pid as number), 'SIGINT');
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `housecat ${args.join(' ')} did not finish in ${options.timeoutMs ?? 60_000} ms\n${stdout}\n${stderr}`,
        ),
      );
    }, options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
