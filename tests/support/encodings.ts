/**
 * Every encoding a browser round trip can give a value (URL, form, markup, inline JSON): the
 * redaction tests check a secret in each of them.
 */
/** Every printable ASCII character, the hardest secret there is to keep out of a URL or markup. */
export const ALL_ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

export const htmlEscape = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
export const htmlDecimal = (s: string) => [...s].map((c) => `&#${c.codePointAt(0)};`).join('');
const htmlHex = (s: string) =>
  [...s].map((c) => `&#x${(c.codePointAt(0) as number).toString(16).toUpperCase()};`).join('');
const fullPercent = (s: string, lower = false) =>
  [...new TextEncoder().encode(s)]
    .map((b) => `%${b.toString(16).padStart(2, '0')}`)
    .map((h) => (lower ? h : h.toUpperCase()))
    .join('');
const formEncoded = (s: string) => new URLSearchParams({ p: s }).toString().slice(2);
export const jsonUnicode = (s: string) =>
  Array.from({ length: s.length }, (_, i) => `\\u${s.charCodeAt(i).toString(16).padStart(4, '0')}`).join('');

export const ENCODINGS: Record<string, (s: string) => string> = {
  raw: (s) => s,
  encodeURIComponent,
  encodeURI,
  'application/x-www-form-urlencoded': formEncoded,
  'full percent-encoding (upper-case hex)': (s) => fullPercent(s),
  'full percent-encoding (lower-case hex)': (s) => fullPercent(s, true),
  'HTML escaping': htmlEscape,
  'HTML decimal references': htmlDecimal,
  'HTML hex references': htmlHex,
  'JSON string': (s) => JSON.stringify(s).slice(1, -1),
  'JSON \\u escapes': jsonUnicode,
  'JSON with <>& escaped (as frameworks embed it in <script>)': (s) =>
    JSON.stringify(s).slice(1, -1).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026'),
};
