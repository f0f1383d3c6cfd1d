/**
 * `housecat serve`: runs the HouseCat GitHub App (scheduled runs from QStash, incidents as issues).
 */
import { createAppAdapters, environmentFacts } from '../../adapters/compose.js';
import { createStorage } from '../../adapters/compose-storage.js';
import {
  type HouseCatEnv,
  maxConnections,
  maxParallelRuns,
  readEnv,
  readNotifyChannels,
  readSecrets,
  shutdownGraceMs,
} from '../../adapters/env.js';
import { createLog, readLogSettings } from '../../adapters/log/index.js';
import { type BotConfig, createApp, NO_DASHBOARD, readBotConfig, WEBHOOK_PATH } from '../../bot/index.js';
import { ConfigError } from '../../core/errors.js';
import { type ChannelSpec, describeChannel } from '../../core/notify/channels.js';
import type { Logger } from '../../core/ports.js';
import { needsAppSetup, startAppSetup } from '../app-setup.js';
import { intFlag, parseFlags } from '../args.js';
import { describeDotEnv, withDotEnv } from '../dot-env.js';
import { exitCodeHelp } from '../exit-codes.js';
import { type CliIo, type Command, EXIT } from '../io.js';
import { collapseSdkRetries } from '../sdk-noise.js';
import { bounded, CLOSE_BOUND_MS, firstStopSignal } from '../stopping.js';

