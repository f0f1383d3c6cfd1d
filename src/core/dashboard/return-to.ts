/**
 * Where to send a person after signing in. Only a path on this app is accepted: anything that a
 * browser could read as another origin (`//evil.example`, `/\evil.example`, `https://…`, control
 * characters) falls back to `/`, so the sign-in flow can never be an open redirect.
 */
export function safeReturnTo(raw: string | null | undefined): string {
  if (!raw || raw.length > 2000) return '/';
  if (!raw.startsWith('/')) return '/';
  // `//host` and `/\host` are protocol-relative for browsers; control characters are stripped by them.
  if (raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  if (/[\u0000-\u001f\u007f\\]/.test(raw)) return '/';
  try {
    const base = 'http://housecat.invalid';
    const url = new URL(raw, base);
    if (url.origin !== base) return '/';
    return `${url.pathname}${url.search}`;
  } catch {
    return '/';
  }
}
