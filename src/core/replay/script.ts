/**
 * The replay script of a goal test: what a passing claude run did, bound to the parts of the test
 * that decide what the run must do. A script whose binding no longer matches the test is never
 * replayed, so changing the goal, the URL, the secrets or the allowed hosts sends the next run back
 * to the model.
 */
import { canonicalJson, sha256Hex } from '../sync/hash.js';
import type { ReplayLocator, ReplayRecording, ReplayStep, TestDefinition } from '../types.js';

/** Bumped when the script format changes: older scripts then stop matching and are re-recorded. */
export const REPLAY_FORMAT = 1;

/** A stored script (Redis hash `replay:{id}` or `.housecat/replay/{id}.json`). */
export interface ReplayScript extends ReplayRecording {
  testId: string;
  /** {@link replayHash} of the test when it was recorded. */
  contentHash: string;
  /** Epoch ms the passing agent run recorded it. */
  recordedAt: number;
  /** Epoch ms of the last replay whose evidence held on the live page. */
  lastVerifiedAt?: number;
}

/**
 * The hash a script is bound to: the fields that change what the agent has to do. Schedule,
 * timeouts, thresholds, name and model are left out: changing them does not change the page flow.
 */
export function replayHash(test: TestDefinition): string {
  return sha256Hex(
    canonicalJson({
      format: REPLAY_FORMAT,
      id: test.id,
      url: test.url,
      goal: test.goal ?? null,
      agent: test.agent,
      secrets: [...test.secrets].sort(),
      allowedHosts: [...test.allowedHosts].sort(),
    }),
  );
}

/** True when replay applies to the test at all: a claude goal test that did not turn it off. */
export function replayEnabled(test: TestDefinition): boolean {
  return test.agent === 'claude' && test.goal !== undefined && test.replay !== false;
}

/** Why a stored script cannot be used for this test, or undefined when it can. */
export function staleReason(script: ReplayScript, test: TestDefinition): string | undefined {
  if (script.testId !== test.id) return `the script belongs to ${script.testId}`;
  if (script.contentHash !== replayHash(test)) {
    return 'the test changed since the script was recorded (goal, URL, secrets or allowed hosts)';
  }
  if (script.steps.length === 0 && script.evidence.textVisible.length === 0) return 'the script is empty';
  return undefined;
}

/** A locator in words, for divergence reasons: `button 'Sign in'`. */
export function describeLocator(locator: ReplayLocator): string {
  switch (locator.by) {
    case 'role':
      return `${locator.role} '${locator.name}'`;
    case 'label':
      return `field labelled '${locator.label}'`;
    case 'placeholder':
      return `field with placeholder '${locator.placeholder}'`;
    case 'text':
      return `text '${locator.text}'`;
    case 'css':
      return `element '${locator.css}'`;
  }
}

/** One step in words, for `housecat replay show`: `3. click button 'Sign in' → /ok/dashboard`. */
export function describeReplayStep(step: ReplayStep): string {
  const target = 'target' in step && step.target ? ` ${describeLocator(step.target)}` : '';
  let what: string;
  switch (step.action) {
    case 'navigate':
      what = `navigate ${step.url}`;
      break;
    case 'type':
      what = `type "${step.text}" into${target}`;
      break;
    case 'type_secret':
      what = `type the secret ${step.secret} into${target}`;
      break;
    case 'select':
      what = `select "${step.option}" in${target}`;
      break;
    case 'press_key':
      what = `press ${step.key}${target ? ` on${target}` : ''}`;
      break;
    case 'wait_for_text':
      what = `wait for "${step.text}"`;
      break;
    default:
      what = `${step.action}${target}`;
  }
  const submit = 'submit' in step && step.submit ? ' and press Enter' : '';
  return `${what}${submit} → ${step.after}`;
}
