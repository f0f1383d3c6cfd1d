/**
 * Real webhook payloads from @octokit/webhooks-examples (GitHub's own examples), deep-copied so a
 * test can adjust one field (a fork's head repo, a deployment URL) without touching the others.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A payload tests reach into freely (GitHub's shapes are deep; tests set single fields). */
// biome-ignore lint/suspicious/noExplicitAny: test payloads are edited field by field
type Payload = Record<string, any>;
const examples = require('@octokit/webhooks-examples') as {
  name: string;
  examples: Record<string, unknown>[];
}[];

/** The first example of `event` (optionally with `action`), as a fresh copy. */
export function webhookPayload(event: string, action?: string): Payload {
  const group = examples.find((e) => e.name === event);
  const example = group?.examples.find((x) => action === undefined || x.action === action);
  if (!example)
    throw new Error(`@octokit/webhooks-examples has no ${event}${action ? `.${action}` : ''} example`);
  return structuredClone(example) as Payload;
}

/** A `deployment_status` example whose state is `success`, pointed at `url`. */
export function successfulDeployment(
  url: string,
  field: 'environment_url' | 'target_url' = 'environment_url',
) {
  const group = examples.find((e) => e.name === 'deployment_status');
  const example = group?.examples.find((x) => (x as Payload).deployment_status?.state === 'success');
  if (!example) throw new Error('@octokit/webhooks-examples has no successful deployment_status example');
  const payload = structuredClone(example) as Payload;
  payload.deployment_status[field] = url;
  return payload;
}
