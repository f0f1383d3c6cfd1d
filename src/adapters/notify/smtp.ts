/**
 * Email over SMTP with `nodemailer`: an HTML part (a facts table, the reason in a <pre>, links) and
 * a text part. The Message-ID is derived from the alert's key, the same on every retry, so a mail
 * system or a person's client can spot a repeat. Reply codes: 4xx (and no answer) are retried, 5xx
 * and a refused login are not. Away from this machine the connection must use TLS (STARTTLS or
 * smtps://): a password is never sent in clear.
 */
import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import { ServiceError } from '../../core/errors.js';
import { isLoopbackHost, type SmtpSettings } from '../../core/notify/channels.js';
import type { AlertMessage } from '../../core/notify/message.js';
import { alertColour, alertFacts, alertLinks, alertText, alertTitle } from '../../core/notify/message.js';
import type { SendAnswer } from '../../core/notify/ports.js';
import { SEND_TIMEOUT_MS } from './http.js';

const esc = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The HTML part of an alert. Every value is escaped: page text stays text. */
export function emailHtml(m: AlertMessage): string {
  const colour = `#${alertColour(m.event).toString(16).padStart(6, '0')}`;
  const rows = alertFacts(m)
    .map(
      (f) =>
        `<tr><th align="left" style="padding:2px 12px 2px 0">${esc(f.label)}</th><td>${esc(f.value)}</td></tr>`,
    )
    .join('');
  const pre = (label: string, text: string | undefined) =>
    text ? `<p><strong>${esc(label)}</strong></p><pre style="white-space:pre-wrap">${esc(text)}</pre>` : '';
  const links = alertLinks(m)
    .map((l) => `<a href="${esc(l.url)}">${esc(l.label)}</a>`)
    .join(' · ');
  return [
    '<!doctype html><html><body style="font-family:sans-serif">',
    `<h2 style="color:${colour}">${esc(alertTitle(m))}</h2>`,
    `<table>${rows}</table>`,
    pre(m.event === 'resolved' ? 'Last failure' : 'Why', m.reason),
    pre('Failed step', m.failedStep),
    pre('Before', m.previousReason),
    links ? `<p>${links}</p>` : '',
    '<p style="color:#666;font-size:12px">Sent by HouseCat.</p>',
    '</body></html>',
  ].join('\n');
}

/** A stable Message-ID for an alert key. */
export function messageIdFor(key: string): string {
  return `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@housecat.alerts>`;
}

/** Sends one alert by email. */
export async function sendEmail(smtp: SmtpSettings, m: AlertMessage, key: string): Promise<SendAnswer> {
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: !smtp.secure && !isLoopbackHost(smtp.host),
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.pass ?? '' } } : {}),
    connectionTimeout: SEND_TIMEOUT_MS,
    greetingTimeout: SEND_TIMEOUT_MS,
    socketTimeout: SEND_TIMEOUT_MS,
  });
  try {
    const info = await transport.sendMail({
      from: smtp.from,
      to: smtp.to,
      subject: `${alertTitle(m)} (${m.repo})`,
      text: alertText(m),
      html: emailHtml(m),
      messageId: messageIdFor(key),
      headers: { 'X-HouseCat-Event': m.event, 'X-HouseCat-Test': m.testId },
    });
    return { status: 250, body: String(info.response ?? '').slice(0, 500) };
  } catch (error) {
    throw smtpError(error);
  } finally {
    transport.close();
  }
}

function smtpError(error: unknown): ServiceError {
  const e = error as { code?: string; responseCode?: number; response?: string; message?: string };
  const code = e.responseCode;
  // A refused login or a 5xx reply is final; 4xx replies and lost connections are worth retrying.
  const retryable = e.code !== 'EAUTH' && (code === undefined || code < 500);
  const said = e.response ?? e.code ?? e.message ?? 'the SMTP server failed';
  return new ServiceError('SMTP', 'send an alert', String(said).slice(0, 200), {
    retryable,
    ...(code ? { status: code } : {}),
    ...(e.code === 'EAUTH' ? { hint: 'check the user and password in the channel’s smtp:// URL' } : {}),
  });
}
