/**
 * QStash signature verification with `@upstash/qstash`'s Receiver: current and next signing keys,
 * the public callback URL (the token's `sub`), the raw body (the token's `body` hash), and a few
 * seconds of clock tolerance for `exp`/`nbf`. Never dev mode.
 */
import { Receiver } from '@upstash/qstash';

export interface SignatureVerifier {
  /** The token's `jti` when the signature is valid for this URL and body; otherwise the reason. */
  verify(input: {
    signature: string | undefined;
    body: string;
    url: string;
  }): Promise<{ ok: true; jti: string } | { ok: false; reason: string }>;
}

export function createSignatureVerifier(options: {
  currentSigningKey: string;
  nextSigningKey: string;
  clockToleranceS?: number;
}): SignatureVerifier {
  const receiver = new Receiver({
    currentSigningKey: options.currentSigningKey,
    nextSigningKey: options.nextSigningKey,
    // Explicitly off: otherwise QSTASH_DEV=1 in the environment would swap in public dev keys.
    devMode: false,
  });
  const clockTolerance = options.clockToleranceS ?? 5;
  return {
    async verify({ signature, body, url }) {
      if (!signature) return { ok: false, reason: 'Upstash-Signature header is missing' };
      try {
        await receiver.verify({ signature, body, url, clockTolerance });
      } catch (error) {
        return { ok: false, reason: (error as Error).message };
      }
      // Verified: the payload is trustworthy now.
      try {
        const payload = JSON.parse(
          Buffer.from(signature.split('.')[1] ?? '', 'base64url').toString('utf8'),
        ) as {
          jti?: unknown;
        };
        if (typeof payload.jti !== 'string' || payload.jti === '')
          return { ok: false, reason: 'token has no jti' };
        return { ok: true, jti: payload.jti };
      } catch {
        return { ok: false, reason: 'token payload is not JSON' };
      }
    },
  };
}
