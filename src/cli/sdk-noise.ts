/**
 * The Upstash SDKs print every network retry with `console.warn` (`[Upstash QStash] POST … failed
 * (attempt 1/3), retrying in 100ms: …`): one unreachable service gave a dozen lines before HouseCat's
 * own message. In the CLI those lines collapse into one per service; HouseCat's error follows.
 */

const RETRY_LINE =
  /^\[(Upstash [^\]]+)\] .* failed (?:\(attempt \d+\/\d+\), retrying in \d+ms|after \d+ attempts): (.*)$/s;

/**
 * Replaces `console.warn`/`console.error` so SDK retry lines reach `write` once per service (as a
 * warning's text, without a prefix). Returns what puts the previous functions back.
 */
export function collapseSdkRetries(write: (warning: string) => void): () => void {
  const seen = new Set<string>();
  const { warn, error } = console;
  console.warn = collapsing(warn.bind(console), seen, write);
  console.error = collapsing(error.bind(console), seen, write);
  return () => {
    console.warn = warn;
    console.error = error;
  };
}

function collapsing(
  original: (...args: unknown[]) => void,
  seen: Set<string>,
  write: (line: string) => void,
): (...args: unknown[]) => void {
  return (...args: unknown[]) => {
    const text = args.map(String).join(' ');
    const match = RETRY_LINE.exec(text);
    if (!match) {
      original(...args);
      return;
    }
    const [, service = 'Upstash', cause = ''] = match;
    if (seen.has(service)) return;
    seen.add(service);
    write(`${service}: a request failed (${cause.trim()}); retrying — further retries are not shown`);
  };
}
