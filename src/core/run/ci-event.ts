/**
 * What a GitHub Actions event means for a HouseCat run: where the run comes from, whether it is a
 * pull request (and from a fork), and which preview URL a `deployment_status` event points at.
 * Pure: takes the event name and payload, so it is tested with GitHub's real example payloads.
 */
import type { RunSource } from '../types.js';

export interface PullRequestInfo {
  number: number;
  baseBranch: string;
  headBranch: string;
  headSha: string;
  /** The head repository differs from the base repository (or was deleted): no secrets. */
  fork: boolean;
}

export interface CiEvent {
  source: RunSource;
  pullRequest?: PullRequestInfo;
  /** The commit the check run belongs to. */
  headSha?: string;
  /** The preview URL announced by a successful `deployment_status` event. */
  deploymentUrl?: string;
  /** Set when this event gives nothing to test (a deployment that is not `success`). */
  nothingToTest?: string;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (v && typeof v === 'object' ? (v as Json) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Interprets `eventName` + `payload`; `ref`/`sha` are GITHUB_REF/GITHUB_SHA for other events. */
export function interpretEvent(eventName: string, payload: unknown, ref?: string, sha?: string): CiEvent {
  const p = obj(payload) ?? {};
  const branchOfRef = ref?.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
  if (eventName === 'pull_request' || eventName === 'pull_request_target') {
    const pr = obj(p.pull_request);
    const head = obj(pr?.head);
    const base = obj(pr?.base);
    const headRepo = str(obj(head?.repo)?.full_name);
    const baseRepo = str(obj(base?.repo)?.full_name);
    const number = typeof pr?.number === 'number' ? pr.number : Number(p.number);
    const info: PullRequestInfo = {
      number,
      baseBranch: str(base?.ref) ?? '',
      headBranch: str(head?.ref) ?? '',
      headSha: str(head?.sha) ?? sha ?? '',
      fork: headRepo === undefined || headRepo.toLowerCase() !== (baseRepo ?? '').toLowerCase(),
    };
    return {
      source: { kind: 'pull_request', branch: info.headBranch, commit: info.headSha, pr: number },
      pullRequest: info,
      headSha: info.headSha,
    };
  }
  if (eventName === 'deployment_status') {
    const status = obj(p.deployment_status);
    const deployment = obj(p.deployment);
    const commit = str(deployment?.sha) ?? sha;
    const branch = str(deployment?.ref);
    const source: RunSource = {
      kind: 'ci',
      ...(branch ? { branch } : {}),
      ...(commit ? { commit } : {}),
    };
    const state = str(status?.state) ?? 'unknown';
    const base = { source, ...(commit ? { headSha: commit } : {}) };
    if (state !== 'success') {
      return {
        ...base,
        nothingToTest: `the deployment's state is "${state}", not "success": nothing to test yet`,
      };
    }
    const url = str(status?.environment_url) ?? str(status?.target_url);
    return { ...base, ...(url ? { deploymentUrl: url } : {}) };
  }
  return {
    source: {
      kind: 'ci',
      ...(branchOfRef ? { branch: branchOfRef } : {}),
      ...(sha ? { commit: sha } : {}),
    },
    ...(sha ? { headSha: sha } : {}),
  };
}

/** The origin of a deployment URL (`https://pr-7.preview.dev/some/path` → `https://pr-7.preview.dev`). */
export function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}
