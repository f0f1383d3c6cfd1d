/**
 * Where to send a person after signing in. Only a path on this app is accepted: anything that a
 * browser could read as another origin (`//evil.example`, `/\evil.example`, `https://…`, control
 * characters) falls back to `/`, so the sign-in flow can never be an open redirect.
 *
 * The check runs on the normalised path, not the raw one: `/.//evil.example`, `/r/../..//evil`
 * and `/%2e//evil` pass a raw "starts with //" test but normalise to `//evil…`, which a browser
 * following `Location` reads as another host.
 */
export function safeReturnTo(raw: string | null | undefined): string {
  if (!raw || raw.length > 2000) return '/';
  if (!raw.startsWith('/')) return '/';
  if (/[\u0000-\u001f\u007f\\]/.test(raw)) return '/';
  try {
    const base = 'http://housecat.invalid';
    const url = new URL(raw, base);
    if (url.origin !== base) return '/';
    const path = `${url.pathname}${url.search}`;
    // After normalisation the answer must still be one path on this origin.
    if (!path.startsWith('/') || path.startsWith('//') || path.includes('\\')) return '/';
    if (new URL(path, base).origin !== base) return '/';
    return path;
  } catch {
    return '/';
  }
}
