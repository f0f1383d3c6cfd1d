import { composeSync } from '../../adapters/compose.js';
import { createStorage, type Storage } from '../../adapters/compose-storage.js';
import { DEFAULT_CONFIG_PATH } from '../../adapters/definitions-file.js';
import { flowParallelism, readEnv, watchdogMinutes } from '../../adapters/env.js';
import { planAgainstEmptyStore, type SyncInput, syncTests } from '../../app/sync-tests.js';
import { ConfigError } from '../../core/errors.js';
import { systemClock } from '../../core/ports.js';
import { renderPlanTable } from '../../core/sync/index.js';
import { parseFlags } from '../args.js';
import { loadForCommand, reportDiagnostics, reportWarnings } from '../definitions.js';
import { exitCodeHelp } from '../exit-codes.js';
import { type Command, EXIT } from '../io.js';

const help = `Usage: housecat sync [--config PATH] [--repo OWNER/NAME] [--callback-url URL] [--dry-run]

Makes production match the definitions file: each test's definition in Redis and,
for tests with a schedule, a QStash cron schedule that POSTs to
{callback-url}/api/callback/{test-id}. Prints the plan (create / update /
unchanged / remove, with reasons), then applies only the differences. Running it
twice writes nothing the second time. A removed test loses its schedule but keeps
its history. Tests on private or loopback addresses are synced with a warning:
the app refuses them unless HOUSECAT_ALLOW_PRIVATE_NETWORK=1.

Options:
  -c, --config PATH       definitions file (default: ${DEFAULT_CONFIG_PATH})
      --repo OWNER/NAME   repository the tests belong to
                          (default: GITHUB_REPOSITORY, else the git remote "origin")
      --callback-url URL  public base URL of your HouseCat app (default: HOUSECAT_PUBLIC_URL);
                          needed when a test has a schedule
      --dry-run           print the plan, write nothing; works offline: with no Redis
                          configured it plans against an empty store and says so
  -h, --help              show this help

Environment:
  UPSTASH_REDIS_REST_URL + UPSTASH_REDIS_REST_TOKEN (or REDIS_URL)   where tests are stored
  QSTASH_TOKEN (and QSTASH_URL, default https://qstash.upstash.io)   where schedules are made
  HOUSECAT_REDIS_PREFIX                                              optional key prefix
  HOUSECAT_MAX_PARALLEL_RUNS                                         runs per app process, as the app has
                                                                     it (default 4); QStash's flow control
                                                                     lets through this × HOUSECAT_REPLICAS
  HOUSECAT_REPLICAS                                                  app processes behind the URL (default 1)
  HOUSECAT_WATCHDOG_MINUTES                                          minutes between watchdog calls: 1, 2, 3,
                                                                     4, 5, 6, 10, 12, 15, 20, 30 or 60
                                                                     (default 5 = 288 QStash messages a day)

Exit status:
${exitCodeHelp()}`;

/** Where schedules point in a dry run without --callback-url: a name that can never resolve. */
const DRY_RUN_CALLBACK = 'https://callback-url.invalid';

