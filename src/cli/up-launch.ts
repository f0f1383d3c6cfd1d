/**
 * Starts `housecat up`'s app (src/bot/up/) from what the command chose: the agent over the browser
 * pool, the incident mode, the environment facts, and the one line printed per finished run.
 */
import { createAgent } from '../adapters/agent/index.js';
import type { BrowserPool } from '../adapters/browser/index.js';
import { environmentFacts, replayStoreFor } from '../adapters/compose.js';
import { type HouseCatEnv, maxParallelRuns, readNotifyChannels, readSecrets } from '../adapters/env.js';
import { createTokenPermission } from '../adapters/github/token-tracker.js';
import { type LocalApp, type LocalDashboardAccess, startLocalApp } from '../bot/index.js';
import { ConfigError } from '../core/errors.js';
import type { Logger } from '../core/ports.js';
import { systemClock } from '../core/ports.js';
import type { TestDefinition } from '../core/types.js';
import type { CliIo } from './io.js';
import { chooseIncidents, type UpIncidents, type UpStore } from './up-setup.js';
import { runLine } from './up-terminal.js';

export interface UpLaunch {
  io: CliIo;
  env: HouseCatEnv;
  environ: NodeJS.ProcessEnv;
  repo: string;
  tests: readonly TestDefinition[];
  opened: UpStore;
  pool: BrowserPool;
  logger: Logger;
  access: LocalDashboardAccess;
  forceLocalIncidents: boolean;
  tickMs?: number;
  port: number;
  host: string;
}

/** Builds the adapters and starts the app listening; throws ConfigError for a port in use. */
export async function launchUp(l: UpLaunch): Promise<{ app: LocalApp; incidents: UpIncidents }> {
  const { io, env, environ, opened, logger } = l;
  let app: LocalApp | undefined;
  const incidents = chooseIncidents({
    env,
    repo: l.repo,
    store: opened.store,
    clock: systemClock,
    forceLocal: l.forceLocalIncidents,
    pageUrl: () => app?.url ?? '',
    onChange: (line) => io.stdout(line),
  });
  const environment = {
    ...environmentFacts(env, environ.PATH ?? ''),
    keyHint: {
      anthropic: 'ANTHROPIC_API_KEY in the environment (or .env) and restart housecat up',
      tinyfish: 'TINYFISH_API_KEY in the environment (or .env) and restart housecat up',
    },
    secretHint: '{name} in the environment (or .env) and restart housecat up',
  };
  if (!environment.anthropicKey && l.tests.some((t) => t.goal)) {
    logger.warn('ANTHROPIC_API_KEY is not set: goal tests run only their `expect` checks.');
  }
  app = await startLocalApp(
    {
      store: opened.store,
      agent: createAgent({ env, pool: l.pool, logger, replay: replayStoreFor(opened.store) }),
      tracker: incidents.tracker,
      localIssues: incidents.local,
      repo: l.repo,
      access: l.access,
      logger,
      maxParallelRuns: maxParallelRuns(env).runs,
      ...(l.tickMs ? { everyMs: l.tickMs } : {}),
      secretsFor: (names) => readSecrets(names, environ).values,
      environment,
      channels: readNotifyChannels(environ),
      // GitHub sign-in: Run now asks GitHub for the person's permission with the incidents' token.
      ...(l.access.kind === 'github' && env.GITHUB_TOKEN
        ? {
            permissionOf: createTokenPermission({
              token: env.GITHUB_TOKEN,
              ...(env.GITHUB_API_URL ? { apiUrl: env.GITHUB_API_URL } : {}),
            }),
          }
        : {}),
      onDelivered: (test, outcome) => {
        // The run's own result (its duration and reason), among the newest few.
        const runId = outcome.kind === 'ran' ? outcome.runId : '';
        const latest = runId ? opened.store.getResults(test.id, { limit: 5 }) : Promise.resolve([]);
        void latest
          .then((r) =>
            io.stdout(runLine(test, outcome, r.find((x) => x.runId === runId) ?? null, Date.now())),
          )
          .catch(() => io.stdout(runLine(test, outcome, null, Date.now())));
      },
    },
    l.port,
    l.host,
  ).catch((error: unknown) => {
    throw listenError(error, l.port, l.host);
  });
  return { app, incidents };
}

/** A port another process holds is a setting to change (exit 2). */
function listenError(error: unknown, port: number, host: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return new ConfigError(
      `port ${port} on ${host} is already in use (another housecat up?) — stop it, or choose another port with --port N.`,
    );
  }
  if (code === 'EADDRNOTAVAIL') return new ConfigError(`--host ${host} is not an address of this machine.`);
  return error;
}
