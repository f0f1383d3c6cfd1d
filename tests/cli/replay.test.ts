/**
 * Replay from the command line, on the compiled bin: a local `housecat run` without Redis records
 * the script next to the definitions file and replays it; `housecat replay show/clear` read and
 * drop it. Real SDK against the Anthropic stand-in, real Chromium, the fixture login app.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnthropicServer, loginPolicy, startAnthropicServer } from '../support/anthropic-server.js';
import { runCli, useBuiltCli } from '../support/cli.js';
import { DEMO_PASSWORD, DEMO_USER, type FixtureApps, startFixtureApps } from '../support/fixture-apps.js';
import { requireChromium } from '../support/system.js';

// Runs the real bin, which runs the compiled lib/.
useBuiltCli();

let apps: FixtureApps;
let llm: AnthropicServer;
let dir: string;
let config: string;

const GOAL = 'Sign in as demo with the DEMO_PASSWORD secret and check the dashboard says "Welcome, Demo".';
const yaml = (goal: string) => `version: 1
defaults: { retries: 0, timeout: 60 }
tests:
  - name: Login
    id: login
    url: ${apps.url}/live/login
    goal: ${JSON.stringify(goal)}
    secrets: [DEMO_PASSWORD]
`;

beforeAll(async () => {
  requireChromium();
  apps = await startFixtureApps();
  llm = await startAnthropicServer({
    responder: loginPolicy({ username: DEMO_USER, secretName: 'DEMO_PASSWORD', expectText: 'Welcome, Demo' }),
  });
  dir = mkdtempSync(join(tmpdir(), 'housecat-replay-'));
  config = join(dir, 'housecat.yml');
  writeFileSync(config, yaml(GOAL));
});

afterAll(async () => {
  await llm?.close();
  await apps?.close();
});

const env = () => ({
  HOUSECAT_ALLOW_PRIVATE_NETWORK: '1',
  HOUSECAT_CHROMIUM: requireChromium(),
  ANTHROPIC_API_KEY: llm.apiKey,
  ANTHROPIC_BASE_URL: llm.url,
  DEMO_PASSWORD,
});

const housecat = (...args: string[]) =>
  runCli([...args, '--config', config, '--repo', 'acme/shop'], { cwd: dir, env: env(), timeoutMs: 120_000 });

/** Every file under `.housecat/` next to the definitions file, as text. */
function filesOnDisk(): string {
  const replayDir = join(dir, '.housecat', 'replay');
  return readdirSync(replayDir)
    .map((f) => readFileSync(join(replayDir, f), 'utf8'))
    .join('\n');
}

describe('housecat run with replay (no store)', () => {
  it('records on the first run, replays with 0 model requests on the second, and shows both in the table', async () => {
    const before = llm.calls.length;
    const first = await housecat('run');
    expect(first.code, first.stderr).toBe(0);
    expect(llm.calls.length - before).toBe(4);
    expect(first.stdout).toMatch(/Login\s+PASS\s+\S+ \S+\s+agent\s+\d+(\.\d)?k?\s/);
    expect(first.stdout).toMatch(/LLM: 4 calls, \S+ tokens \(≈ \$[\d.]+\)/);
    const onDisk = filesOnDisk();
    expect(onDisk).toContain('"secret": "DEMO_PASSWORD"');
    expect(onDisk).not.toContain(DEMO_PASSWORD);

    const again = llm.calls.length;
    const second = await housecat('run');
    expect(second.code, second.stderr).toBe(0);
    expect(llm.calls.length - again).toBe(0);
    expect(second.stdout).toMatch(/Login\s+PASS\s+\S+ \S+\s+replay\s+0\s/);
    expect(second.stdout).toContain('LLM: 0 calls, 0 tokens (≈ $0); 1 replayed with 0 calls');
  });

  it('prints the script with housecat replay show', async () => {
    const shown = await housecat('replay', 'show', 'login');
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('valid:          yes');
    expect(shown.stdout).toContain('1. type "demo" into textbox \'Username\'');
    expect(shown.stdout).toContain("2. type the secret DEMO_PASSWORD into textbox 'Password'");
    expect(shown.stdout).toContain("3. click button 'Sign in'");
    expect(shown.stdout).toContain('evidence:       "Welcome, Demo"');
    expect(shown.stdout).not.toContain(DEMO_PASSWORD);
  });

  it('calls the model again with --no-replay', async () => {
    const before = llm.calls.length;
    const forced = await housecat('run', '--no-replay');
    expect(forced.code, forced.stderr).toBe(0);
    expect(llm.calls.length - before).toBe(4);
    expect(forced.stdout).toMatch(/Login\s+PASS\s+\S+ \S+\s+agent\s/);
  });

  it('reports the script stale once the goal in the YAML changed', async () => {
    writeFileSync(config, yaml(`${GOAL} Then stay there.`));
    const shown = await housecat('replay', 'show', 'login');
    expect(shown.stdout).toContain('valid:          no — the test changed since the script was recorded');
    writeFileSync(config, yaml(GOAL));
  });

  it('drops the scripts with housecat replay clear', async () => {
    const cleared = await housecat('replay', 'clear');
    expect(cleared.code, cleared.stderr).toBe(0);
    expect(cleared.stdout).toContain('cleared 1 replay script');
    const shown = await housecat('replay', 'show', 'login');
    expect(shown.stdout).toContain('no replay script');
  });

  it('explains itself with --help and refuses a missing action with exit 2', async () => {
    const help = await housecat('replay', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('housecat replay show ID');
    const bad = await housecat('replay');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('missing action');
  });
});
