/**
 * Runs the real Action the way a GitHub runner runs a composite action: the `run:` script of
 * action.yml's step, in `bash --noprofile --norc -eo pipefail`, with the step's `env:` mapping
 * evaluated from the given inputs (and action.yml's defaults), `GITHUB_ACTION_PATH` at the given
 * folder (committedActionPath() in support/action-bundle.ts: what ships), an event payload file, `GITHUB_OUTPUT` and
 * `GITHUB_STEP_SUMMARY` files. The step starts `$GITHUB_ACTION_PATH/dist/index.js`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

export const repoRoot = join(import.meta.dirname, '../..');

interface ActionYaml {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: { id?: string; shell: string; env: Record<string, string>; run: string }[] };
}

export function readActionYaml(): ActionYaml {
  return parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as ActionYaml;
}

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** The child process, for tests that kill it halfway. */
  pid?: number;
}

export interface ActionRunOptions {
  inputs: Record<string, string>;
  /** Working directory (the checked-out repository). */
  cwd: string;
  repository: string;
  eventName: string;
  payload: unknown;
  /** Folder holding `dist/index.js` (GITHUB_ACTION_PATH); default the repository root. */
  actionPath?: string;
  /** Extra environment (e.g. HOUSECAT_REDIS_PREFIX). */
  env?: Record<string, string>;
  /** Called with the child as soon as it starts. */
  onSpawn?: (kill: (signal: NodeJS.Signals) => void) => void;
  timeoutMs?: number;
}

/** Parses the `GITHUB_OUTPUT` file format (`name<<DELIMITER … DELIMITER` or `name=value`). */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name = '', delimiter] = heredoc;
      const value: string[] = [];
      while (++i < lines.length && lines[i] !== delimiter) value.push(lines[i] ?? '');
      out[name] = value.join('\n');
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return out;
}

/** Runs action.yml's composite step as GitHub would. */
export function runAction(options: ActionRunOptions): Promise<ActionRun> {
  const action = readActionYaml();
  const step = action.runs.steps[0];
  if (action.runs.using !== 'composite' || !step) throw new Error('action.yml: expected one composite step');
  const stepEnv: Record<string, string> = {};
  for (const [key, expression] of Object.entries(step.env)) {
    const match = /^\$\{\{\s*inputs\.([a-z0-9-]+)\s*\}\}$/.exec(expression);
    if (!match) throw new Error(`action.yml: env ${key} is not a plain \${{ inputs.X }}: ${expression}`);
    const name = match[1] ?? '';
    if (!(name in action.inputs)) throw new Error(`action.yml: env ${key} uses undeclared input ${name}`);
    stepEnv[key] = options.inputs[name] ?? action.inputs[name]?.default ?? '';
  }
  for (const name of Object.keys(options.inputs)) {
    if (!(name in action.inputs))
      throw new Error(`test passes input "${name}" that action.yml does not declare`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'housecat-action-'));
  const eventPath = join(dir, 'event.json');
  const outputPath = join(dir, 'output');
  const summaryPath = join(dir, 'summary.md');
  writeFileSync(eventPath, JSON.stringify(options.payload));
  writeFileSync(outputPath, '');
  writeFileSync(summaryPath, '');
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], {
      cwd: options.cwd,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        CI: 'true',
        GITHUB_ACTIONS: 'true',
        GITHUB_ACTION_PATH: options.actionPath ?? repoRoot,
        GITHUB_WORKSPACE: options.cwd,
        GITHUB_REPOSITORY: options.repository,
        GITHUB_EVENT_NAME: options.eventName,
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_OUTPUT: outputPath,
        GITHUB_STEP_SUMMARY: summaryPath,
        GITHUB_SHA: '0000000000000000000000000000000000000000',
        GITHUB_REF: 'refs/heads/main',
        RUNNER_TEMP: dir,
        ...options.env,
        ...stepEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a test can kill the step (bash and its node) by the group id.
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    options.onSpawn?.((signal) => {
      if (child.pid) process.kill(-child.pid, signal);
    });
    const timer = setTimeout(() => {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
      reject(
        new Error(`the Action did not finish in ${options.timeoutMs ?? 60_000} ms\n${stdout}\n${stderr}`),
      );
    }, options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        code,
        stdout,
        stderr,
        outputs: parseOutputFile(readFileSync(outputPath, 'utf8')),
        summary: readFileSync(summaryPath, 'utf8'),
        ...(child.pid ? { pid: child.pid } : {}),
      });
    });
  });
}
