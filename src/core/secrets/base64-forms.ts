/**
 * A secret inside base64 (a data: URL, a Basic auth header, a body a trace stores encoded): its
 * encoding depends on where the value starts relative to a 3-byte group, so each of the three
 * alignments gives a different run of characters. The characters that depend only on the secret
 * are the same wherever it sits, and those are what this finds and overwrites.
 */
/** Same shape as redact.ts's Redactor (not imported: redact.ts builds on this file). */
type Redactor = (text: string) => string;

/** The characters of base64(secret) that do not depend on its neighbours, for each alignment. */
export function base64Cores(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const cores = new Set<string>();
  for (let k = 0; k < 3; k++) {
    const encoded = Buffer.concat([Buffer.alloc(k), bytes]).toString('base64');
    const first = Math.ceil((8 * k) / 6);
    const last = Math.floor((8 * (k + bytes.length)) / 6);
    const core = encoded.slice(first, last);
    // Too short a run would match ordinary base64 by chance (and a 1–2 byte secret is no secret).
    if (core.length >= 4) {
      cores.add(core);
      cores.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  return [...cores];
}

/**
 * Overwrites every base64 (and base64url) form of the values with `A`s of the same length, so a
 * surrounding base64 blob stays decodable and the secret is gone from it.
 */
export function createBase64Redactor(secrets: Record<string, string>): Redactor {
  const cores = Object.values(secrets)
    .filter((v) => v.length > 0)
    .flatMap(base64Cores)
    .sort((a, b) => b.length - a.length);
  if (cores.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const core of cores) if (out.includes(core)) out = out.split(core).join('A'.repeat(core.length));
    return out;
  };
}
