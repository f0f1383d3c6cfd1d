/**
 * The `tinyfish` backend: the hosted TinyFish web agent runs the goal in its own cloud browser.
 *
 * Verified against TinyFish's documentation (docs.tinyfish.ai "Endpoints", "Runs", the API reference
 * of `run-sse` and "Cancel run by ID") and its official SDK (tinyfish-io/agent-sdk-python, generated
 * from TinyFish's OpenAPI description: `types/agent_run_with_sse_response.py`):
 * - `POST https://agent.tinyfish.ai/v1/automation/run-sse`, header `X-API-Key`, JSON body
 *   `{ url, goal }`; the answer is a server-sent event stream of `data: {json}` lines;
 * - the SDK's event types: `STARTED {runId}`, `STREAMING_URL {runId, streamingUrl}`,
 *   `PROGRESS {runId, purpose}`, `HEARTBEAT`, and finally
 *   `COMPLETE {runId, status: COMPLETED|FAILED|CANCELLED, resultJson?, error?: string}`, each with a
 *   `timestamp`. The API reference's example spells the same fields `run_id`, `streaming_url` and
 *   `result`: both spellings are read, the SDK's first;
 * - "COMPLETED means the infrastructure worked, not that your goal succeeded";
 * - `POST /v1/runs/{id}/cancel` (same header) stops a PENDING or RUNNING run created by `run-sse`;
 *   it is idempotent (a finished run answers its status). Closing the stream does NOT stop the run:
 *   it keeps browsing, and is billed, on TinyFish's side. So a run HouseCat aborts (its deadline, or
 *   a cancellation) is cancelled there too.
 *
 * Assumed: the result may be a JSON string (possibly in a Markdown code fence) instead of an object,
 * and the event type may come in the SSE `event:` field instead of the JSON `type`.
 *
 * Because COMPLETED only means "finished", the goal sent to TinyFish asks for a `{passed, reason}`
 * object, and anything else is an `error` (inconclusive), never a pass. TinyFish's browser is not
 * ours: HouseCat cannot enforce `allowed_hosts` there (the goal text asks it to stay on them), so
 * secrets are never sent to it and private-network URLs are refused as for the other backends.
 */
import { createHostPolicy } from '../../../core/net/host-policy.js';
import { type Agent, type AgentRunInput, type Clock, systemClock } from '../../../core/ports.js';
import type { RunResult, TestDefinition } from '../../../core/types.js';
import { checkPublicAddress, type LookupAll } from '../../net/public-address.js';
import { effectiveTest } from '../checks/run-checks.js';
import { createRecorder, errorMessage, type Recorder } from '../recorder.js';
import { cancelRemote, followEvents } from './remote-run.js';
import { shorten, tinyFishGoal } from './verdict.js';

export { CANCEL_TIMEOUT_MS } from './remote-run.js';

export const TINYFISH_DEFAULT_URL = 'https://agent.tinyfish.ai';

export interface TinyFishOptions {
  /** TINYFISH_API_KEY. Missing → every run is an `error` naming the variable. */
  apiKey?: string;
  /** TINYFISH_URL; default https://agent.tinyfish.ai. */
  baseUrl?: string;
  /** HOUSECAT_ALLOW_PRIVATE_NETWORK. */
  allowPrivateNetwork: boolean;
  fetch?: typeof fetch;
  clock?: Clock;
  lookup?: LookupAll;
}

/** What every run of one agent shares: its options, and where TinyFish is. */
interface TinyFishContext {
  options: TinyFishOptions;
  clock: Clock;
  doFetch: typeof fetch;
  /** TinyFish's base URL, without a trailing slash. */
  base: string;
  /** The `run-sse` endpoint. */
  endpoint: string;
}

/** A run that passed every check before anything is sent to TinyFish. */
interface AcceptedRun {
  apiKey: string;
  test: TestDefinition;
  goal: string;
  /** The host policy's description, for the goal's "only visit these hosts". */
  hosts: string;
}

/** Creates the TinyFish agent. */
export function createTinyFishAgent(options: TinyFishOptions): Agent {
  const base = (options.baseUrl ?? TINYFISH_DEFAULT_URL).replace(/\/+$/, '');
  const ctx: TinyFishContext = {
    options,
    clock: options.clock ?? systemClock,
    doFetch: options.fetch ?? fetch,
    base,
    endpoint: `${base}/v1/automation/run-sse`,
  };
  return { run: (input) => run(ctx, input) };
}

