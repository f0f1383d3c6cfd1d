/**
 * The Atom feed of a public status page's incidents (RFC 4287), `/status/{owner}/{repo}/feed.atom`:
 * one entry per incident of the page's history (open ones and those resolved in the last 90 days),
 * updated when it opened and again when it resolved, so a feed reader shows both. Built from the
 * same view as the page (no extra reads), with the page's rule for reasons: only with `show_goals`.
 */
import type { IncidentView, StatusView } from '../../core/status/view.js';
import { escapeHtml as esc, formatTime, formatTimeSpan } from '../../web/html.js';
import type { PageLinks } from './render-page.js';

const iso = (ms: number) => new Date(ms).toISOString();

function entry(view: StatusView, links: PageLinks, pageUrl: string, incident: IncidentView): string {
  const id = `${pageUrl}#incident-${encodeURIComponent(incident.slug)}-${incident.since}`;
  const resolved = incident.resolvedAt;
  const title = resolved
    ? `Resolved: ${incident.testName} (failed for ${formatTimeSpan(resolved - incident.since)})`
    : `${incident.status === 'acknowledged' ? 'Acknowledged' : 'Failing'}: ${incident.testName}`;
  const missed = incident.kind === 'missed' ? ' Its scheduled runs stopped coming.' : '';
  const summary =
    `${incident.testName} failing since ${formatTime(incident.since)}${resolved ? `, resolved ${formatTime(resolved)}` : ', still open'}.${missed}` +
    (incident.lastReason ? ` Last reason: ${incident.lastReason}` : '');
  const issue =
    incident.issueNumber === undefined
      ? ''
      : `<link rel="related" title="GitHub issue #${incident.issueNumber}" href="${esc(links.issueUrl(view.repo, incident.issueNumber))}"/>`;
  return `<entry><id>${esc(id)}</id><title>${esc(title)}</title><updated>${iso(resolved ?? incident.since)}</updated><published>${iso(incident.since)}</published><link rel="alternate" type="text/html" href="${esc(`${pageUrl}#test-${incident.slug}`)}"/>${issue}<summary>${esc(summary)}</summary></entry>`;
}

/** The feed document; `pageUrl` is the status page's absolute URL (the feed's own is `${pageUrl}/feed.atom`). */
export function renderAtomFeed(view: StatusView, links: PageLinks, pageUrl: string): string {
  const entries = view.history;
  // The feed changes when an incident opens or resolves; with none, when the page was drawn.
  const updated = Math.max(0, ...entries.map((i) => i.resolvedAt ?? i.since));
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><id>${esc(`${pageUrl}/feed.atom`)}</id><title>${esc(`${view.title}: incidents`)}</title><updated>${iso(updated || view.generatedAt)}</updated><author><name>HouseCat</name></author><link rel="self" type="application/atom+xml" href="${esc(`${pageUrl}/feed.atom`)}"/><link rel="alternate" type="text/html" href="${esc(pageUrl)}"/><generator>HouseCat</generator>
${entries.map((i) => entry(view, links, pageUrl, i)).join('\n')}
</feed>
`;
}
