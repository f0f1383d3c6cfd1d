/**
 * GitHub webhooks (verified by Probot with WEBHOOK_SECRET before they get here), handed to the use
 * cases in src/app/on-request.ts: `issue_comment.created` with `/housecat run`, and `issues.closed`
 * by a person.
 */
import type { Probot } from 'probot';
import type { InstallationClients } from '../adapters/github/installations.js';
import {
  acknowledgeOnClose,
  firstDelivery,
  type RequestDeps,
  RUN_COMMAND,
  releaseDelivery,
  rerunOnRequest,
} from '../app/on-request.js';

export interface WebhookDeps extends RequestDeps {
  installations: InstallationClients;
}

export function registerWebhooks(probot: Probot, deps: WebhookDeps): void {
  probot.on('issue_comment.created', async (context) => {
    const { comment, sender, issue, repository, installation } = context.payload;
    if (sender.type === 'Bot' || !RUN_COMMAND.test(comment.body)) return;
    const owner = await firstDelivery(deps, context.id);
    if (owner === null) return;
    try {
      if (installation) deps.installations.remember(repository.full_name, installation.id);
      await rerunOnRequest(deps, {
        repo: repository.full_name,
        issue,
        sender: sender.login,
        permissionOf: async () => {
          const { data } = await context.octokit.request(
            'GET /repos/{owner}/{repo}/collaborators/{username}/permission',
            { owner: repository.owner.login, repo: repository.name, username: sender.login },
          );
          return data.permission;
        },
      });
    } catch (error) {
      // Let GitHub's redelivery try again.
      await releaseDelivery(deps, context.id, owner);
      throw error;
    }
  });
  probot.on('issues.closed', async (context) => {
    const { issue, repository, sender } = context.payload;
    // HouseCat closes issues itself on recovery: only a person's close is an acknowledgement.
    if (sender.type === 'Bot') return;
    if ((await firstDelivery(deps, context.id)) === null) return;
    await acknowledgeOnClose(deps, { repo: repository.full_name, issue, sender: sender.login });
  });
}
