/**
 * Workflow artifacts of the Action's run mode (issue 29): for each failed or inconclusive test,
 * its step screenshots (JPEG) and trace.zip, uploaded with @actions/artifact as one artifact named
 * `housecat-{slug}`, so the job summary and the PR comment can link them. A best effort: a runner
 * without the artifact service, or an upload that fails, is a warning, never a failed step.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DefaultArtifactClient } from '@actions/artifact';
import type { RunResult, TestDefinition } from '../../core/types.js';

export interface UploadedArtifact {
  name: string;
  /** The artifact's page: `{server}/{repo}/actions/runs/{runId}/artifacts/{id}`. */
  url: string;
}

export interface ArtifactTarget {
  /** `https://github.com` (or the GHE host). */
  serverUrl: string;
  /** `owner/name` of the repository running the workflow. */
  repo: string;
  runId: number;
  /** Days GitHub keeps the artifact (default: the repository's setting). */
  retentionDays?: number;
}

/** The files a result would upload, by file name (base64 contents). */
export function artifactFiles(result: RunResult): { name: string; base64: string }[] {
  if (result.status !== 'failed' && result.status !== 'error') return [];
  const shots = (result.evidence.stepShots ?? []).map((s) => ({
    name: `step-${String(s.step + 1).padStart(2, '0')}.jpg`,
    base64: s.jpegBase64,
  }));
  const trace = result.evidence.traceBase64
    ? [{ name: 'trace.zip', base64: result.evidence.traceBase64 }]
    : [];
  return [...shots, ...trace];
}

/**
 * Uploads each failure's files; returns the uploaded artifacts by test id. Warns (and skips) when
 * the runner offers no artifact service (ACTIONS_RUNTIME_TOKEN / ACTIONS_RESULTS_URL unset).
 */
export async function uploadFailureArtifacts(
  results: RunResult[],
  tests: TestDefinition[],
  target: ArtifactTarget,
  warn: (message: string) => void,
): Promise<Record<string, UploadedArtifact>> {
  const withFiles = results.filter((r) => artifactFiles(r).length > 0);
  if (withFiles.length === 0) return {};
  if (!process.env.ACTIONS_RUNTIME_TOKEN || !process.env.ACTIONS_RESULTS_URL) {
    warn(
      'HouseCat: screenshots and traces not uploaded: this runner offers no artifact service (ACTIONS_RUNTIME_TOKEN / ACTIONS_RESULTS_URL are unset).',
    );
    return {};
  }
  const slugOf = new Map(tests.map((t) => [t.id, t.slug]));
  const client = new DefaultArtifactClient();
  const root = mkdtempSync(join(tmpdir(), 'housecat-artifacts-'));
  const uploaded: Record<string, UploadedArtifact> = {};
  try {
    for (const result of withFiles) {
      const slug = slugOf.get(result.testId) ?? result.testId;
      const dir = join(root, slug);
      mkdirSync(dir, { recursive: true });
      const paths = artifactFiles(result).map((f) => {
        const path = join(dir, f.name);
        writeFileSync(path, Buffer.from(f.base64, 'base64'));
        return path;
      });
      const name = `housecat-${slug}`;
      try {
        const { id } = await client.uploadArtifact(name, paths, dir, {
          ...(target.retentionDays ? { retentionDays: target.retentionDays } : {}),
        });
        if (id !== undefined)
          uploaded[result.testId] = {
            name,
            url: `${target.serverUrl}/${target.repo}/actions/runs/${target.runId}/artifacts/${id}`,
          };
      } catch (error) {
        warn(`HouseCat: the artifact ${name} was not uploaded: ${(error as Error).message}`);
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return uploaded;
}