/** One run: the checks before sending, then the streamed run on TinyFish's side. */
async function run(ctx: TinyFishContext, input: AgentRunInput): Promise<RunResult> {
  const rec = createRecorder(input, 'tinyfish', ctx.clock);
  const accepted = await acceptRun(ctx, input, rec);
  if ('status' in accepted) return accepted;
  return streamRun(ctx, input, rec, accepted);
}

/**
 * Checks what may be sent to TinyFish: an API key, a start URL the host policy and DNS accept, a
 * goal, and no secrets (their values never leave HouseCat). Returns the run to send, or the `error`
 * result that says which check refused it.
 */
async function acceptRun(
  ctx: TinyFishContext,
  input: AgentRunInput,
  rec: Recorder,
): Promise<AcceptedRun | RunResult> {
  const { apiKey, allowPrivateNetwork, lookup } = ctx.options;
  if (!apiKey) {
    return rec.finish(
      'error',
      'TINYFISH_API_KEY is not set: the tinyfish agent needs it. Set it (a key from agent.tinyfish.ai/api-keys) or use agent: claude or checks.',
    );
  }
  let test: TestDefinition;
  let hosts: string;
  try {
    test = effectiveTest(input);
    const policy = createHostPolicy({ url: test.url, allowedHosts: test.allowedHosts, allowPrivateNetwork });
    const start = policy.check(test.url);
    if (!start.allowed)
      return rec.finish('error', `Refused to send ${test.url} to TinyFish: ${start.reason}`);
    hosts = policy.description;
  } catch (error) {
    return rec.finish('error', errorMessage(error));
  }
  if (!test.goal)
    return rec.finish('error', `Test "${test.name}" has no goal: the tinyfish agent needs one.`);
  if (test.secrets.length > 0) {
    return rec.finish(
      'error',
      `Test "${test.name}" uses secrets (${test.secrets.join(', ')}); HouseCat never sends secret values to TinyFish. Use agent: claude for this test.`,
    );
  }
  const dns = await checkPublicAddress(new URL(test.url).hostname, {
    allowPrivateNetwork,
    ...(lookup ? { lookup } : {}),
  });
  if (!dns.allowed) return rec.finish('error', `Refused to send ${test.url} to TinyFish: ${dns.reason}`);
  return { apiKey, test, goal: test.goal, hosts };
}

/**
 * Sends the run to TinyFish and follows its event stream to the verdict. When HouseCat stops
 * waiting (the deadline, a cancellation), the run is cancelled on TinyFish's side too.
 */
async function streamRun(
  ctx: TinyFishContext,
  input: AgentRunInput,
  rec: Recorder,
  { apiKey, test, goal, hosts }: AcceptedRun,
): Promise<RunResult> {
  // The run's one deadline is the caller's signal (the runner aborts it when the test's timeout
  // passes); called on its own, the agent keeps the test's timeout itself.
  const signal = input.signal ?? AbortSignal.timeout(test.timeout * 1000);
  const requestStart = ctx.clock.now();
  // Known from the first event that carries it: what to cancel if HouseCat stops waiting.
  const remote: { runId?: string } = {};
  try {
    const response = await ctx.doFetch(ctx.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'x-api-key': apiKey },
      body: JSON.stringify({ url: test.url, goal: tinyFishGoal(goal, hosts) }),
      signal,
    });
    if (!response.ok || !response.body) return finishRefused(rec, response);
    // Node's web streams are async iterable; the DOM typings do not say so.
    const body = response.body as unknown as AsyncIterable<Uint8Array>;
    return await followEvents(rec, body, test.url, requestStart, remote);
  } catch (error) {
    // Closing the stream leaves TinyFish's run going (and billed): cancel it there too.
    const cancelled = signal.aborted && remote.runId ? await cancelRemote(ctx, remote.runId, apiKey) : '';
    if (signal.aborted && (signal.reason as Error | undefined)?.name === 'TimeoutError')
      return rec.finish(
        'error',
        `TinyFish gave no verdict within ${test.timeout} s (the test's timeout).${cancelled}`,
      );
    if (signal.aborted) return rec.finish('error', `The run was cancelled.${cancelled}`);
    return rec.finish('error', `TinyFish could not be reached at ${ctx.endpoint}: ${errorMessage(error)}`);
  }
}

/** Finishes a run TinyFish refused to start (an HTTP error, or no stream), with a hint for the usual causes. */
async function finishRefused(rec: Recorder, response: Response): Promise<RunResult> {
  const body = await response.text().catch(() => '');
  const hint =
    response.status === 401 || response.status === 403
      ? ' — check TINYFISH_API_KEY'
      : response.status === 429
        ? ' — rate limited; the run is retried later'
        : '';
  return rec.finish('error', `TinyFish answered HTTP ${response.status}${hint}: ${shorten(body)}`);
}
