/**
 * Secrets that could ride along in a log message: a password inside a connection URL (REDIS_URL),
 * a bearer token, GitHub and Anthropic tokens. HouseCat's own messages avoid them; this catches what
 * a dependency's error message or stack might carry.
 */

const PATTERNS: [RegExp, string][] = [
  // scheme://user:password@host → the password goes, the user and host stay (they help find the setting).
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*):[^\s/@]+@/gi, '$1:[redacted]@'],
  [/\b(Bearer|token)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]'],
  [/\b(gh[pousr]_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{20,})/g, '[redacted]'],
  [/\bsk-ant-[A-Za-z0-9_-]{8,}/g, '[redacted]'],
  [
    /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
    '[redacted private key]',
  ],
];

/** `text` with the secrets above replaced by `[redacted]`. */
export function scrubSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
