/**
 * The one logger of `housecat serve`: HouseCat's own lines and Probot's (Probot takes this pino
 * instance as its `log`) come out in one format. JSON lines (level, time, msg, and the event's
 * fields) when stdout is not a terminal, for a log collector; a readable line per event on a
 * terminal. LOG_LEVEL sets the level, LOG_FORMAT=json|pretty overrides the terminal guess.
 */
import pino from 'pino';
import { ConfigError } from '../../core/errors.js';
import type { Logger } from '../../core/ports.js';
import { errorFields, isExpectedError } from './error-fields.js';
import { prettyLine } from './pretty-line.js';
import { scrubSecrets } from './scrub.js';

export { isExpectedError } from './error-fields.js';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LEVELS)[number];
export type LogFormat = 'json' | 'pretty';

export interface LogSettings {
  level: LogLevel;
  format: LogFormat;
}

/** Structured fields that may hold a secret, wherever a dependency puts them. */
const REDACT = [
  'authorization',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'request.headers.authorization',
  '*.headers.authorization',
  'token',
  '*.token',
  'privateKey',
  '*.privateKey',
  'secret',
  '*.secret',
];

/**
 * pino writes a key bound again by a child a second time (`"name":"probot",…,"name":"event"`), and
 * some collectors (Elasticsearch) refuse a line with a repeated key. Probot names its logger
 * `probot` and each webhook delivery's child `event`: a child's name under a named logger becomes
 * its `scope` instead. Set on the root, the override is inherited: pino makes a child with
 * `Object.create(parent)`.
 */
function uniqueNames(root: pino.Logger): void {
  const child = root.child;
  root.child = function (this: pino.Logger, bindings, options) {
    const { name, ...rest } = bindings as { name?: unknown };
    const clash = name !== undefined && this.bindings().name !== undefined;
    return child.call(this, clash ? { ...rest, scope: name } : bindings, options);
  } as typeof root.child;
}

/** pino's number for `error`. */
const ERROR_LEVEL = 50;

/** The error a log call's first argument is, or holds as `{ err }`. */
function errorOf(first: unknown): Error | undefined {
  if (first instanceof Error) return first;
  const err = (first as { err?: unknown } | null)?.err;
  return err instanceof Error ? err : undefined;
}

/** True when a log call's first argument is an expected error, or `{ err }` holding one. */
function carriesExpectedError(first: unknown): boolean {
  const error = errorOf(first);
  return error !== undefined && isExpectedError(error);
}

/**
 * LOG_LEVEL (default `info`) and LOG_FORMAT (`json` or `pretty`; default `pretty` when stdout is a
 * terminal, else `json`).
 * @throws ConfigError naming the variable and the values it takes.
 */
export function readLogSettings(
  env: { LOG_LEVEL?: string; LOG_FORMAT?: string },
  isTTY: boolean,
): LogSettings {
  const level = (env.LOG_LEVEL?.trim().toLowerCase() || 'info') as LogLevel;
  if (!LEVELS.includes(level)) {
    throw new ConfigError(`LOG_LEVEL is "${env.LOG_LEVEL}": use one of ${LEVELS.join(', ')} (default info).`);
  }
  const format = env.LOG_FORMAT?.trim().toLowerCase() || (isTTY ? 'pretty' : 'json');
  if (format !== 'json' && format !== 'pretty') {
    throw new ConfigError(
      `LOG_FORMAT is "${env.LOG_FORMAT}": use json (one JSON object a line) or pretty (readable lines); unset, it is pretty on a terminal and json otherwise.`,
    );
  }
  return { level, format };
}

export interface ServeLog {
  /** For Probot's `log` option and for lines with fields of their own. */
  pino: pino.Logger;
  /** HouseCat's Logger port, writing through the same pino instance (`name: housecat`). */
  logger: Logger;
}

/** Builds the logger; `write` receives each line without its newline (JSON, or the readable form). */
export function createLog(settings: LogSettings, write: (line: string) => void): ServeLog {
  const destination = {
    write(chunk: string) {
      for (const line of chunk.split('\n')) {
        if (line) write(settings.format === 'pretty' ? prettyLine(line) : line);
      }
    },
  };
  const root = pino(
    {
      level: settings.level,
      timestamp: pino.stdTimeFunctions.isoTime,
      // The level as a word ("warn"), readable in a collector without pino's number table.
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: errorFields },
      redact: { paths: REDACT, censor: '[redacted]' },
      hooks: {
        logMethod(args, method, level) {
          const scrubbed = args.map((arg) => (typeof arg === 'string' ? scrubSecrets(arg) : arg));
          // Given an error and no message, pino uses the error's message as it is: pass it scrubbed.
          const error = errorOf(args[0]);
          if (error && typeof args[1] !== 'string') scrubbed.splice(1, 0, scrubSecrets(error.message));
          // Probot logs every failed webhook as an error; a forged signature or a service that is
          // down is an expected condition: a warning, so alerts on errors mean bugs.
          if (level === ERROR_LEVEL && carriesExpectedError(args[0])) {
            this.warn(...(scrubbed as Parameters<typeof method>));
            return;
          }
          method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
  uniqueNames(root);
  const own = root.child({ name: 'housecat' });
  return {
    pino: root,
    logger: {
      info: (message) => own.info(message),
      warn: (message) => own.warn(message),
      error: (message) => own.error(message),
      debug: (message) => own.debug(message),
    },
  };
}
