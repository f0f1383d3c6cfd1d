/**
 * Secret redaction. The harness types secret values into the page, and a page may hand them back in
 * any encoding a browser or server uses: raw in a debug banner, form-encoded in the URL after a GET
 * form (`+` for spaces, `%21` for `!`), percent-encoded byte by byte, as HTML entities in the markup,
 * or as JSON escapes in an inline script. Everything that leaves the harness — the model's input,
 * events, steps, results, summaries, comments, logs — goes through a redactor first.
 *
 * Listing whole-value variants (one per encoding function) misses values that mix encodings, which is
 * what real pages produce (`encodeURIComponent` keeps `!'()~`, a form encoder does not). So each
 * character of a secret becomes an alternation of every form that character can take, and one regular
 * expression per secret matches the value whatever mix of encodings spells it.
 */

import { createBase64Redactor } from './base64-forms.js';

export type Redactor = (text: string) => string;

const NAMED_ENTITIES: Record<string, string[]> = {
  '&': ['&amp;', '&AMP;'],
  '<': ['&lt;', '&LT;'],
  '>': ['&gt;', '&GT;'],
  '"': ['&quot;', '&QUOT;'],
  "'": ['&apos;'],
  ' ': ['&nbsp;'],
  '\u00a0': ['&nbsp;'],
};

const JSON_SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '/': '\\/',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

const utf8 = new TextEncoder();

/** A hex number matched in either case, as percent-encoding and `&#x…;` allow. */
function hexPattern(value: number, width: number): string {
  return value
    .toString(16)
    .padStart(width, '0')
    .split('')
    .map((d) => (/[a-f]/.test(d) ? `[${d}${d.toUpperCase()}]` : d))
    .join('');
}

/** Every way one code point can be written by the encoders a browser round trip applies. */
function charPattern(char: string): string {
  const code = char.codePointAt(0) as number;
  const forms = new Set<string>([escapeRegExp(char)]);
  // Percent-encoding of the UTF-8 bytes (encodeURIComponent, form encoding, full encoding).
  const bytes = [...utf8.encode(char)];
  forms.add(bytes.map((b) => `%${hexPattern(b, 2)}`).join(''));
  if (char === ' ') forms.add('\\+');
  // HTML character references: decimal and hex (leading zeros allowed), and the named ones.
  forms.add(`&#0*${code};?`);
  forms.add(`&#[xX]0*${hexPattern(code, 1)};?`);
  for (const entity of NAMED_ENTITIES[char] ?? []) forms.add(escapeRegExp(entity));
  // JSON string escapes: the short ones, and \u with four hex digits (a surrogate pair outside the BMP).
  const short = JSON_SHORT_ESCAPES[char];
  if (short) forms.add(escapeRegExp(short));
  const units = char.length === 2 ? [char.charCodeAt(0), char.charCodeAt(1)] : [code];
  forms.add(units.map((u) => `\\\\u${hexPattern(u, 4)}`).join(''));
  return `(?:${[...forms].join('|')})`;
}

/** The pattern matching `value` in any mix of the encodings above. */
export function secretPattern(value: string): string {
  return [...value].map(charPattern).join('');
}

/**
 * Builds a redactor that replaces each secret value, in any of the encodings a page can echo it in,
 * with `[secret NAME]`. Longer values are tried first, so one secret containing another is fully
 * hidden rather than half-replaced.
 */
export function createRedactor(secrets: Record<string, string>): Redactor {
  const entries = Object.entries(secrets)
    .filter(([, value]) => value.length > 0)
    .sort(([, a], [, b]) => b.length - a.length)
    .map(([name, value]) => ({ label: `[secret ${name}]`, pattern: new RegExp(secretPattern(value), 'g') }));
  if (entries.length === 0) return (text) => text;
  // Base64 forms too (a data: URL, an Authorization header, an encoded body in a trace).
  const base64 = createBase64Redactor(secrets);
  return (text) => {
    let out = text;
    for (const { label, pattern } of entries) out = out.replace(pattern, () => label);
    return base64(out);
  };
}

/** Applies a redactor to every string inside a JSON-like value (results, steps, tool inputs). */
export function redactDeep<T>(value: T, redact: Redactor): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, redact)])) as T;
  }
  return value;
}