const help = `Usage: housecat serve [--port N] [--host ADDRESS]

Runs the HouseCat GitHub App: QStash calls POST /api/callback/{test-id} on each
test's schedule; the app runs the test, records the result in Redis, and opens a
GitHub issue when the test keeps failing (closing it with a results summary when
it recovers). GitHub webhooks go to ${WEBHOOK_PATH}; GET /healthz answers 200 (liveness);
GET /readyz answers 200 when Redis answers a PING within 1 s, else 503 (readiness).

Options:
  -p, --port N          port to listen on (default: PORT, else 3000; 0 picks a free one)
      --host ADDRESS    address to bind (default 0.0.0.0)
  -h, --help            show this help

Environment:
  APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH), WEBHOOK_SECRET       the GitHub App
  GHE_HOST, GHE_PROTOCOL                                          GitHub Enterprise Server only
  GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET                          the dashboard (Sign in with GitHub);
                                                                  without them, no dashboard
  HOUSECAT_SESSION_SECRET                                         optional: seals dashboard sessions
                                                                  (comma-separated, newest first);
                                                                  default: derived from the private key
  HOUSECAT_SHUTDOWN_GRACE                                         seconds runs in flight may finish
                                                                  after SIGTERM (default 25)
  HOUSECAT_MAX_CONNECTIONS                                        open HTTP connections at once
                                                                  (default 1000); further ones closed
  LOG_LEVEL                                                       fatal, error, warn, info (default),
                                                                  debug, trace or silent
  LOG_FORMAT                                                      json (one JSON object a line) or
                                                                  pretty; default: pretty on a terminal,
                                                                  else json
  HOUSECAT_PUBLIC_URL                                             this app's public base URL
  QSTASH_CURRENT_SIGNING_KEY, QSTASH_NEXT_SIGNING_KEY             to verify QStash's calls
  QSTASH_TOKEN (and QSTASH_URL)                                   optional: lets the watchdog
                                                                  (POST /api/watchdog) check schedules
  UPSTASH_REDIS_REST_URL + UPSTASH_REDIS_REST_TOKEN (or REDIS_URL) where tests and results live
  ANTHROPIC_API_KEY, TINYFISH_API_KEY                             for goal tests (checks need none)
  HOUSECAT_MAX_PARALLEL_RUNS                                      runs at once (default: min(cores,
                                                                  free memory / 250 MiB)); past it,
                                                                  callbacks answer 429 with a Retry-After
                                                                  from the queue and QStash retries
  HOUSECAT_NOTIFY_<NAME>                                          optional: an alert channel named in
                                                                  notify: — slack+https://…, discord+https://…,
                                                                  teams+https://…, webhook+https://… (with
                                                                  HOUSECAT_NOTIFY_<NAME>_SECRET=whsec_…) or
                                                                  smtp://user:pass@host:587?from=…&to=…
                                                                  (docs/alerts.md; try: housecat notify test)
  and each test's secrets: variables by the names its housecat.yml lists.

With neither APP_ID nor PRIVATE_KEY (nor PRIVATE_KEY_PATH), it serves Probot's setup
page instead, at http://127.0.0.1:PORT/probot (loopback unless --host is given): it
registers the GitHub App from app.yml (URLs from HOUSECAT_PUBLIC_URL, else the local
address) and writes its credentials to .env (mode 0600, other lines kept); then restart.

Settings are read from the environment and from a .env file in the current folder;
a variable set in the environment wins over the file. Every missing setting is listed
at once, each with where to find it.

Stopping: at SIGTERM or Ctrl-C it accepts nothing new, lets runs in flight finish for up to
HOUSECAT_SHUTDOWN_GRACE seconds (default 25), leaves GitHub work still pending in Redis's outbox
for the next process, closes the browser and Redis, and exits 0. A second signal exits at once.

Exit status: 0 stopped cleanly (Ctrl-C or SIGTERM: the normal way to stop a server), otherwise
as for every command:
${exitCodeHelp()}`;

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the HouseCat GitHub App (scheduled runs, incidents as issues)',
  help,
  async run(args, io) {
    const { values } = parseFlags('serve', args, {
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
    });
    if (values.help) {
      io.stdout(help);
      return EXIT.ok;
    }
    const dotEnv = withDotEnv(io.env, io.cwd);
    const environ = dotEnv.env;
    const env = readEnv(environ);
    // One format for every line the server logs, Probot's included: JSON lines unless on a terminal.
    const { pino: log, logger } = createLog(readLogSettings(env, io.isTTY), (line) => io.stdout(line));
    if (needsAppSetup(environ)) return runAppSetup(values, environ, io, logger);
    const config = readBotConfig(env);
    // A channel that cannot be read is said at start-up, not discovered at the first incident.
    const channels = readNotifyChannels(environ);
    const port = intFlag('serve', 'port', values.port, 0, 65535) ?? config.port;
    const bound = maxParallelRuns(env);
    const connections = maxConnections(env);
    const graceMs = shutdownGraceMs(env);
    const storage = createStorage(env);
    if (storage === null) {
      throw new ConfigError(
        'no Redis configured: set UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN (from the Upstash console), or REDIS_URL.',
      );
    }
    // Listened for from here on: a SIGTERM during start-up stops it cleanly too, not by the default kill.
    const stopped = firstStopSignal(io, logger);
    const loaded = describeDotEnv(dotEnv);
    if (loaded) logger.info(loaded);
    // The Upstash SDKs' retry lines (console.warn) become one warning per service in the same log.
    const restoreConsole = collapseSdkRetries((warning) => logger.warn(warning));
    const environment = appEnvironment(env, environ, logger);
    const { pool, agent, schedules } = createAppAdapters(env, storage, logger);
    try {
      const app = await createApp({
        config,
        storage,
        agent,
        logger,
        probotLog: log,
        secretsFor: (names) => readSecrets(names, environ).values,
        environment,
        maxParallelRuns: bound.runs,
        channels,
        ...(env.HOUSECAT_METRICS_TOKEN ? { metricsToken: env.HOUSECAT_METRICS_TOKEN } : {}),
        browserContexts: () => pool.openContexts,
        ...(connections !== undefined ? { serverLimits: { maxConnections: connections } } : {}),
        // The watchdog checks each test's QStash schedule when it may list them.
        schedules,
      });
      const host = values.host ?? '0.0.0.0';
      const server = await app.listen(port, host).catch((error: unknown) => {
        throw listenError(error, port, host);
      });
      log.info({ name: 'housecat', url: server.url }, `HouseCat app listening on ${server.url}`);
      announce(logger, config, bound, channels);
      await stopped;
      logger.info(
        `stopping: accepting nothing new; runs in flight may finish for up to ${graceMs / 1000} s (HOUSECAT_SHUTDOWN_GRACE); GitHub work still pending stays in Redis for the next process. Signal again to stop now.`,
      );
      await server.close(graceMs);
      logger.info('stopped: closing the browser and Redis.');
      return EXIT.ok;
    } finally {
      restoreConsole();
      // Each bounded: a hung browser or an unreachable Redis must not hold the exit.
      await bounded(pool.close(), CLOSE_BOUND_MS);
      await bounded(storage.close(), CLOSE_BOUND_MS);
    }
  },
};

