/**
 * An SMTP server (the `smtp-server` package: a real SMTP implementation, speaking to nodemailer over
 * a socket) that keeps every message it accepts. Plain connections (no TLS) on loopback, AUTH PLAIN
 * and LOGIN checked against one user; on demand it refuses the next message with a reply code (4xx:
 * try again later; 5xx: refused for good) or never answers the DATA (a timeout).
 */
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  subject: string;
  messageId: string;
}

export type SmtpTrouble = { kind: 'reply'; code: number } | { kind: 'hang' };

export interface SmtpStandIn {
  port: number;
  mails: ReceivedMail[];
  /** DATA commands seen, accepted or not. */
  attempts: number;
  trouble(...t: SmtpTrouble[]): void;
  close(): Promise<void>;
}

/** A header of a raw message (unfolded, RFC 2047 encoded words decoded). */
export function header(raw: string, name: string): string {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const m = new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(unfolded);
  return decodeWords(m?.[1]?.trim() ?? '');
}

/** `=?UTF-8?Q?…?=` and `=?UTF-8?B?…?=` words (adjacent ones joined, as RFC 2047 says). */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_all, _charset: string, enc: string, text: string) => {
      if (enc.toUpperCase() === 'B') return Buffer.from(text, 'base64').toString('utf8');
      const bytes = text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => `%${h}`);
      return decodeURIComponent(bytes.replace(/%(?![0-9A-Fa-f]{2})/g, '%25'));
    });
}

export async function startSmtpStandIn(auth: { user: string; pass: string }): Promise<SmtpStandIn> {
  const mails: ReceivedMail[] = [];
  const troubles: SmtpTrouble[] = [];
  let attempts = 0;
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(a, _session, callback) {
      if (a.username === auth.user && a.password === auth.pass) return callback(null, { user: a.username });
      return callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        attempts++;
        const t = troubles.shift();
        if (t?.kind === 'hang') return;
        if (t?.kind === 'reply') {
          return callback(Object.assign(new Error(`stand-in refuses (${t.code})`), { responseCode: t.code }));
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          subject: header(raw, 'Subject'),
          messageId: header(raw, 'Message-ID'),
        });
        callback(null, 'Message queued as stand-in');
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    mails,
    get attempts() {
      return attempts;
    },
    trouble: (...t) => troubles.push(...t),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
