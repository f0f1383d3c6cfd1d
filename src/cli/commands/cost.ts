/**
 * `housecat cost`: what the definitions file costs a month on Upstash Redis and QStash, with a
 * warning for each Free-plan limit it would run past. Offline: reads only the file.
 */
import { DEFAULT_CONFIG_PATH } from '../../adapters/definitions-file.js';
import { readEnv } from '../../adapters/env.js';
import { estimateCost } from '../../core/usage/cost-model.js';
import { renderCostReport } from '../../core/usage/cost-render.js';
import { parseFlags } from '../args.js';
import { loadForCommand, reportDiagnostics } from '../definitions.js';
import { exitCodeHelp } from '../exit-codes.js';
import { type Command, EXIT } from '../io.js';

const help = `Usage: housecat cost [--config PATH] [--repo OWNER/NAME]

Estimates what the definitions file costs a month when every scheduled run goes
through Upstash: scheduled runs, QStash messages (one per run plus the
watchdog's, every 5 minutes), Redis commands (the measured figure per run), and
the price of that on the Free and Pay as You Go plans of Upstash Redis and
QStash. Each Free-plan limit the file would run past is printed as a warning on
stderr; warnings do not change the exit status. Nothing is contacted.

Options:
  -c, --config PATH     definitions file (default: ${DEFAULT_CONFIG_PATH})
      --repo OWNER/NAME repository the tests belong to, for their ids
                        (default: GITHUB_REPOSITORY, else the git remote "origin")
  -h, --help            show this help

Exit status:
${exitCodeHelp()}`;

export const costCommand: Command = {
  name: 'cost',
  summary: 'estimate what the tests cost a month on Upstash Redis and QStash',
  help,
  async run(args, io) {
    const { values } = parseFlags('cost', args, {
      config: { type: 'string', short: 'c' },
      repo: { type: 'string' },
    });
    if (values.help) {
      io.stdout(help);
      return EXIT.ok;
    }
    const { outcome, shownPath } = await loadForCommand(io, readEnv(io.env), values);
    if (!outcome.ok) {
      reportDiagnostics(io, outcome, 'fix them and run `housecat cost` again');
      return EXIT.failed;
    }
    const estimate = estimateCost(outcome.tests);
    io.stdout(renderCostReport(estimate, shownPath));
    for (const warning of estimate.warnings) io.stderr(`warning: ${warning}`);
    return EXIT.ok;
  },
};
