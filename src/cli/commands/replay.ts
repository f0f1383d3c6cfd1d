/**
 * `housecat replay show ID` and `housecat replay clear [ID]`: read and drop the replay scripts that
 * passing agent runs left (in Redis when one is configured, else next to the definitions file).
 */
import { dirname } from 'node:path';
import { replayStoreFor } from '../../adapters/compose.js';
import { DEFAULT_CONFIG_PATH } from '../../adapters/definitions-file.js';
import { readEnv } from '../../adapters/env.js';
import { createStore, replayDirFor } from '../../adapters/store/index.js';
import { describeReplayStep, type ReplayStore, staleReason } from '../../core/replay/index.js';
import type { TestDefinition } from '../../core/types.js';
import { parseFlags } from '../args.js';
import { loadForCommand, reportDiagnostics } from '../definitions.js';
import { exitCodeHelp } from '../exit-codes.js';
import { type Command, EXIT, UsageError } from '../io.js';

const help = `Usage: housecat replay show ID [--config PATH] [--repo OWNER/NAME]
       housecat replay clear [ID] [--config PATH] [--repo OWNER/NAME]

A goal test that passes with the claude agent leaves a replay script: its actions and the
evidence the model cited. Later runs replay it without calling the model and re-check that
evidence on the live page; when it no longer works, the agent runs and records a new one.

  show ID    print the script of a test (ID: its slug in the file, or its full id)
  clear [ID] drop the script of one test, or of every test in the file: the next run
             of each calls the model again

Scripts live in Redis (replay:{id}) when UPSTASH_REDIS_REST_URL/TOKEN or REDIS_URL is
set, otherwise in .housecat/replay/ next to the definitions file.

Options:
  -c, --config PATH      definitions file (default: ${DEFAULT_CONFIG_PATH})
      --repo OWNER/NAME  repository the tests belong to, for their ids
  -h, --help             show this help

Exit status:
${exitCodeHelp()}`;

function find(tests: TestDefinition[], id: string): TestDefinition {
  const test = tests.find((t) => t.slug === id || t.id === id);
  if (!test) {
    const known = tests.map((t) => t.slug).join(', ');
    throw new UsageError(`housecat replay: no test "${id}" in the definitions file — tests: ${known}`);
  }
  return test;
}

const when = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : 'never');

async function show(io: Parameters<Command['run']>[1], scripts: ReplayStore, test: TestDefinition) {
  const script = await scripts.get(test.id);
  if (!script) {
    io.stdout(`${test.id}: no replay script (${scripts.where}) — the next run calls the model`);
    return EXIT.ok;
  }
  const stale = staleReason(script, test);
  io.stdout(`${test.id} (${test.name})`);
  io.stdout(`  stored in:      ${scripts.where}`);
  io.stdout(`  recorded:       ${when(script.recordedAt)} by ${script.model || 'an unknown model'}`);
  io.stdout(`  last verified:  ${when(script.lastVerifiedAt)}`);
  io.stdout(`  valid:          ${stale ? `no — ${stale}; the next run calls the model` : 'yes'}`);
  io.stdout(`  start:          ${test.url}`);
  script.steps.forEach((step, i) => {
    io.stdout(`  ${i + 1}. ${describeReplayStep(step)}`);
  });
  const texts = script.evidence.textVisible.map((t) => `"${t}"`).join(', ');
  const url = script.evidence.urlContains ? `; URL contains "${script.evidence.urlContains}"` : '';
  io.stdout(`  evidence:       ${texts}${url}`);
  return EXIT.ok;
}

export const replayCommand: Command = {
  name: 'replay',
  summary: 'show or clear the replay scripts that let goal tests run without the model',
  help,
  async run(args, io) {
    const { values, positionals } = parseFlags(
      'replay',
      args,
      { config: { type: 'string', short: 'c' }, repo: { type: 'string' } },
      { positionals: true },
    );
    if (values.help) {
      io.stdout(help);
      return EXIT.ok;
    }
    const [action, id, ...extra] = positionals;
    if (action !== 'show' && action !== 'clear') {
      throw new UsageError(
        `housecat replay: ${action ? `unknown action "${action}"` : 'missing action'} — use \`housecat replay show ID\` or \`housecat replay clear [ID]\``,
      );
    }
    if (extra.length > 0 || (action === 'show' && id === undefined)) {
      throw new UsageError(
        `housecat replay: usage: ${action === 'show' ? 'show ID' : 'clear [ID]'} — see --help`,
      );
    }
    const env = readEnv(io.env);
    const loaded = await loadForCommand(io, env, values);
    if (!loaded.outcome.ok) {
      reportDiagnostics(io, loaded.outcome, 'fix the file and run again');
      return EXIT.failed;
    }
    const tests = loaded.outcome.tests;
    const store = createStore(env);
    try {
      const scripts = replayStoreFor(store, replayDirFor(dirname(loaded.path))) as ReplayStore;
      if (action === 'show') return await show(io, scripts, find(tests, id as string));
      const targets = id === undefined ? tests : [find(tests, id)];
      const removed = await scripts.clear(targets.map((t) => t.id));
      io.stdout(
        `cleared ${removed} replay script${removed === 1 ? '' : 's'} (${scripts.where}); the next run of ${id === undefined ? 'each test' : targets[0]?.id} calls the model`,
      );
      return EXIT.ok;
    } finally {
      await store?.close().catch(() => undefined);
    }
  },
};
