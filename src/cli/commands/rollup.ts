/**
 * `housecat rollup rebuild`: recomputes the hourly rollups (`stats:{id}:h`) from `results:{id}`,
 * for rollups written before they existed, or after results were edited by hand.
 */
import { createStorage } from '../../adapters/compose-storage.js';
import { readEnv } from '../../adapters/env.js';
import { ConfigError } from '../../core/errors.js';
import { isRepoName } from '../../core/ids.js';
import { parseFlags } from '../args.js';
import { exitCodeHelp } from '../exit-codes.js';
import { type Command, EXIT, UsageError } from '../io.js';

const help = `Usage: housecat rollup rebuild [--repo OWNER/NAME]

Recomputes each test's hourly rollups (stats:{id}:h: runs passed, failed,
errored and skipped per hour, and a response-time histogram) from its stored
results. Recording a run keeps them up to date on its own; rebuild after
upgrading from a version without rollups, or after editing results by hand.
A run recorded while a test is rebuilt makes that test start over, so nothing
is lost.

Options:
      --repo OWNER/NAME   only the tests of this repository (default: every test)
  -h, --help              show this help

Environment:
  UPSTASH_REDIS_REST_URL + UPSTASH_REDIS_REST_TOKEN (or REDIS_URL)   where tests are stored
  HOUSECAT_REDIS_PREFIX, HOUSECAT_RETENTION_DAYS                     as for the app

Exit status:
${exitCodeHelp()}`;

export const rollupCommand: Command = {
  name: 'rollup',
  summary: 'rebuild the hourly rollups behind status pages from stored results',
  help,
  async run(args, io) {
    const { values, positionals } = parseFlags(
      'rollup',
      args,
      { repo: { type: 'string' } },
      { positionals: true },
    );
    if (values.help) {
      io.stdout(help);
      return EXIT.ok;
    }
    if (positionals.length !== 1 || positionals[0] !== 'rebuild') {
      throw new UsageError(
        `housecat rollup: expected the action "rebuild"${positionals.length > 0 ? `, not "${positionals.join(' ')}"` : ''} — see \`housecat rollup --help\``,
      );
    }
    const repo = values.repo;
    if (repo !== undefined && !isRepoName(repo)) {
      throw new UsageError(`housecat rollup: --repo "${repo}" is not a repository name: use owner/name`);
    }
    const storage = createStorage(readEnv(io.env));
    if (storage === null) {
      throw new ConfigError(
        'no Redis configured: set UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN (from the Upstash console), or REDIS_URL.',
      );
    }
    try {
      const ids = await storage.testIds(repo);
      let hours = 0;
      for (const id of ids) {
        if (io.signal?.aborted) break;
        const written = await storage.status.rebuildRollups(id);
        hours += written;
        io.stdout(`${id}: ${written} hour(s)`);
      }
      io.stdout(
        `Rebuilt the rollups of ${ids.length} test(s)${repo ? ` of ${repo}` : ''}: ${hours} hour(s) in all.`,
      );
      return EXIT.ok;
    } finally {
      await storage.close();
    }
  },
};
