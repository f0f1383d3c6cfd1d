/**
 * `housecat validate`: checks a definitions file and reports every problem at once.
 */
import { DEFAULT_CONFIG_PATH } from '../../adapters/definitions-file.js';
import { readEnv } from '../../adapters/env.js';
import { parseFlags } from '../args.js';
import { loadForCommand, reportDiagnostics } from '../definitions.js';
import { type Command, EXIT } from '../io.js';

const help = `Usage: housecat validate [--config PATH] [--repo OWNER/NAME]

Checks a HouseCat definitions file and reports every problem at once, each as
FILE:LINE:COL: FIELD-PATH: message.

Options:
  -c, --config PATH     definitions file (default: ${DEFAULT_CONFIG_PATH})
      --repo OWNER/NAME repository the tests belong to, for their ids
                        (default: GITHUB_REPOSITORY, else the git remote "origin")
      --ids             also list each test's id, schedule and agent
  -h, --help            show this help

Exit status: 0 valid, 1 problems found, 2 usage error or file not found.`;

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
    const { outcome } = await loadForCommand(io, readEnv(io.env), values);
    if (!outcome.ok) {
      reportDiagnostics(io, outcome, 'fix them and run `housecat validate` again');
      return EXIT.failed;
    }
    const tests = outcome.tests;
    const scheduled = tests.filter((t) => t.schedule).length;
    const ai = tests.filter((t) => t.agent !== 'checks').length;
    io.stdout(
      `${tests.length} test${tests.length === 1 ? '' : 's'} OK (${scheduled} scheduled, ${ai} with an AI goal, ${tests.length - ai} checks only)`,
    );
    if (values.ids) {
      for (const t of tests) io.stdout(`  ${t.id}  ${t.schedule ?? '(no schedule)'}  ${t.agent}  ${t.name}`);
    }
    return EXIT.ok;
  },
};
