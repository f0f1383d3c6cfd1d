/**
 * Content hashes for sync: a test is "unchanged" when the SHA-256 of its canonical JSON (and of the
 * schedule it needs) equals the hash stored beside it in Redis. Canonical means keys sorted and
 * `undefined` dropped, so field order in the YAML or in code never makes a change.
 */
import { createHash } from 'node:crypto';
import type { ScheduleSpec } from '../ports.js';
import type { TestDefinition } from '../types.js';

/** JSON with object keys sorted at every level and `undefined` members left out. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : sortKeys(item)));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) out[key] = sortKeys(member);
    }
    return out;
  }
  return value;
}

/** Hex SHA-256 of a string. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The hash stored as a test's `contentHash`: the definition plus the QStash schedule it needs
 * (destination and retries included), so a new callback URL also counts as a change.
 */
export function contentHash(definition: TestDefinition, schedule: ScheduleSpec | null): string {
  return sha256Hex(canonicalJson({ definition, schedule }));
}
