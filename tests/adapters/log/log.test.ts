/**
 * The serve logger: JSON lines or readable lines from one pino instance, expected conditions
 * without a stack (and at warn when a library logs them as errors), bugs with one, secrets out.
 */
import { RequestError } from '@octokit/request-error';
import { describe, expect, it } from 'vitest';
import { createLog, type LogSettings, readLogSettings } from '../../../src/adapters/log/index.js';
import { ConfigError, ServiceError } from '../../../src/core/errors.js';

function capture(settings: Partial<LogSettings> = {}) {
  const lines: string[] = [];
  const log = createLog({ level: 'info', format: 'json', ...settings }, (line) => lines.push(line));
  // biome-ignore lint/suspicious/noExplicitAny: log records are read field by field, as a collector does
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, any>);
  return { ...log, lines, records };
}

const redisDown = () =>
  new ServiceError('Redis', 'claim', 'could not reach 127.0.0.1:6390 (ECONNREFUSED)', {
    hint: 'check REDIS_URL and that the server is running',
  });

/** What @octokit/webhooks hands Probot's logger for a forged signature. */
function forgedSignature(): AggregateError {
  const inner = Object.assign(
    new Error('[@octokit/webhooks] signature does not match event payload and secret'),
    {
      status: 400,
      event: { id: 'd-1', name: 'issues', payload: '{"secret":"not in the log"}', signature: 'sha256=00' },
    },
  );
  return Object.assign(new AggregateError([inner], inner.message), { event: inner });
}

