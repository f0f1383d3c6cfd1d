/**
 * `housecat up`: the whole monitor on one machine, in one command, with no account — the tests of a
 * definitions file run on their schedules through the app's own use cases, with a store, incidents
 * and pages on localhost. The wiring is src/bot/up/; the choices it makes are up-setup.ts.
 */
import { BrowserPool } from '../../adapters/browser/index.js';
import { DEFAULT_CONFIG_PATH } from '../../adapters/definitions-file.js';
import { readEnv, shutdownGraceMs } from '../../adapters/env.js';
import type { LocalApp } from '../../bot/index.js';
import type { ParseOutcome } from '../../core/config/parse.js';
import type { Logger } from '../../core/ports.js';
import { renderPlanTable } from '../../core/sync/index.js';
import { intFlag, parseFlags } from '../args.js';
import { loadForCommand, reportDiagnostics, reportWarnings } from '../definitions.js';
import { describeDotEnv, withDotEnv } from '../dot-env.js';
import { exitCodeHelp } from '../exit-codes.js';
import { type CliIo, type Command, EXIT } from '../io.js';
import { bounded, CLOSE_BOUND_MS, stopSignal } from '../stopping.js';
import { launchUp, type UpLaunch } from '../up-launch.js';
import { chooseAccess, dataDirFor, openUpStore, type UpStore } from '../up-setup.js';
import { bannerLines } from '../up-terminal.js';
import { watchDefinitions } from '../up-watch.js';

export const DEFAULT_UP_PORT = 7878;

type ValidFile = Extract<ParseOutcome, { ok: true }>;

const help = `Usage: housecat up [--config PATH] [--port N] [--host 127.0.0.1] [--repo OWNER/NAME]
                   [--no-auth] [--local-incidents]

Monitors the tests of a definitions file on their schedules, on this machine, with
no account: each test with a schedule runs on its cron (H crons and maintenance
windows included) through the same code as a scheduled run of the HouseCat app;
results, incidents and the status page live on localhost.

  page       http://127.0.0.1:${DEFAULT_UP_PORT}/ opens the status page; the dashboard (test pages,
             live view, Run now) is at /r/OWNER/NAME; badges and the read API as in the app.
  store      REDIS_URL or UPSTASH_REDIS_REST_URL/_TOKEN when set; otherwise a private
             redis-server (from PATH) with its data in .housecat/data/ next to the
             definitions file (append-only: history survives restarts), stopped with up.
  incidents  GitHub issues, as the app files them, with GITHUB_TOKEN (or \`gh auth token\`)
             and a repository (git remote "origin" or --repo); otherwise kept in Redis,
             shown on the page, one line printed per opening and closing.
  reload     the file is watched: an edit is re-planned like \`housecat sync\` (plan
             printed); an invalid edit changes nothing and prints its errors.

Options:
  -c, --config PATH      definitions file (default: ${DEFAULT_CONFIG_PATH})
  -p, --port N           port for the pages (default ${DEFAULT_UP_PORT}; 0 picks a free one)
      --host ADDRESS     address to bind (default 127.0.0.1). Any other address needs
                         GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET (Sign in with GitHub) or --no-auth
      --no-auth          serve a non-loopback address without sign-in (the banner warns)
      --repo OWNER/NAME  repository the tests belong to (default: git remote "origin")
      --local-incidents  keep incidents in Redis even when a GitHub token is available
  -h, --help             show this help

Tests may reach loopback and private addresses (HOUSECAT_ALLOW_PRIVATE_NETWORK defaults
to 1 here: it is your machine); set HOUSECAT_ALLOW_PRIVATE_NETWORK=0 to refuse them.
HOUSECAT_UP_TICK_MS=N is a test knob: every scheduled test ticks each N ms instead of on its cron.

Stopping: Ctrl-C stops ticking, lets runs in flight finish (up to HOUSECAT_SHUTDOWN_GRACE,
default 25 s), closes the browser and the private redis-server, and exits 130; SIGTERM
does the same and exits 0. A second Ctrl-C stops at once.

Exit status:
${exitCodeHelp()}`;

