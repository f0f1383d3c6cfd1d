/**
 * HTTP pieces of the dashboard: cookies, security headers, HTML answers and redirects.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from '../../web/headers.js';

export const SESSION_COOKIE = 'housecat_session';
export const STATE_COOKIE = 'housecat_oauth_state';

/** Headers on every answer of the app (one set, src/web/headers.ts). */
export { SECURITY_HEADERS } from '../../web/headers.js';

export function parseCookies(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (!name || name in out) continue;
    try {
      out[name] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      // A cookie that is not valid percent-encoding is not ours.
    }
  }
  return out;
}

export interface CookieOptions {
  secure: boolean;
  maxAgeS: number;
  path?: string;
}

/** `HttpOnly; SameSite=Lax`, and `Secure` when the public URL is https. */
export function cookie(name: string, value: string, options: CookieOptions): string {
  const parts = [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${options.path ?? '/'}`,
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeS))}`,
    'HttpOnly',
    'SameSite=Lax',
  ];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

export function sendHtml(
  res: ServerResponse,
  status: number,
  html: string,
  headers: Record<string, string | string[]> = {},
): void {
  if (res.headersSent) return;
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8', ...headers });
  res.end(html);
}

export function redirect(
  res: ServerResponse,
  location: string,
  headers: Record<string, string | string[]> = {},
): void {
  if (res.headersSent) return;
  res.writeHead(303, { ...SECURITY_HEADERS, location, ...headers });
  res.end();
}

/** Reads a small urlencoded form body; null when too large or not a form. */
export async function readForm(req: IncomingMessage, limit = 8 * 1024): Promise<URLSearchParams | null> {
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim()
    .toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return null;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
