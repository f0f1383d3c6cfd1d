/**
 * One line of Playwright's aria snapshot (`page.ariaSnapshot()`, AI mode included), parsed the way
 * Playwright writes it (playwright-core, renderAriaSnapshotAsYaml):
 *
 *     - role "name" [attr] [level=2] [ref=e5] [cursor=pointer]: value
 *
 * - The key is `role`, then the accessible name as a JSON string, then `[attributes]`. When the key
 *   holds YAML-special text (`: `, ` #`, `{`, `}`, a leading quote...) the whole key is wrapped in
 *   single quotes, with `'` doubled: `- 'button "Step 1: Save" [ref=e3]'`.
 * - A value after `: ` is plain, or double-quoted with JSON-like escapes plus `\xNN`.
 * - Special keys: `text` (a text node), `/url` and `/placeholder` (properties of the parent).
 * - A key ending in `:` with no value has children on the following, deeper lines.
 */

export interface AriaLine {
  /** Indentation level (two spaces each). */
  depth: number;
  /** `node` (an element), `text` (a text node), `prop` (`/url`, `/placeholder`). */
  kind: 'node' | 'text' | 'prop';
  /** The role (`button`, `heading`...); `text` for text nodes; `/url` for properties. */
  role: string;
  /** The accessible name, unescaped; absent when the element has none. */
  name?: string;
  /** Bracketed attributes in order, without brackets (`level=2`, `ref=e5`, `checked`). */
  attrs: string[];
  /** The element's ref, when it has one. */
  ref?: string;
  /** The text after `: ` (a text node's text, an element's own text, a property's value). */
  value?: string;
  /** True when the line ends with `:` (children follow). */
  hasChildren: boolean;
}

const JSON_STRING = /^"(?:[^"\\]|\\.)*"/;

/** Parses one snapshot line; `undefined` for a line that is not a list item. */
export function parseAriaLine(raw: string): AriaLine | undefined {
  const match = /^( *)- (.*)$/.exec(raw);
  if (!match) return undefined;
  const depth = Math.floor((match[1] ?? '').length / 2);
  const body = match[2] ?? '';
  let key: string;
  let rest: string;
  if (body.startsWith("'")) {
    let i = 1;
    key = '';
    for (; i < body.length; i += 1) {
      if (body[i] === "'") {
        if (body[i + 1] === "'") {
          key += "'";
          i += 1;
          continue;
        }
        break;
      }
      key += body[i];
    }
    rest = body.slice(i + 1);
  } else {
    // Unquoted keys never hold `: ` (Playwright quotes them then), so the first one separates.
    const sep = body.indexOf(': ');
    if (sep >= 0) {
      key = body.slice(0, sep);
      rest = body.slice(sep);
    } else if (body.endsWith(':')) {
      key = body.slice(0, -1);
      rest = ':';
    } else {
      key = body;
      rest = '';
    }
  }
  const hasChildren = rest === ':';
  const value = rest.startsWith(': ') ? unquoteValue(rest.slice(2)) : undefined;

  if (key === '/url' || key === '/placeholder') {
    return { depth, kind: 'prop', role: key, attrs: [], value: value ?? '', hasChildren: false };
  }
  if (key === 'text')
    return { depth, kind: 'text', role: 'text', attrs: [], value: value ?? '', hasChildren };

  const role = /^[a-zA-Z][\w-]*/.exec(key)?.[0] ?? key;
  let tail = key.slice(role.length);
  const line: AriaLine = { depth, kind: 'node', role, attrs: [], hasChildren };
  if (tail.startsWith(' "')) {
    const quoted = JSON_STRING.exec(tail.slice(1))?.[0];
    if (quoted) {
      line.name = JSON.parse(quoted) as string;
      tail = tail.slice(1 + quoted.length);
    }
  }
  for (const attr of tail.matchAll(/ \[([^\]]*)\]/g)) {
    const text = attr[1] ?? '';
    line.attrs.push(text);
    if (text.startsWith('ref=')) line.ref = text.slice(4);
  }
  if (value !== undefined) line.value = value;
  return line;
}

/** A YAML scalar as Playwright writes it: plain, or double-quoted with `\xNN` escapes. */
function unquoteValue(text: string): string {
  if (!text.startsWith('"')) return text;
  try {
    return JSON.parse(text.replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1')) as string;
  } catch {
    return text.slice(1, -1);
  }
}

/**
 * Writes a line back in Playwright's format (the inverse of {@link parseAriaLine}): the parser's
 * round-trip tests compare it with what Chromium produced.
 */
export function formatAriaLine(line: AriaLine): string {
  const indent = '  '.repeat(line.depth);
  if (line.kind === 'prop') return `${indent}- ${line.role}: ${escapeValue(line.value ?? '')}`;
  let key = line.role;
  if (line.kind === 'node') {
    if (line.name) key += ` ${JSON.stringify(line.name)}`;
    for (const attr of line.attrs) key += ` [${attr}]`;
  }
  let out = `${indent}- ${escapeKey(key)}`;
  if (line.value !== undefined) out += `: ${escapeValue(line.value)}`;
  else if (line.hasChildren) out += ':';
  return out;
}

function escapeKey(text: string): string {
  return needsQuotes(text) ? `'${text.replace(/'/g, "''")}'` : text;
}

function escapeValue(text: string): string {
  if (!needsQuotes(text)) return text;
  const escaped = text.replace(/[\\"\x00-\x1f\x7f-\x9f]/g, (c) => {
    const named: Record<string, string> = {
      '\\': '\\\\',
      '"': '\\"',
      '\b': '\\b',
      '\f': '\\f',
      '\n': '\\n',
      '\r': '\\r',
      '\t': '\\t',
    };
    return named[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
  return `"${escaped}"`;
}

/** Playwright's yamlStringNeedsQuotes, rule for rule. */
function needsQuotes(text: string): boolean {
  if (text.length === 0) return true;
  if (/^\s|\s$/.test(text)) return true;
  if (/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/.test(text)) return true;
  if (/^-/.test(text)) return true;
  if (/[\n:](\s|$)/.test(text)) return true;
  if (/\s#/.test(text)) return true;
  if (/[\n\r]/.test(text)) return true;
  if (/^[&*\],?!>|@"'#%]/.test(text)) return true;
  if (/[{}`]/.test(text)) return true;
  if (/^\[/.test(text)) return true;
  if (
    !Number.isNaN(Number(text)) ||
    ['y', 'n', 'yes', 'no', 'true', 'false', 'on', 'off', 'null', '~'].includes(text.toLowerCase())
  )
    return true;
  if (/^[-+]?\.(inf|nan)$/i.test(text)) return true;
  return false;
}
