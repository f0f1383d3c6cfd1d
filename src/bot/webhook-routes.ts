/**
 * GitHub webhooks (verified by Probot with WEBHOOK_SECRET before they get here), handed to the use
 * cases in src/app/incident-issue-events.ts: `issue_comment.created` with `/housecat run`, and `issues.closed`
 * by a person.
 *
 * GitHub waits 10 s for the answer (Probot answers 202 after 9 s and then only logs what fails) and
 * never redelivers a failed delivery by itself. So a handler only saves the request in the durable
 * outbox and answers; the run, the reply and the acknowledgement are carried out, and retried, from
 * there.
 */
import type { Probot } from 'probot';
import type { InstallationClients } from '../adapters/github/installations.js';
import { acceptRequest, type WebhookRequest } from '../app/accept-request.js';
import { type IssueLike, type RequestDeps, RUN_COMMAND } from '../app/incident-issue-events.js';

export interface WebhookDeps extends RequestDeps {
  installations: InstallationClients;
}

export function registerWebhooks(probot: Probot, deps: WebhookDeps): void {
  probot.on('issue_comment.created', async (context) => {
    const { comment, sender } = context.payload;
    if (sender.type === 'Bot' || !RUN_COMMAND.test(comment.body)) return;
    await accept(deps, 'run', context);
  });
  probot.on('issues.closed', async (context) => {
    // HouseCat closes issues itself on recovery: only a person's close is an acknowledgement.
    if (context.payload.sender.type === 'Bot') return;
    await accept(deps, 'acknowledge', context);
  });
}

/** What both events carry, as Probot types them. */
interface IssueEvent {
  id: string;
  payload: {
    issue: IssueLike;
    repository: { full_name: string };
    sender: { login: string };
    installation?: { id: number };
  };
}

/** Remembers the installation that sent the event, then saves the request in the outbox. */
async function accept(deps: WebhookDeps, kind: WebhookRequest['kind'], event: IssueEvent): Promise<void> {
  const { issue, repository, sender, installation } = event.payload;
  if (installation) deps.installations.remember(repository.full_name, installation.id);
  await acceptRequest(deps, {
    kind,
    delivery: event.id,
    repo: repository.full_name,
    issue,
    sender: sender.login,
  });
}
