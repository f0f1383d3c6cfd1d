/**
 * Real webhook payloads from @octokit/webhooks-examples (GitHub's own examples), deep-copied so a
 * test can adjust one field (a fork's head repo, a deployment URL) without touching the others.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples') as {
  name: string;
  examples: Record<string, unknown>[];
}[];

/** The first example of `event` (optionally with `action`), as a fresh copy. */
export function webhookPayload(event: string, action?: string): Record<string, any> {
  const group = examples.find((e) => e.name === event);
  const example = group?.examples.find((x) => action === undefined || x.action === action);
  if (!example)
    throw new Error(`@octokit/webhooks-examples has no ${event}${action ? `.${action}` : ''} example`);
  return structuredClone(example) as Record<string, any>;
}

/** A `deployment_status` example whose state is `success`, pointed at `url`. */
export function successfulDeployment(
  url: string,
  field: 'environment_url' | 'target_url' = 'environment_url',
) {
  const group = examples.find((e) => e.name === 'deployment_status');
  const example = group?.examples.find((x) => (x as any).deployment_status?.state === 'success');
  if (!example) throw new Error('@octokit/webhooks-examples has no successful deployment_status example');
  const payload = structuredClone(example) as Record<string, any>;
  payload.deployment_status[field] = url;
  return payload;
}
