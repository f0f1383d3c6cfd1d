/**
 * `housecat notify test CHANNEL` against the Slack and Discord stand-ins, in process through main():
 * it prints the platform's answer, refuses an unknown channel and a bad variable naming the variable
 * (never the webhook's token), and exits 3 when the platform is down, 2 when it refused for good.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import type { AlertStandIn } from '../../support/alert-stand-in.js';
import { DISCORD_PATH, startDiscordServer } from '../../support/discord-server.js';
import { recordingIo } from '../../support/recording-io.js';
import { SLACK_PATH, startSlackServer } from '../../support/slack-server.js';

describe('housecat notify', () => {
  let slack: AlertStandIn;
  let discord: AlertStandIn;
  const cwd = mkdtempSync(join(tmpdir(), 'housecat-notify-'));
  const env = () => ({
    HOUSECAT_NOTIFY_OPS: `slack+${slack.url}${SLACK_PATH}`,
    HOUSECAT_NOTIFY_TEAM: `discord+${discord.url}${DISCORD_PATH}`,
  });

  beforeAll(async () => {
    [slack, discord] = await Promise.all([startSlackServer(), startDiscordServer()]);
  });
  afterAll(async () => {
    await Promise.all([slack?.close(), discord?.close()]);
  });

  async function run(args: string[], environ: Record<string, string>) {
    const rec = recordingIo(environ, cwd);
    const code = await main(['notify', ...args], rec.io);
    return { code, out: rec.out.join('\n'), err: rec.err.join('\n') };
  }

  it('sends a test alert and prints the answer of Slack and of Discord', async () => {
    const ops = await run(['test', 'ops'], env());
    expect(ops.code, ops.err).toBe(0);
    expect(ops.out).toContain('HTTP 200 ok');
    expect(ops.out).toContain('ops (slack → 127.0.0.1)');
    expect(JSON.parse(slack.accepted().at(-1)!.body).text).toContain('test alert from HouseCat');
    const team = await run(['test', 'team'], env());
    expect(team.code, team.err).toBe(0);
    expect(team.out).toContain('HTTP 204');
  });

  it('exits 3 when the platform is down and 2 when it refuses for good, without printing the URL', async () => {
    slack.trouble({ kind: 'status', status: 503 });
    const down = await run(['test', 'ops'], env());
    expect(down.code).toBe(3);
    expect(down.err).toContain('HTTP 503');
    const gone = await run(['test', 'ops'], {
      HOUSECAT_NOTIFY_OPS: `slack+${slack.url}/services/T0/B0/revoked-token`,
    });
    expect(gone.code).toBe(2);
    expect(gone.err).toContain('no_service');
    expect(gone.err).not.toContain('revoked-token');
  });

  it('names the variable of an unknown channel and of a bad value, never its secret', async () => {
    const unknown = await run(['test', 'pager'], env());
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('HOUSECAT_NOTIFY_PAGER');
    const bad = await run(['list'], {
      HOUSECAT_NOTIFY_OPS: 'slack+http://hooks.slack.com/services/T0/B0/secret-token',
      HOUSECAT_NOTIFY_HOOK: 'webhook+https://example.com/hook',
      HOUSECAT_NOTIFY_MAIL: 'smtp://me:hunter2@mail.example.com:587?to=a@example.com',
    });
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('HOUSECAT_NOTIFY_OPS: http:// is accepted only for localhost');
    expect(bad.err).toContain('HOUSECAT_NOTIFY_HOOK_SECRET');
    expect(bad.err).toContain('HOUSECAT_NOTIFY_MAIL: add ?from=');
    expect(bad.err).not.toContain('secret-token');
    expect(bad.err).not.toContain('hunter2');
  });

  it('prints its help', async () => {
    const helped = await run(['--help'], {});
    expect(helped.code).toBe(0);
    expect(helped.out).toContain('housecat notify test CHANNEL');
  });
});
