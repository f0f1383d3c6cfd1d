/**
 * Microsoft Teams workflow webhooks ("Post to a channel when a webhook request is received", the
 * successor of the retired Office 365 connectors), by hand: Microsoft ships no client for them. The
 * body is a message with one Adaptive Card attachment; the workflow answers 202 Accepted.
 */
import type { AlertMessage } from '../../core/notify/message.js';
import { alertFacts, alertLinks, alertTitle } from '../../core/notify/message.js';
import type { SendAnswer } from '../../core/notify/ports.js';
import { postJson } from './http.js';

/** The webhook body of an alert: an Adaptive Card 1.4 (what Teams renders in channels). */
export function teamsMessage(m: AlertMessage): Record<string, unknown> {
  const body: Record<string, unknown>[] = [
    {
      type: 'TextBlock',
      text: alertTitle(m),
      weight: 'Bolder',
      size: 'Large',
      wrap: true,
      style: 'heading',
      color:
        m.event === 'resolved'
          ? 'Good'
          : m.event === 'acknowledged' || m.event === 'test'
            ? 'Default'
            : 'Attention',
    },
    { type: 'FactSet', facts: alertFacts(m).map((f) => ({ title: f.label, value: f.value })) },
  ];
  const block = (label: string, text: string) =>
    body.push(
      { type: 'TextBlock', text: label, weight: 'Bolder', wrap: true, spacing: 'Medium' },
      // Adaptive Cards render Markdown in TextBlocks: a monospace block keeps page text as text.
      { type: 'TextBlock', text, wrap: true, fontType: 'Monospace' },
    );
  if (m.reason) block(m.event === 'resolved' ? 'Last failure' : 'Why', m.reason);
  if (m.failedStep) block('Failed step', m.failedStep);
  if (m.previousReason) block('Before', m.previousReason);
  const card = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    body,
    actions: alertLinks(m).map((l) => ({ type: 'Action.OpenUrl', title: l.label, url: l.url })),
  };
  return {
    type: 'message',
    attachments: [
      { contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card },
    ],
  };
}

/** Sends one alert to a Teams workflow webhook. */
export function sendTeams(url: string, m: AlertMessage): Promise<SendAnswer> {
  return postJson('Microsoft Teams', url, teamsMessage(m));
}
