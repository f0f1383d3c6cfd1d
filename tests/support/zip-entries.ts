/**
 * Reads a zip archive with a reader that is not ours (unzip-stream, the one @actions/artifact
 * uses), so a trace.zip HouseCat rewrote is checked by someone else's parser.
 */
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';

interface UnzipEntry extends NodeJS.ReadableStream {
  path: string;
  type: 'File' | 'Directory';
  autodrain(): void;
}

const require = createRequire(import.meta.url);
const unzip = require('unzip-stream') as { Parse(): NodeJS.WritableStream & NodeJS.ReadableStream };

/** Every file entry of the archive by name. */
export async function unzipEntries(zip: Buffer): Promise<Map<string, Buffer>> {
  const entries = new Map<string, Buffer>();
  const pending: Promise<void>[] = [];
  await new Promise<void>((resolve, reject) => {
    Readable.from([zip])
      .pipe(unzip.Parse())
      .on('entry', (entry: UnzipEntry) => {
        if (entry.type !== 'File') return entry.autodrain();
        const chunks: Buffer[] = [];
        pending.push(
          new Promise<void>((done, fail) => {
            entry.on('data', (c: Buffer) => chunks.push(c));
            entry.on('end', () => {
              entries.set(entry.path, Buffer.concat(chunks));
              done();
            });
            entry.on('error', fail);
          }),
        );
      })
      .on('close', resolve)
      .on('finish', resolve)
      .on('error', reject);
  });
  await Promise.all(pending);
  return entries;
}

/** Parses each non-empty line of a trace entry as JSON (the trace format: one event per line). */
export function jsonLines(data: Buffer): unknown[] {
  return data
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown);
}
