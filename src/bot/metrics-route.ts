/**
 * `GET /metrics`: Prometheus text, off unless HOUSECAT_METRICS_TOKEN is set (then 404, as for any
 * unknown path), and only for a scraper sending `Authorization: Bearer <token>` (else 401). The
 * token is compared in constant time (over SHA-256 digests, so its length leaks nothing either).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PrometheusMetrics } from '../adapters/metrics/prometheus.js';
import { sendJson } from './http.js';

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** The handler; with no metrics (no token configured) every request is a 404. */
export function metricsHandler(metrics: PrometheusMetrics | null, token: string | undefined) {
  const expected = token ? digest(token) : null;
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (!metrics || !expected) return false;
    const auth = req.headers.authorization ?? '';
    const given = auth.startsWith('Bearer ') ? auth.slice('Bearer '.length).trim() : '';
    if (!given || !timingSafeEqual(digest(given), expected)) {
      sendJson(
        res,
        401,
        { error: 'send the metrics token as Authorization: Bearer <HOUSECAT_METRICS_TOKEN>' },
        { 'www-authenticate': 'Bearer realm="housecat-metrics"' },
      );
      return true;
    }
    const text = await metrics.text();
    res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : text);
    return true;
  };
}
