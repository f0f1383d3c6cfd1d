/**
 * A small server-sent events reader (WHATWG "event stream" rules): `data:` lines joined with `\n`,
 * `event:` names, `:` comments ignored, CR/LF/CRLF line ends, an event dispatched at a blank line.
 */

export interface SseMessage {
  /** The `event:` field, or `message` when absent. */
  event: string;
  data: string;
}

/** Yields the events of a byte stream as they arrive. */
export async function* readSse(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event = '';
  let data: string[] = [];
  const flushLine = function* (line: string): Generator<SseMessage> {
    if (line === '') {
      if (data.length > 0) yield { event: event || 'message', data: data.join('\n') };
      event = '';
      data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
  };
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let match = /\r\n|\r|\n/.exec(buffer);
    // A lone CR at the end may be the first half of CRLF: wait for the next chunk.
    while (match && !(match[0] === '\r' && match.index === buffer.length - 1)) {
      const line = buffer.slice(0, match.index);
      buffer = buffer.slice(match.index + match[0].length);
      yield* flushLine(line);
      match = /\r\n|\r|\n/.exec(buffer);
    }
  }
  buffer += decoder.decode();
  if (buffer !== '') yield* flushLine(buffer.replace(/\r$/, ''));
  // A stream that ends without a blank line does not dispatch its last event (per spec).
}
