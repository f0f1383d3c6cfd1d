/**
 * Maps a field path of the parsed definitions back to the line and column in the YAML source, so
 * every problem can be reported as `FILE:LINE:COL: FIELD-PATH: message`.
 */
import { type Document, isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from 'yaml';

export type PathSegment = string | number;

/** Renders `['tests', 2, 'schedule']` as `tests[2].schedule`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

function child(node: unknown, segment: PathSegment): { node: Node | null; key: Node | null } | null {
  if (isMap(node)) {
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const key = isScalar(item.key) ? item.key.value : item.key;
      if (String(key) === String(segment)) {
        return { node: (item.value as Node | null) ?? null, key: (item.key as Node | null) ?? null };
      }
    }
    return null;
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment];
    return item === undefined ? null : { node: item as Node, key: null };
  }
  return null;
}

/**
 * Finds the position of the value at `path` (or of its key, with `at: 'key'`). When the path does
 * not exist (a missing field), the position of the deepest existing ancestor is returned.
 */
export function locate(
  doc: Document,
  lines: LineCounter,
  path: readonly PathSegment[],
  at: 'value' | 'key' = 'value',
): { line: number; column: number } {
  let node: unknown = doc.contents;
  let keyNode: Node | null = null;
  let found = true;
  for (const segment of path) {
    const next = child(node, segment);
    if (!next) {
      found = false;
      break;
    }
    keyNode = next.key;
    // `key:` with no value: point at the key.
    node = next.node ?? next.key;
  }
  const target = (found && at === 'key' && keyNode ? keyNode : node) as Node | null;
  const offset = target?.range?.[0] ?? 0;
  const pos = lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}
