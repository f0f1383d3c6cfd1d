/**
 * The terminal form of a log line: `17:04:05 WARN  message  key=value`, one line per event. The JSON
 * record (what pino wrote) is the source, so both forms carry the same facts. Only a bug's stack
 * adds lines, indented under its event.
 */
import type { ErrorFields } from './error-fields.js';

/** Fields every record has, or that the line shows in its own place. */
const SHOWN = new Set(['level', 'time', 'pid', 'hostname', 'name', 'scope', 'msg', 'err']);

/** One JSON log record (a line pino wrote) as a readable line. Not JSON: returned as it is. */
export function prettyLine(json: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.trimEnd();
  }
  const time = typeof record.time === 'string' ? record.time.slice(11, 19) : '';
  const level = String(record.level ?? '')
    .toUpperCase()
    .padEnd(5);
  const origin = [record.name, record.scope].filter((part) => typeof part === 'string').join('/');
  const source = origin && origin !== 'housecat' ? `[${origin}] ` : '';
  const msg = String(record.msg ?? '');
  const err = record.err as ErrorFields | undefined;
  const parts = [`${time} ${level} ${source}${msg}`];
  if (err && !msg.includes(err.message)) parts.push(`— ${err.type}: ${err.message}`);
  const extra = Object.entries(record)
    .filter(([key, value]) => !SHOWN.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  if (extra.length > 0) parts.push(` ${extra.join(' ')}`);
  const stacks = err ? stacksOf(err) : [];
  return [parts.join(' '), ...stacks.map((stack) => indent(stack))].join('\n');
}

/** The stacks in an error and the errors it wraps (expected conditions have none). */
function stacksOf(err: ErrorFields): string[] {
  return [...(err.stack ? [err.stack] : []), ...(err.errors ?? []).flatMap(stacksOf)];
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line.trim()}`)
    .join('\n');
}
