/**
 * `housecat validate`: checks a definitions file and reports every problem at once.
 */
import { DEFAULT_CONFIG_PATH } from '../../adapters/definitions-file.js';
import { readEnv, readSecrets } from '../../adapters/env.js';
import type { TestDefinition } from '../../core/types.js';
import { parseFlags } from '../args.js';
import { loadForCommand, reportDiagnostics, reportWarnings } from '../definitions.js';
import { exitCodeHelp } from '../exit-codes.js';
import { type Command, EXIT } from '../io.js';

const help = `Usage: housecat validate [--config PATH] [--repo OWNER/NAME] [--ids]

Checks a HouseCat definitions file and reports every problem at once, each as
FILE:LINE:COL: FIELD-PATH: message. Test URLs and allowed hosts on private or
loopback addresses get a warning (the app refuses them unless
HOUSECAT_ALLOW_PRIVATE_NETWORK=1), and so do names under \`secrets:\` that are not
set in this environment (\`housecat run\` here would stop with exit 2); warnings
do not change the exit status.

Options:
  -c, --config PATH     definitions file (default: ${DEFAULT_CONFIG_PATH})
      --repo OWNER/NAME repository the tests belong to, for their ids
                        (default: GITHUB_REPOSITORY, else the git remote "origin")
      --ids             also list each test's id, schedule and agent
  -h, --help            show this help

Exit status:
${exitCodeHelp()}`;

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check a definitions file and report every problem at once',
  help,
  async run(args, io) {
    const { values } = parseFlags('validate', args, {
      config: { type: 'string', short: 'c' },
      repo: { type: 'string' },
      ids: { type: 'boolean' },
    });
    if (values.help) {
      io.stdout(help);
      return EXIT.ok;
    }
    const env = readEnv(io.env);
    const { outcome } = await loadForCommand(io, env, values);
    if (!outcome.ok) {
      reportDiagnostics(io, outcome, 'fix them and run `housecat validate` again');
      return EXIT.failed;
    }
    reportWarnings(io, env, outcome);
    const tests = outcome.tests;
    reportUnsetSecrets(io, tests);
    const scheduled = tests.filter((t) => t.schedule).length;
    const ai = tests.filter((t) => t.agent !== 'checks').length;
    io.stdout(
      `${tests.length} test${tests.length === 1 ? '' : 's'} OK (${scheduled} scheduled, ${ai} with an AI goal, ${tests.length - ai} checks only)`,
    );
    if (values.ids) {
      const rows = tests.map((t) => [t.id, t.schedule ?? '(no schedule)', t.agent, t.name]);
      const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
      for (const r of rows) {
        io.stdout(`  ${r.map((cell, i) => (i < 3 ? cell.padEnd(widths[i] ?? 0) : cell)).join('  ')}`);
      }
    }
    return EXIT.ok;
  },
};

/**
 * Warns about each name under `secrets:` that this environment does not set: `housecat run` here
 * would stop before any test (exit 2). Only a warning: validate often runs where secrets are not
 * meant to be (a laptop, a lint job), and the file itself is fine.
 */
function reportUnsetSecrets(io: Parameters<Command['run']>[1], tests: readonly TestDefinition[]): void {
  const users = new Map<string, string[]>();
  for (const test of tests) {
    for (const name of readSecrets(test.secrets, io.env).missing) {
      users.set(name, [...(users.get(name) ?? []), test.slug]);
    }
  }
  for (const [name, slugs] of users) {
    io.stderr(
      `warning: the secret ${name} (named under \`secrets:\` by ${slugs.join(', ')}) is not set in this environment: ` +
        `\`housecat run\` here would stop before any test (exit 2). Set it where the tests run ` +
        "(in CI, the step's env from a repository secret; for scheduled runs, the app's environment).",
    );
  }
}
