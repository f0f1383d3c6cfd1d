/**
 * A Microsoft Teams workflow webhook (Power Automate's "When a Teams webhook request is received"
 * trigger), as Microsoft documents it: POST JSON to the workflow's URL (…/workflows/{id}/triggers/
 * manual/paths/invoke?api-version=…&sig=…); the trigger answers 202 Accepted with no body and runs
 * the flow afterwards, so a card the flow cannot post is not refused here: `cardProblem` says what
 * Teams would make of it. A wrong `sig` answers 401; over the flow's limits, 429 with `Retry-After`.
 */
import { type AlertStandIn, jsonOf, startAlertStandIn } from './alert-stand-in.js';

export const TEAMS_PATH =
  '/workflows/0a1b2c3d/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=teams-sig';

/** Why the "post card in a chat or channel" step would fail on this body, or null. */
export function cardProblem(payload: unknown): string | null {
  const p = payload as {
    type?: string;
    attachments?: { contentType?: string; content?: Record<string, unknown> }[];
  };
  if (p?.type !== 'message') return 'type is not "message"';
  const a = p.attachments?.[0];
  if (a?.contentType !== 'application/vnd.microsoft.card.adaptive') return 'no Adaptive Card attachment';
  const card = a.content ?? {};
  if (card.type !== 'AdaptiveCard' || typeof card.version !== 'string')
    return 'content is not an AdaptiveCard';
  if (!Array.isArray(card.body) || card.body.length === 0) return 'empty card body';
  return null;
}

export function startTeamsServer(): Promise<AlertStandIn> {
  return startAlertStandIn({
    name: 'Teams',
    answer(req, body) {
      const url = new URL(req.url ?? '/', 'http://x');
      if (req.method !== 'POST' || !url.pathname.startsWith('/workflows/')) return { status: 404 };
      if (url.searchParams.get('sig') !== 'teams-sig') {
        return {
          status: 401,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            error: { code: 'DirectApiAuthorizationRequired', message: 'bad signature' },
          }),
        };
      }
      if (jsonOf(body) === undefined) return { status: 400, body: 'InvalidRequestContent' };
      return { status: 202 };
    },
    rateLimited: (s) => ({ status: 429, headers: { 'retry-after': String(s) }, body: '' }),
  });
}