export const upCommand: Command = {
  name: 'up',
  summary: 'monitor the tests on their schedules on this machine: no account needed',
  help,
  async run(args, io) {
    const { values } = parseFlags('up', args, {
      config: { type: 'string', short: 'c' },
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      repo: { type: 'string' },
      'no-auth': { type: 'boolean' },
      'local-incidents': { type: 'boolean' },
    });
    if (values.help) {
      io.stdout(help);
      return EXIT.ok;
    }
    const dotEnv = withDotEnv(io.env, io.cwd);
    // On one's own machine, monitoring the app on localhost is the point: allowed unless refused.
    const environ: NodeJS.ProcessEnv = { HOUSECAT_ALLOW_PRIVATE_NETWORK: '1', ...dotEnv.env };
    const env = readEnv(environ);
    const port = intFlag('up', 'port', values.port, 0, 65535) ?? DEFAULT_UP_PORT;
    const host = values.host ?? '127.0.0.1';
    const tickMs = intFlag('up', 'HOUSECAT_UP_TICK_MS', env.HOUSECAT_UP_TICK_MS, 100, 3_600_000);
    const access = chooseAccess(env, host, values['no-auth'] === true);
    const loaded = await loadForCommand(io, env, values);
    if (!loaded.outcome.ok) {
      reportDiagnostics(io, loaded.outcome, 'nothing was started; fix the file and run again');
      return EXIT.failed;
    }
    reportWarnings(io, env, loaded.outcome);
    const said = describeDotEnv(dotEnv);
    if (said) io.stdout(said);
    const stopped = stopSignal(io);
    const opened = await openUpStore(env, loaded.path, environ.PATH ?? '');
    const forgetPrivateRedis = stopPrivateRedisOnExit(opened);
    const pool = new BrowserPool({ env });
    let watcher: Watcher | undefined;
    try {
      const started = await startUp(io, {
        launch: {
          io,
          env,
          environ,
          repo: loaded.repo,
          tests: loaded.outcome.tests,
          opened,
          pool,
          logger: upLogger(io),
          access: access.access,
          forceLocalIncidents: values['local-incidents'] === true,
          ...(tickMs ? { tickMs } : {}),
          port,
          host,
        },
        file: values.config ?? DEFAULT_CONFIG_PATH,
        path: loaded.path,
        valid: loaded.outcome,
        access,
      });
      watcher = started.watcher;
      const signal = await stopped;
      const graceMs = shutdownGraceMs(env);
      io.stdout(
        `stopping (${signal}): no new runs; runs in flight may finish for up to ${graceMs / 1000} s. ${signal === 'Ctrl-C' ? 'Ctrl-C again to stop now.' : ''}`.trim(),
      );
      watcher.close();
      await started.running.close(graceMs);
      return EXIT.ok;
    } finally {
      watcher?.close();
      await closeUp(io, pool, opened, loaded.path);
      forgetPrivateRedis();
    }
  },
};

type Watcher = Awaited<ReturnType<typeof watchDefinitions>>;

/** up's lines on the terminal: information on stdout, warnings and errors on stderr. */
function upLogger(io: CliIo): Logger {
  return {
    info: (m: string) => io.stdout(m),
    warn: (m: string) => io.stderr(`warning: ${m}`),
    error: (m: string) => io.stderr(`error: ${m}`),
  };
}

/**
 * Starts the app, applies the file like `housecat sync`, prints the banner, and watches the file:
 * each valid edit is applied the same way.
 */
async function startUp(
  io: CliIo,
  s: {
    launch: UpLaunch;
    /** The definitions file as the user named it (plans and the banner show it). */
    file: string;
    path: string;
    valid: ValidFile;
    access: ReturnType<typeof chooseAccess>;
  },
): Promise<{ running: LocalApp; watcher: Watcher }> {
  const { app: running, incidents } = await launchUp(s.launch);
  const apply = async (outcome: ValidFile) => {
    await running.apply({
      tests: outcome.tests,
      ...(outcome.statusPage ? { statusPage: outcome.statusPage } : {}),
      file: s.file,
      onPlan: (plan) => io.stdout(renderPlanTable(plan)),
    });
  };
  await apply(s.valid);
  const scheduled = running.schedule.upcoming();
  const { tickMs } = s.launch;
  for (const line of bannerLines({
    repo: s.launch.repo,
    file: s.file,
    pageUrl: running.url,
    store: s.launch.opened.describe,
    incidents: incidents.describe,
    access: s.access.describe,
    ...(s.access.warning ? { warning: s.access.warning } : {}),
    tests: scheduled,
    unscheduled: s.valid.tests.length - scheduled.length,
    ...(tickMs ? { tickMs } : {}),
  })) {
    (line.startsWith('warning:') ? io.stderr : io.stdout)(line);
  }
  const watcher = await watchDefinitions({
    path: s.path,
    repo: s.launch.repo,
    apply: async (outcome) => {
      await apply(outcome);
      const next = running.schedule.upcoming();
      io.stdout(`Re-planned: ${next.length} scheduled test(s).`);
    },
    out: (line) => io.stdout(line),
    err: (line) => io.stderr(line),
  });
  return { running, watcher };
}

/**
 * A second Ctrl-C exits at once: the private server must not outlive us even then. Returns the
 * undo, for a clean stop (the server is stopped in order then).
 */
function stopPrivateRedisOnExit(opened: UpStore): () => void {
  const stopRedisOnExit = () => {
    if (opened.redis) {
      try {
        process.kill(opened.redis.pid, 'SIGTERM');
      } catch {}
    }
  };
  process.once('exit', stopRedisOnExit);
  return () => process.removeListener('exit', stopRedisOnExit);
}

/** Closes the browser and the store, each bounded as in `serve`, then the private redis-server. */
async function closeUp(
  io: CliIo,
  pool: BrowserPool,
  opened: UpStore,
  definitionsPath: string,
): Promise<void> {
  await bounded(pool.close(), CLOSE_BOUND_MS);
  await bounded(opened.store.close(), CLOSE_BOUND_MS);
  if (opened.redis) {
    await opened.redis.stop();
    io.stdout(`stopped: browser closed, redis-server stopped (data kept in ${dataDirFor(definitionsPath)}).`);
  } else io.stdout('stopped: browser closed.');
}