export const syncCommand: Command = {
  name: 'sync',
  summary: 'make Redis and QStash schedules match the definitions file',
  help,
  async run(args, io) {
    const { values } = parseFlags('sync', args, {
      config: { type: 'string', short: 'c' },
      repo: { type: 'string' },
      'callback-url': { type: 'string' },
      'dry-run': { type: 'boolean' },
    });
    if (values.help) {
      io.stdout(help);
      return EXIT.ok;
    }
    const env = readEnv(io.env);
    const flow = flowParallelism(env);
    const watchdog = watchdogMinutes(env);
    const { repo, outcome } = await loadForCommand(io, env, values);
    if (!outcome.ok) {
      reportDiagnostics(io, outcome, 'nothing was synced; fix the file and run again');
      return EXIT.failed;
    }
    reportWarnings(io, env, outcome);
    const dryRun = values['dry-run'] === true;
    const file = values.config ?? DEFAULT_CONFIG_PATH;
    const store = createStorage(env);
    const givenCallback = values['callback-url'] ?? env.HOUSECAT_PUBLIC_URL;
    if (dryRun && !givenCallback && outcome.tests.some((t) => t.schedule)) {
      io.stdout(`No callback URL given: schedules are shown pointing at ${DRY_RUN_CALLBACK}.`);
    }
    if (store === null && dryRun) {
      // Planning is pure: without a store, plan against an empty one so a plan can be previewed offline.
      io.stdout('No Redis configured: planning against an empty store (every test shows as new).');
      const callbackUrl = givenCallback ?? DRY_RUN_CALLBACK;
      io.stdout(
        renderPlanTable(
          planAgainstEmptyStore({ repo, tests: outcome.tests, callbackUrl, file }, systemClock.now()),
        ),
      );
      io.stdout('Dry run: nothing was written.');
      return EXIT.ok;
    }
    if (!dryRun) {
      const missing = missingSyncSettings(env, store !== null, givenCallback, outcome.tests);
      if (missing.length > 0) {
        await store?.close();
        throw new ConfigError(
          `sync needs settings that are not set; nothing was written:\n${missing.map((m) => `  - ${m}`).join('\n')}`,
        );
      }
    }
    if (store === null) {
      throw new ConfigError(
        'no Redis configured: set UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN (from the Upstash console), or REDIS_URL.',
      );
    }
    const callbackUrl = givenCallback ?? (dryRun ? DRY_RUN_CALLBACK : undefined);
    return syncWith(io, store, env, {
      repo,
      tests: outcome.tests,
      ...(outcome.statusPage ? { statusPage: outcome.statusPage } : {}),
      dryRun,
      file,
      ...(callbackUrl ? { callbackUrl } : {}),
      parallelism: flow.total,
      flowSource: flow.source,
      watchdogMinutes: watchdog,
    });
  },
};

/** Syncs through `storage` and QStash (none for a dry run), printing the plan, then closes the store. */
async function syncWith(
  io: Parameters<Command['run']>[1],
  storage: Storage,
  env: ReturnType<typeof readEnv>,
  input: SyncInput & { flowSource: string },
): Promise<number> {
  const { dryRun, flowSource, ...sync } = input;
  try {
    if (!dryRun) io.stdout(`QStash flow control: ${sync.parallelism} callbacks at once (${flowSource}).`);
    const deps = composeSync(
      storage,
      {
        dryRun: dryRun === true,
        ...(env.QSTASH_TOKEN ? { token: env.QSTASH_TOKEN } : {}),
        ...(env.QSTASH_URL ? { url: env.QSTASH_URL } : {}),
        tokenSource: 'QSTASH_TOKEN',
        urlSource: 'QSTASH_URL',
      },
      { info: io.stdout, warn: io.stderr, error: io.stderr },
    );
    const result = await syncTests(deps, {
      ...sync,
      dryRun,
      onPlan: (plan) => io.stdout(renderPlanTable(plan)),
    });
    if (dryRun) io.stdout('Dry run: nothing was written.');
    else if (!result.applied) io.stdout('Nothing to do: production already matches the file.');
    else io.stdout('Synced.');
    return EXIT.ok;
  } finally {
    await storage.close();
  }
}

/**
 * Every setting a real sync needs that is missing, checked before anything is read or written, so
 * one run lists them all. Values (the callback URL's form) are checked by the use case, also before
 * any write; the QStash token is needed as soon as one test has a schedule (removing schedules of
 * tests no longer in the file needs it too: the use case checks that before its first write).
 */
function missingSyncSettings(
  env: ReturnType<typeof readEnv>,
  hasRedis: boolean,
  callbackUrl: string | undefined,
  tests: readonly { schedule?: unknown }[],
): string[] {
  const missing: string[] = [];
  if (!hasRedis) {
    missing.push(
      'Redis: UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN (Upstash console → your database → REST API), or REDIS_URL',
    );
  }
  const scheduled = tests.filter((t) => t.schedule !== undefined).length;
  if (scheduled > 0 && !env.QSTASH_TOKEN) {
    missing.push(
      `QSTASH_TOKEN (Upstash console → QStash → QSTASH_TOKEN): ${scheduled} test(s) have a schedule`,
    );
  }
  if (scheduled > 0 && !callbackUrl) {
    missing.push(
      `--callback-url or HOUSECAT_PUBLIC_URL: the public base URL of your HouseCat app, which QStash calls for the ${scheduled} scheduled test(s)`,
    );
  }
  return missing;
}
