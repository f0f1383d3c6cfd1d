/**
 * The compiled CLI (lib/) for the tests that run the real `bin/housecat.js`. Every other test runs
 * from source (vitest transforms the TypeScript), so only these pay for a compile, and only when
 * src/ changed since the last one: `ensureBuilt()` in their `beforeAll` (and in `runCli`).
 *
 * Parallel vitest workers are separate processes: a lock file makes one of them compile while the
 * others wait, and they then find lib/ fresh. `.ci/run` compiles before the suite (npm ci's
 * `prepare` stamps lib/), so in CI no worker compiles at all.
 */
import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../..');
const lib = join(root, 'lib');
/** Written after a successful compile, dated when the compile started; `npm pack` leaves it out. */
export const buildStamp = join(lib, '.build-stamp');
const lockFile = join(lib, '.build-lock');

let building: Promise<void> | undefined;

/**
 * Makes lib/ match the current sources: compiles with `tsc -p tsconfig.build.json` unless lib/ is
 * newer than every source. Once per test process; safe to call from every worker at once.
 * @throws when the compile leaves no lib/cli/index.js, with the compiler's output.
 */
export function ensureBuilt(): Promise<void> {
  building ??= build();
  return building;
}

async function build(): Promise<void> {
  if (libIsFresh()) return;
  mkdirSync(lib, { recursive: true });
  await acquireLock();
  try {
    // Another worker may have compiled while this one waited for the lock.
    if (!libIsFresh()) await compile();
  } finally {
    unlinkSync(lockFile);
  }
}

async function compile(): Promise<void> {
  const startedAt = new Date();
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root });
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
  if (!existsSync(join(lib, 'cli/index.js')))
    throw new Error(`tsc -p tsconfig.build.json produced no lib/cli/index.js (exit ${code}):\n${output}`);
  if (code !== 0) {
    // tsc still emits on type errors: the CLI tests run, and the next run compiles again (no stamp).
    process.stderr.write(`tsc -p tsconfig.build.json reported errors:\n${output}\n`);
    return;
  }
  writeFileSync(buildStamp, `${startedAt.toISOString()}\n`);
  // Dated at the start: a source saved during the compile makes lib/ stale, as it is.
  utimesSync(buildStamp, startedAt, startedAt);
}

/** Takes the lock file, waiting while a live process holds it; a dead holder's lock is taken over. */
async function acquireLock(): Promise<void> {
  for (;;) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (!holderAlive()) {
      try {
        unlinkSync(lockFile);
      } catch {
        // Another waiter took it over first: try again.
      }
      continue;
    }
    // The holder is compiling (about 10 s here): check again shortly.
    await new Promise((r) => setTimeout(r, 100));
  }
}

function holderAlive(): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(lockFile, 'utf8'));
  } catch {
    return true; // gone already, or being written: the next open decides
  }
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when lib/ was built after the newest change to src/ and the build configuration. */
export function libIsFresh(): boolean {
  let built: number;
  try {
    built = statSync(buildStamp).mtimeMs;
  } catch {
    return false;
  }
  const newest = (dir: string): number =>
    // A folder's own time changes when a file in it is deleted or renamed.
    readdirSync(dir, { withFileTypes: true }).reduce((max, entry) => {
      const path = join(dir, entry.name);
      return Math.max(max, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
    }, statSync(dir).mtimeMs);
  const configs = ['tsconfig.json', 'tsconfig.build.json'].map((f) => statSync(join(root, f)).mtimeMs);
  return built > Math.max(newest(join(root, 'src')), ...configs);
}
