/**
 * Sealing with a key only the app holds: AES-256-GCM, so what is sealed is both secret and
 * tamper-evident. The dashboard seals its session records and access caches in Redis (someone who
 * holds only the Redis token cannot read a person's GitHub token, nor write a record that opens a
 * page) and the sign-in cookie (state, PKCE verifier and return path travel with the browser, so an
 * anonymous `/auth/login` writes nothing to Redis).
 *
 * Keys come from secrets by HKDF, one per purpose, so a value sealed for one purpose never opens as
 * another. Rotation: the first secret seals, every secret opens; add the new secret in front, keep
 * the old one for a session's lifetime (8 hours), then drop it.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** What a sealed value is for: part of the key and of the authenticated data. */
export type SealPurpose = 'session' | 'access' | 'sign-in';

export interface Sealer {
  /** Seals `plaintext`, bound to `context` (e.g. the hashed session id the record is stored under). */
  seal(purpose: SealPurpose, plaintext: string, context?: string): string;
  /** The plaintext, or null when the value was not sealed by this app for this purpose and context. */
  open(purpose: SealPurpose, sealed: string, context?: string): string | null;
}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

function keyOf(secret: string, purpose: SealPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'housecat-sealer', `housecat ${purpose} ${VERSION}`, 32));
}

/**
 * A sealer over `secrets` (the first seals, all open). Throws when there is none, or one is shorter
 * than 32 characters: a guessable key would make the seal worthless.
 */
export function createSealer(secrets: readonly string[]): Sealer {
  if (secrets.length === 0) throw new Error('the sealer needs at least one secret');
  for (const s of secrets) {
    if (s.length < 32) throw new Error('a sealing secret must be at least 32 characters long');
  }
  const keys = new Map<SealPurpose, Buffer[]>();
  const keysFor = (purpose: SealPurpose): Buffer[] => {
    let list = keys.get(purpose);
    if (!list) {
      list = secrets.map((s) => keyOf(s, purpose));
      keys.set(purpose, list);
    }
    return list;
  };
  const aad = (purpose: SealPurpose, context: string) => Buffer.from(`${VERSION}|${purpose}|${context}`);
  return {
    seal(purpose, plaintext, context = '') {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keysFor(purpose)[0] as Buffer, iv);
      cipher.setAAD(aad(purpose, context));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `${VERSION}.${iv.toString('base64url')}.${body.toString('base64url')}`;
    },
    open(purpose, sealed, context = '') {
      const [version, ivText, bodyText, extra] = sealed.split('.');
      if (version !== VERSION || !ivText || !bodyText || extra !== undefined) return null;
      const iv = Buffer.from(ivText, 'base64url');
      const body = Buffer.from(bodyText, 'base64url');
      if (iv.length !== IV_BYTES || body.length < TAG_BYTES) return null;
      for (const key of keysFor(purpose)) {
        try {
          const decipher = createDecipheriv('aes-256-gcm', key, iv);
          decipher.setAAD(aad(purpose, context));
          decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
          return Buffer.concat([
            decipher.update(body.subarray(0, body.length - TAG_BYTES)),
            decipher.final(),
          ]).toString('utf8');
        } catch {
          // Not this key (or forged): try the next one.
        }
      }
      return null;
    },
  };
}
