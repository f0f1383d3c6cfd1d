/**
 * The `Upstash-Signature` QStash puts on every delivery: an HS256 JWT (iss "Upstash", sub = the
 * destination URL, body = base64url SHA-256 of the body, iat/nbf = now, exp = now + 5 min, jti).
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';

export interface SignOptions {
  signingKey: string;
  /** The destination URL the token is for (`sub`). */
  url: string;
  body: string;
  /** Epoch ms used for `iat` and `nbf` (default: now). */
  now?: number;
  /** Seconds until `exp` (default 300, as QStash). Negative makes an expired token. */
  expiresInS?: number;
  /** Seconds added to `now` for `nbf` (default 0). Positive makes a token not valid yet. */
  notBeforeS?: number;
  jti?: string;
  /** Overrides the issuer (default "Upstash"), to forge wrong tokens. */
  issuer?: string;
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** The `Upstash-Signature` JWT QStash puts on a delivery of `body` to `url`. */
export function signQStashRequest(options: SignOptions): string {
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  const header = { alg: 'HS256', typ: 'JWT' };
  const payload = {
    iss: options.issuer ?? 'Upstash',
    sub: options.url,
    exp: now + (options.expiresInS ?? 300),
    nbf: now + (options.notBeforeS ?? 0),
    iat: now,
    jti: options.jti ?? `jwt_${randomBytes(12).toString('hex')}`,
    body: base64url(createHash('sha256').update(options.body, 'utf8').digest()),
  };
  const unsigned = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature = createHmac('sha256', options.signingKey).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}
