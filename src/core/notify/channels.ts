/**
 * Alert channels, read from the app's environment: one variable per channel,
 * `HOUSECAT_NOTIFY_<NAME>=<kind>+<url>` (Shoutrrr/Apprise-style service URLs), so the secret part of
 * a channel (a webhook URL is a bearer credential) never sits in housecat.yml, which names channels
 * only (`notify: [ops]`). Pure: the entry point hands the environment over.
 *
 * Every problem names its variable and never repeats the URL (its path is the token) or a password.
 */

export const CHANNEL_KINDS = ['slack', 'discord', 'teams', 'webhook', 'smtp'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** A channel's name as housecat.yml writes it: the `<NAME>` of its variable, in lower case. */
export const CHANNEL_NAME = /^[a-z][a-z0-9_]{0,39}$/;

export interface SmtpSettings {
  host: string;
  port: number;
  /** `smtps://`: TLS from the first byte (port 465); `smtp://` upgrades with STARTTLS when offered. */
  secure: boolean;
  user?: string;
  pass?: string;
  from: string;
  to: string[];
}

/** One configured channel. `url` and `secret` are credentials: never logged, stored or shown. */
export interface ChannelSpec {
  name: string;
  kind: ChannelKind;
  /** The platform's URL (no `<kind>+` prefix); for smtp, the whole `smtp://` URL. */
  url: string;
  /** Standard Webhooks signing secret (`whsec_…`), for `webhook`. */
  secret?: string;
  smtp?: SmtpSettings;
}

const PREFIX = 'HOUSECAT_NOTIFY_';

/** The variable that configures channel `name`. */
export function channelVariable(name: string): string {
  return `${PREFIX}${name.toUpperCase()}`;
}

/** A channel for logs and the dashboard: its name, kind and host only (the rest is credential). */
export function describeChannel(spec: Pick<ChannelSpec, 'name' | 'kind' | 'url'>): string {
  let host = '?';
  try {
    host = new URL(spec.url).hostname;
  } catch {
    // described without a host
  }
  return `${spec.name} (${spec.kind} → ${host})`;
}

/** True for the hosts `http://` (no TLS) is accepted for: this machine only. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/**
 * Reads every `HOUSECAT_NOTIFY_<NAME>` of `env`. Returns the channels it could read and one problem
 * per variable it could not (each names the variable and how to fix it).
 */
export function readChannels(env: Record<string, string | undefined>): {
  channels: ChannelSpec[];
  problems: string[];
} {
  const channels: ChannelSpec[] = [];
  const problems: string[] = [];
  for (const [variable, raw] of Object.entries(env)) {
    if (!variable.startsWith(PREFIX) || raw === undefined || raw.trim() === '') continue;
    const suffix = variable.slice(PREFIX.length);
    // `<NAME>_SECRET` is the secret of channel <NAME>, not a channel of its own.
    if (suffix.endsWith('_SECRET') && env[variable.slice(0, -'_SECRET'.length)] !== undefined) continue;
    const name = suffix.toLowerCase();
    if (!CHANNEL_NAME.test(name)) {
      problems.push(
        `${variable}: "${suffix}" is not a channel name — use letters, digits and _ after HOUSECAT_NOTIFY_ (at most 40), starting with a letter`,
      );
      continue;
    }
    const parsed = parseChannel(name, variable, raw.trim(), env[`${variable}_SECRET`]);
    if (typeof parsed === 'string') problems.push(parsed);
    else channels.push(parsed);
  }
  channels.sort((a, b) => a.name.localeCompare(b.name));
  return { channels, problems };
}

const FORMS =
  'slack+https://hooks.slack.com/services/…, discord+https://discord.com/api/webhooks/…, teams+https://…, webhook+https://… or smtp://user:pass@host:587?from=…&to=… (see docs/alerts.md)';

/** One channel from its variable's value, or the problem with it. */
export function parseChannel(
  name: string,
  variable: string,
  value: string,
  secret?: string,
): ChannelSpec | string {
  if (/^smtps?:\/\//i.test(value)) return parseSmtp(name, variable, value);
  const plus = /^([a-z]+)\+(.*)$/i.exec(value);
  const kind = plus?.[1]?.toLowerCase();
  if (!plus || !kind || !(CHANNEL_KINDS as readonly string[]).includes(kind) || kind === 'smtp') {
    return `${variable}: expected <kind>+<url>, one of ${FORMS}`;
  }
  let url: URL;
  try {
    url = new URL(plus[2] ?? '');
  } catch {
    return `${variable}: the part after "${kind}+" is not a URL — ${FORMS}`;
  }
  const problem = schemeProblem(variable, url);
  if (problem) return problem;
  const spec: ChannelSpec = { name, kind: kind as ChannelKind, url: url.toString() };
  if (kind === 'webhook') {
    const secretVariable = `${variable}_SECRET`;
    if (!secret?.trim()) {
      return `${variable}: a webhook channel signs every message (Standard Webhooks): set ${secretVariable}=whsec_… (base64 of 24–64 random bytes, e.g. "whsec_$(openssl rand -base64 32)")`;
    }
    if (!/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(secret.trim())) {
      return `${secretVariable}: expected whsec_ followed by base64 (e.g. "whsec_$(openssl rand -base64 32)")`;
    }
    spec.secret = secret.trim();
  }
  return spec;
}

function schemeProblem(variable: string, url: URL): string | null {
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return null;
  if (url.protocol === 'http:') {
    return `${variable}: http:// is accepted only for localhost/127.0.0.1 (tests, local setups); use https:// for ${url.hostname}`;
  }
  return `${variable}: the URL must start with https:// (got ${url.protocol})`;
}

function parseSmtp(name: string, variable: string, value: string): ChannelSpec | string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${variable}: not a URL — expected smtp://user:password@host:587?from=alerts@example.com&to=oncall@example.com`;
  }
  const secure = url.protocol.toLowerCase() === 'smtps:';
  if (!url.hostname) return `${variable}: the SMTP URL has no host`;
  const port = url.port ? Number(url.port) : secure ? 465 : 587;
  const from = url.searchParams.get('from')?.trim();
  const to = (url.searchParams.get('to') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!from) return `${variable}: add ?from=alerts@example.com (the sender address) to the SMTP URL`;
  if (to.length === 0)
    return `${variable}: add &to=oncall@example.com (comma-separated recipients) to the SMTP URL`;
  const bad = [from, ...to].find((a) => !/^[^@\s]+@[^@\s]+$/.test(a));
  if (bad) return `${variable}: "${bad}" is not an email address`;
  const smtp: SmtpSettings = { host: url.hostname, port, secure, from, to };
  if (url.username) smtp.user = decodeURIComponent(url.username);
  if (url.password) smtp.pass = decodeURIComponent(url.password);
  return { name, kind: 'smtp', url: `${url.protocol}//${url.host}`, smtp };
}
