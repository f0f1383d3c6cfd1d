/**
 * The run page's routes under a test (issue 29): `runs/{runId}`, its screenshots
 * `runs/{runId}/shots/{n}.jpg` and its trace `runs/{runId}/trace.zip`. The caller checked the
 * person's access to the repository first; a run of another test, an unknown run or a file no
 * longer kept answers 404 like everything else a person may not see.
 */
import type { ServerResponse } from 'node:http';
import type { StoredTest } from '../../core/ports.js';
import type { RunRecordStore } from '../../core/run/run-record.js';
import type { Viewer } from './html.js';
import { SECURITY_HEADERS, sendHtml } from './http-util.js';
import { runPage } from './run-page.js';

const RUN_ID = /^[A-Za-z0-9-]{1,64}$/;
const SHOT = /^(\d{1,2})\.jpg$/;

/** Answers a run route; false when `rest` names nothing here (the caller answers 404). */
export async function serveRunRoute(
  runs: RunRecordStore | undefined,
  res: ServerResponse,
  test: StoredTest,
  rest: string[],
  viewer: Viewer,
): Promise<boolean> {
  const [runId, kind, file, ...more] = rest;
  if (!runs || !runId || !RUN_ID.test(runId) || more.length > 0) return false;
  const testId = test.definition.id;
  if (kind === undefined) {
    const record = await runs.getRun(testId, runId);
    if (!record || record.testId !== testId) return false;
    sendHtml(res, 200, runPage(test, record, viewer));
    return true;
  }
  if (kind === 'trace.zip' && file === undefined) {
    const trace = await runs.getTrace(testId, runId);
    if (!trace) return false;
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'application/zip',
      'content-disposition': `attachment; filename="${test.definition.slug}-${runId.slice(0, 8)}-trace.zip"`,
    });
    res.end(Buffer.from(trace, 'base64'));
    return true;
  }
  const n = kind === 'shots' && file ? SHOT.exec(file) : null;
  if (!n) return false;
  const shot = await runs.getShot(testId, runId, Number(n[1]));
  if (!shot) return false;
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': 'image/jpeg',
    'cache-control': 'private, max-age=3600',
  });
  res.end(Buffer.from(shot, 'base64'));
  return true;
}
