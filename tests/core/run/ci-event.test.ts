import { describe, expect, it } from 'vitest';
import { interpretEvent, originOf } from '../../../src/core/run/ci-event.js';
import { successfulDeployment, webhookPayload } from '../../support/webhook-payloads.js';

describe('interpretEvent', () => {
  it('reads number, branches and head commit of a pull_request payload', () => {
    const event = interpretEvent('pull_request', webhookPayload('pull_request', 'opened'));
    expect(event.pullRequest).toEqual({
      number: 2,
      baseBranch: 'master',
      headBranch: 'changes',
      headSha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
      fork: false,
    });
    expect(event.source).toEqual({
      kind: 'pull_request',
      branch: 'changes',
      commit: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
      pr: 2,
    });
  });

  it('recognises a fork by its head repository, and a deleted fork too', () => {
    const payload = webhookPayload('pull_request', 'opened');
    payload.pull_request.head.repo.full_name = 'stranger/Hello-World';
    expect(interpretEvent('pull_request', payload).pullRequest?.fork).toBe(true);
    payload.pull_request.head.repo = null;
    expect(interpretEvent('pull_request', payload).pullRequest?.fork).toBe(true);
  });

  it('takes the preview URL of a successful deployment_status, environment_url first', () => {
    const payload = successfulDeployment('https://pr-2.preview.dev/app');
    payload.deployment_status.target_url = 'https://ci.example.com/log';
    const event = interpretEvent('deployment_status', payload);
    expect(event.deploymentUrl).toBe('https://pr-2.preview.dev/app');
    expect(event.headSha).toBe('f95f852bd8fca8fcc58a9a2d6c842781e32a215e');
    expect(event.source).toMatchObject({ branch: 'master' });
    expect(
      interpretEvent('deployment_status', successfulDeployment('https://t.dev', 'target_url')).deploymentUrl,
    ).toBe('https://t.dev');
  });

  it('has nothing to test while a deployment is not successful', () => {
    const payload = webhookPayload('deployment_status');
    payload.deployment_status.state = 'in_progress';
    expect(interpretEvent('deployment_status', payload).nothingToTest).toMatch(
      /"in_progress", not "success"/,
    );
  });

  it('uses GITHUB_REF and GITHUB_SHA for other events', () => {
    const event = interpretEvent('push', webhookPayload('push'), 'refs/heads/main', 'abc123');
    expect(event.source).toEqual({ kind: 'ci', branch: 'main', commit: 'abc123' });
    expect(event.pullRequest).toBeUndefined();
  });

  it('keeps only the origin of a deployment URL', () => {
    expect(originOf('https://pr-2.preview.dev/app?x=1')).toBe('https://pr-2.preview.dev');
    expect(originOf('javascript:alert(1)')).toBeUndefined();
  });
});
