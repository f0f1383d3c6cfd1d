/**
 * The Upstash SDKs print every network retry with `console.warn` (`[Upstash QStash] POST … failed
 * (attempt 1/3), retrying in 100ms: …`): one unreachable service gave a dozen lines before HouseCat's
 * own message. In the CLI those lines collapse into one per service; HouseCat's error follows.
 */

const RETRY_LINE =
  /^\[(Upstash [^\]]+)\] .* failed (?:\(attempt \d+\/\d+\), retrying in \d+ms|after \d+ attempts): (.*)$/s;

/** Replaces `console.warn`/`console.error` so SDK retry lines print once per service through `write`. */
export function collapseSdkRetries(write: (line: string) => void): void {
  const seen = new Set<string>();
  console.warn = collapsing(console.warn.bind(console), seen, write);
  console.error = collapsing(console.error.bind(console), seen, write);
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
    write(
      `warning: ${service}: a request failed (${cause.trim()}); retrying — further retries are not shown`,
    );
  };
}