/**
 * What the environment offers runs, with the fixes named for an app's host. Checked once, at
 * start-up: a missing key or browser is said now, not discovered at the first run.
 */
function appEnvironment(env: HouseCatEnv, environ: NodeJS.ProcessEnv, logger: Logger) {
  const environment = {
    ...environmentFacts(env, environ.PATH ?? ''),
    keyHint: {
      anthropic: "ANTHROPIC_API_KEY in the app's environment (your host's settings) and restart it",
      tinyfish: "TINYFISH_API_KEY in the app's environment (your host's settings) and restart it",
    },
    secretHint: "{name} in the app's environment (your host's settings) and restart it",
  };
  if (!environment.anthropicKey) {
    logger.warn(
      'ANTHROPIC_API_KEY is not set: Claude goal tests run only their `expect` checks (failing checks still open incidents); passing ones are recorded as errors naming this fix.',
    );
  }
  if (environment.chromiumProblem) {
    logger.error(
      `no browser for tests that need one: ${environment.chromiumProblem} Until then, every such run is recorded as an error naming this fix (TinyFish tests still run).`,
    );
  }
  return environment;
}

/** The start-up lines: where QStash and GitHub call, the run bound, the dashboard and the alert channels. */
function announce(
  logger: Logger,
  config: BotConfig,
  bound: { runs: number; source: string },
  channels: readonly ChannelSpec[],
): void {
  logger.info(`QStash callbacks: ${config.publicUrl}/api/callback/{test-id}`);
  logger.info(`GitHub webhooks: ${config.publicUrl}${WEBHOOK_PATH}`);
  logger.info(`runs at once: ${bound.runs} (${bound.source})`);
  if (config.oauth) logger.info(`dashboard: ${config.publicUrl}/ (Sign in with GitHub)`);
  else logger.warn(NO_DASHBOARD);
  if (channels.length > 0) logger.info(`alert channels: ${channels.map(describeChannel).join(', ')}`);
}

/**
 * No App yet (neither APP_ID nor a private key): serve Probot's manifest flow instead, on loopback
 * unless --host says otherwise (the page hands out the App's credentials), until stopped.
 */
async function runAppSetup(
  values: { port?: string | undefined; host?: string | undefined },
  environ: NodeJS.ProcessEnv,
  io: CliIo,
  logger: Logger,
): Promise<number> {
  const fromEnv = environ.PORT === undefined ? 3000 : Number(environ.PORT);
  const port = intFlag('serve', 'port', values.port, 0, 65535) ?? fromEnv;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT is "${environ.PORT}": it must be a port number`);
  }
  const host = values.host ?? '127.0.0.1';
  const stopped = firstStopSignal(io, logger);
  const setup = await startAppSetup(
    { env: environ, cwd: io.cwd, port, host, webhookPath: WEBHOOK_PATH },
    (line) => (line.startsWith('error: ') ? logger.error(line.slice('error: '.length)) : logger.info(line)),
  ).catch((error: unknown) => {
    throw listenError(error, port, host);
  });
  logger.info(
    `no GitHub App configured (APP_ID and PRIVATE_KEY are not set): open ${setup.url} to register one from app.yml on GitHub; its ID, private key, webhook secret and client credentials are then written to ${io.cwd}/.env, and you restart \`housecat serve\`.`,
  );
  await stopped;
  await setup.close();
  return EXIT.ok;
}

/** A port another process holds is a setting to change (exit 2), said in one line, not a stack. */
function listenError(error: unknown, port: number, host: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return new ConfigError(
      `port ${port} on ${host} is already in use — stop the process using it (\`ss -ltnp 'sport = :${port}'\` shows it), or choose another port with --port N or PORT.`,
    );
  }
  if (code === 'EACCES') {
    return new ConfigError(
      `not allowed to listen on port ${port} on ${host} — ports below 1024 need privileges; choose a port above 1023 with --port N or PORT.`,
    );
  }
  return error;
}
