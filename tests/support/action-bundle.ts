/**
 * Builds the Action bundle the way `npm run build` does (tsc to lib/, then ncc) into a private
 * temporary folder, and runs it as GitHub runs a composite action's step: `node index.js` with
 * INPUT_* variables, GITHUB_EVENT_PATH, GITHUB_STEP_SUMMARY and GITHUB_OUTPUT files.
 *
 * playwright-core cannot be bundled by ncc (it locates its own package.json at run time), so it is
 * kept external and copied next to the bundle in node_modules/ — as the committed dist/ must be.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './cli.js';

let building: Promise<string> | undefined;

/** Builds once per test process; returns the path of the bundle's index.js. */
export function buildActionBundle(): Promise<string> {
  building ??= (async () => {
    const out = mkdtempSync(join(tmpdir(), 'housecat-dist-'));
    const npx = (args: string[]) =>
      execFileSync('npx', args, { cwd: repoRoot, stdio: 'pipe', timeout: 300_000 });
    try {
      npx(['tsc', '-p', 'tsconfig.build.json']);
    } catch (error) {
      // tsc still emits lib/ on type errors in files under construction; the bundle shows what breaks.
      const output = String((error as { stdout?: Buffer }).stdout ?? '');
      if (!existsLib()) throw new Error(`tsc -p tsconfig.build.json failed:\n${output}`);
    }
    npx(['ncc', 'build', 'lib/action/index.js', '-o', out, '--quiet', '-e', 'playwright-core']);
    mkdirSync(join(out, 'node_modules'), { recursive: true });
    cpSync(join(repoRoot, 'node_modules/playwright-core'), join(out, 'node_modules/playwright-core'), {
      recursive: true,
    });
    writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
    return join(out, 'index.js');
  })();
  return building;
}

function existsLib(): boolean {
  try {
    readFileSync(join(repoRoot, 'lib/action/index.js'));
    return true;
  } catch {
    return false;
  }
}

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/** Parses the GITHUB_OUTPUT file (`name<<DELIMITER` … `DELIMITER`, or `name=value`). */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string];
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] as string);
      outputs[name] = value.join('\n');
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return outputs;
}

/** Runs the bundle like a composite action step: inputs as INPUT_<NAME> (dashes as underscores). */
export async function runActionBundle(
  bundle: string,
  options: {
    inputs: Record<string, string>;
    eventName: string;
    payload: unknown;
    cwd: string;
    env?: Record<string, string>;
    timeoutMs?: number;
  },
): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'housecat-gh-'));
  const files = {
    event: join(dir, 'event.json'),
    summary: join(dir, 'summary.md'),
    output: join(dir, 'output'),
  };
  writeFileSync(files.event, JSON.stringify(options.payload));
  writeFileSync(files.summary, '');
  writeFileSync(files.output, '');
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_OUTPUT: files.output,
    GITHUB_WORKSPACE: options.cwd,
    GITHUB_RUN_ID: '4242',
    GITHUB_SERVER_URL: 'https://github.com',
    RUNNER_TEMP: dir,
    ...options.env,
  };
  for (const [name, value] of Object.entries(options.inputs)) {
    env[`INPUT_${name.replace(/ /g, '_').replace(/-/g, '_').toUpperCase()}`] = value;
  }
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, [bundle], {
        cwd: options.cwd,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
      });
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the Action did not finish in time\n${stdout}\n${stderr}`));
      }, options.timeoutMs ?? 90_000);
      child.on('error', reject);
      child.on('close', (c) => {
        clearTimeout(timer);
        resolve({ code: c, stdout, stderr });
      });
    },
  );
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputFile(readFileSync(files.output, 'utf8')),
    summary: readFileSync(files.summary, 'utf8'),
  };
}
