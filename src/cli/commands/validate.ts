/**
 * `housecat validate`: checks a definitions file and reports every problem at once.
 */
import { DEFAULT_CONFIG_PATH } from '../../adapters/definitions-file.js';
import { readEnv } from '../../adapters/env.js';
import { parseFlags } from '../args.js';
import { loadForCommand, reportDiagnostics, reportWarnings } from '../definitions.js';
import { exitCodeHelp } from '../exit-codes.js';
import { type Command, EXIT } from '../io.js';

const help = `Usage: housecat validate [--config PATH] [--repo OWNER/NAME] [--ids]

Checks a HouseCat definitions file and reports every problem at once, each as
FILE:LINE:COL: FIELD-PATH: message. Test URLs and allowed hosts on private or
loopback addresses get a warning (the app refuses them unless
HOUSECAT_ALLOW_PRIVATE_NETWORK=1); warnings do not change the exit status.

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