describe('createLog', () => {
  it('writes one JSON object a line with the level as a word, an ISO time and msg', () => {
    const { logger, records } = capture();
    logger.info('HouseCat app listening on http://127.0.0.1:3000');
    logger.warn('dashboard off');
    expect(records()).toEqual([
      expect.objectContaining({ level: 'info', msg: 'HouseCat app listening on http://127.0.0.1:3000' }),
      expect.objectContaining({ level: 'warn', msg: 'dashboard off', name: 'housecat' }),
    ]);
    for (const record of records()) expect(new Date(record.time).toISOString()).toBe(record.time);
  });

  it('logs expected conditions without a stack, and at warn when a library calls them errors', () => {
    const { pino, records } = capture();
    const probot = pino.child({ name: 'probot' });
    probot.error(redisDown());
    probot.error(forgedSignature());
    probot.error(
      { err: new RequestError('Not Found', 404, { request: notFoundRequest() }) },
      'GitHub said no',
    );
    probot.error(Object.assign(new Error('getaddrinfo ENOTFOUND api.github.com'), { code: 'ENOTFOUND' }));
    const logged = records();
    expect(logged.map((r) => r.level)).toEqual(['warn', 'warn', 'warn', 'warn']);
    expect(JSON.stringify(logged)).not.toContain('    at ');
    expect(logged[0]?.err).toEqual({
      type: 'ServiceError',
      message:
        'Redis: claim failed: could not reach 127.0.0.1:6390 (ECONNREFUSED) — check REDIS_URL and that the server is running',
    });
    expect(logged[1]?.err.errors[0]).toEqual({
      type: 'Error',
      message: '[@octokit/webhooks] signature does not match event payload and secret',
      status: 400,
      event: { id: 'd-1', name: 'issues' },
    });
    expect(logged[2]?.err).toMatchObject({ type: 'HttpError', status: 404 });
    expect(JSON.stringify(logged)).not.toContain('not in the log');
  });

  it('keeps the stack of a bug, at error', () => {
    const { pino, records } = capture();
    const bug = new TypeError("Cannot read properties of undefined (reading 'type')");
    pino.child({ name: 'probot' }).error(new AggregateError([bug], bug.message));
    const [record] = records();
    expect(record?.level).toBe('error');
    expect(record?.err.errors[0].stack).toContain('at ');
  });

  it('keeps secrets out: passwords in URLs, bearer tokens, GitHub tokens, authorization headers', () => {
    const { logger, pino, lines } = capture();
    logger.error('could not reach redis://default:s3cret-pass@redis.internal:6379 (ECONNREFUSED)');
    logger.warn('GitHub answered 401 for Bearer ghs_16C7e42F292c6912E7710c838347Ae178B4a');
    pino.info({ headers: { authorization: 'token abcdef0123456789' } }, 'request');
    pino.error(new Error('failed with token ghp_abcdefghijklmnopqrstuvwxyz0123456789'));
    const text = lines.join('\n');
    for (const secret of ['s3cret-pass', 'ghs_16C7e42F', 'abcdef0123456789', 'ghp_abcdef']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('redis://default:[redacted]@redis.internal:6379');
  });

  it("writes a nested child's name as its scope, so no line holds a key twice", () => {
    const { pino, lines, records } = capture();
    // What Probot does: a child named probot, and one named event per webhook delivery.
    pino.child({ name: 'probot' }).child({ name: 'event', id: 'd-1' }).warn('bad delivery');
    expect(lines[0]?.match(/"name":/g)).toHaveLength(1);
    expect(records()[0]).toMatchObject({ name: 'probot', scope: 'event', id: 'd-1', msg: 'bad delivery' });
  });

  it('respects the level', () => {
    const { logger, records } = capture({ level: 'warn' });
    logger.info('not shown');
    logger.debug?.('not shown either');
    logger.warn('shown');
    expect(records().map((r) => r.msg)).toEqual(['shown']);
  });

  it('writes readable lines on a terminal: one per expected event, the stack only under a bug', () => {
    const { logger, pino, lines } = capture({ format: 'pretty' });
    logger.info('HouseCat app listening on http://127.0.0.1:3000');
    pino.child({ name: 'probot' }).error(forgedSignature());
    pino.child({ name: 'probot' }).error(new TypeError('x is undefined'));
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d INFO {2}HouseCat app listening on http:\/\/127\.0\.0\.1:3000$/);
    expect(lines[1]).toMatch(
      /^\d\d:\d\d:\d\d WARN {2}\[probot\] \[@octokit\/webhooks\] signature does not match/,
    );
    expect(lines[1]).not.toContain('\n');
    expect(lines[2]?.split('\n')[0]).toMatch(/ERROR \[probot\] x is undefined$/);
    expect(lines[2]?.split('\n')[1]).toMatch(/^ {4}TypeError: x is undefined$/);
    expect(lines[2]?.split('\n')[2]).toMatch(/^ {4}at /);
    pino.child({ name: 'probot' }).child({ name: 'event', id: 'd-2' }).warn('late');
    expect(lines[3]).toMatch(/WARN {2}\[probot\/event\] late {2}id=d-2$/);
  });
});

describe('readLogSettings', () => {
  it('guesses the format from the terminal and lets LOG_FORMAT and LOG_LEVEL decide', () => {
    expect(readLogSettings({}, false)).toEqual({ level: 'info', format: 'json' });
    expect(readLogSettings({}, true)).toEqual({ level: 'info', format: 'pretty' });
    expect(readLogSettings({ LOG_FORMAT: 'json', LOG_LEVEL: 'DEBUG' }, true)).toEqual({
      level: 'debug',
      format: 'json',
    });
    expect(readLogSettings({ LOG_FORMAT: 'pretty' }, false).format).toBe('pretty');
  });

  it('names the variable and its values when a setting is wrong', () => {
    expect(() => readLogSettings({ LOG_LEVEL: 'verbose' }, false)).toThrow(ConfigError);
    expect(() => readLogSettings({ LOG_LEVEL: 'verbose' }, false)).toThrow(
      /LOG_LEVEL is "verbose": use one of fatal/,
    );
    expect(() => readLogSettings({ LOG_FORMAT: 'xml' }, false)).toThrow(
      /LOG_FORMAT is "xml": use json .* or pretty/,
    );
  });
});

function notFoundRequest() {
  return {
    method: 'GET' as const,
    url: 'https://api.github.com/repos/acme/shop/issues/1',
    headers: { authorization: 'token ghs_abcdefghijklmnopqrstuvwxyz0123' },
  };
}
