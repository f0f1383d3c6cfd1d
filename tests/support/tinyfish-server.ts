/**
 * A stand-in for the hosted TinyFish web agent: `POST /v1/automation/run-sse` with an `X-API-Key`
 * header and a JSON body `{url, goal}`, answered with server-sent events (`data: {json}` lines with a
 * `type` of STARTED, STREAMING_URL, PROGRESS, HEARTBEAT, COMPLETE), and `POST /v1/runs/{id}/cancel`.
 *
 * The events carry the fields of TinyFish's SDK (generated from its OpenAPI description,
 * tinyfish-io/agent-sdk-python `types/agent_run_with_sse_response.py`): `runId`, `streamingUrl`,
 * `resultJson`, `error` (a string), `timestamp`. An outcome with `spelling: 'reference-example'` uses
 * the spelling of the API reference page's example instead (`run_id`, `streaming_url`, `result`).
 * tests/support/tinyfish-server.test.ts checks the events against the SDK's types.
 *
 * As on TinyFish, closing the stream does not stop a run: a run keeps "running" until it is
 * cancelled (docs.tinyfish.ai "Cancel run by ID": idempotent, answers `{run_id, status, cancelled_at,
 * message}`). Records every request; each run plays the next scripted outcome (default: pass).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** Which documented spelling of the event fields a run uses. */
type Spelling = { spelling?: 'sdk' | 'reference-example' };

export type TinyFishOutcome = Spelling &
  /** COMPLETE/COMPLETED with `{passed: true, reason}`. */
  (
    | { kind: 'pass'; reason?: string; asString?: boolean }
    /** COMPLETE/COMPLETED with `{passed: false, reason}`. */
    | { kind: 'fail'; reason?: string }
    /** COMPLETE/COMPLETED whose result is not a verdict (prose, missing fields, null). */
    | { kind: 'unclear'; result: unknown }
    /** COMPLETE with status FAILED (TinyFish's infrastructure failed). */
    | { kind: 'run-failed'; error?: string }
    /** A non-2xx HTTP answer before any event. */
    | { kind: 'http-error'; status: number; body?: string }
    /** STARTED and PROGRESS, then the connection ends without COMPLETE. */
    | { kind: 'cut' }
    /** Heartbeats until the client goes away or the run is cancelled (timeouts and cancellation). */
    | { kind: 'hang' }
  );

export interface TinyFishRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  json?: { url?: unknown; goal?: unknown; [key: string]: unknown };
}

export interface TinyFishServer {
  url: string;
  apiKey: string;
  requests: TinyFishRequest[];
  /** Queues outcomes for the next runs, in order. */
  script(...outcomes: TinyFishOutcome[]): void;
  /** Run ids whose connection the client closed before COMPLETE. */
  abandoned: string[];
  /** Run ids cancelled through `POST /v1/runs/{id}/cancel`, in order (repeats included). */
  cancelled: string[];
  /** Every event sent, as JSON objects, for checks against TinyFish's types. */
  events: Record<string, unknown>[];
  close(): Promise<void>;
}

/** TinyFish's run states that matter here: a run is RUNNING until it completes or is cancelled. */
type RunState = 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startTinyFishServer(options: { apiKey?: string } = {}): Promise<TinyFishServer> {
  const apiKey = options.apiKey ?? 'tf-test-key';
  const queue: TinyFishOutcome[] = [];
  const requests: TinyFishRequest[] = [];
  const sockets = new Set<Socket>();
  const abandoned: string[] = [];
  const cancelled: string[] = [];
  const events: Record<string, unknown>[] = [];
  const states = new Map<string, RunState>();
  let runs = 0;

  async function play(res: ServerResponse, outcome: TinyFishOutcome, runId: string, target: string) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    states.set(runId, 'RUNNING');
    const reference = outcome.spelling === 'reference-example';
    const names = reference
      ? { runId: 'run_id', streamingUrl: 'streaming_url', result: 'result' }
      : { runId: 'runId', streamingUrl: 'streamingUrl', result: 'resultJson' };
    const send = (event: Record<string, unknown>) => {
      const full = { ...event, timestamp: new Date().toISOString() };
      events.push(full);
      res.write(`data: ${JSON.stringify(full)}\n\n`);
    };
    let open = true;
    res.on('close', () => {
      if (!res.writableEnded) {
        open = false;
        if (outcome.kind !== 'cut') abandoned.push(runId);
      }
    });
    send({ type: 'STARTED', [names.runId]: runId });
    send({
      type: 'STREAMING_URL',
      [names.runId]: runId,
      [names.streamingUrl]: `https://stream.tinyfish.test/${runId}`,
    });
    res.write(': keep-alive comment\n\n');
    send({ type: 'PROGRESS', [names.runId]: runId, purpose: `Navigating to ${target}` });
    send({ type: 'HEARTBEAT' });
    if (outcome.kind === 'cut') {
      res.destroy();
      return;
    }
    if (outcome.kind === 'hang') {
      // The run goes on after the client leaves, as TinyFish's does, until it is cancelled.
      while (states.get(runId) === 'RUNNING') {
        if (open) send({ type: 'HEARTBEAT' });
        await pause(50);
      }
      if (open) {
        send({ type: 'COMPLETE', [names.runId]: runId, status: 'CANCELLED' });
        res.end();
      }
      return;
    }
    send({ type: 'PROGRESS', [names.runId]: runId, purpose: 'Checking the page against the goal' });
    const complete: Record<string, unknown> = { type: 'COMPLETE', [names.runId]: runId, status: 'COMPLETED' };
    if (outcome.kind === 'pass') {
      const verdict = { passed: true, reason: outcome.reason ?? 'The dashboard shows "Welcome, Demo".' };
      complete[names.result] = outcome.asString ? `\`\`\`json\n${JSON.stringify(verdict)}\n\`\`\`` : verdict;
    } else if (outcome.kind === 'fail') {
      complete[names.result] = {
        passed: false,
        reason: outcome.reason ?? 'The page shows "Internal Server Error".',
      };
    } else if (outcome.kind === 'unclear') {
      complete[names.result] = outcome.result;
    } else if (outcome.kind === 'run-failed') {
      complete.status = 'FAILED';
      complete.error = outcome.error ?? 'Browser session crashed';
    }
    states.set(runId, complete.status as RunState);
    send(complete);
    res.end();
  }

  /** `POST /v1/runs/{id}/cancel`: idempotent; a finished run answers its own status. */
  function cancel(res: ServerResponse, runId: string): void {
    const state = states.get(runId);
    if (!state) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Run not found"}');
      return;
    }
    cancelled.push(runId);
    const now = new Date().toISOString();
    let answer: Record<string, unknown>;
    if (state === 'RUNNING') {
      states.set(runId, 'CANCELLED');
      answer = { run_id: runId, status: 'CANCELLED', cancelled_at: now, message: null };
    } else if (state === 'CANCELLED') {
      answer = { run_id: runId, status: 'CANCELLED', cancelled_at: now, message: 'Run already cancelled' };
    } else {
      answer = { run_id: runId, status: state, cancelled_at: null, message: 'Run already finished' };
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const record: TinyFishRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body,
      };
      try {
        record.json = JSON.parse(body);
      } catch {
        // recorded as-is
      }
      requests.push(record);
      const cancelPath = /^\/v1\/runs\/([^/]+)\/cancel$/.exec(req.url ?? '');
      if (req.method !== 'POST' || (req.url !== '/v1/automation/run-sse' && !cancelPath)) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
        return;
      }
      if (req.headers['x-api-key'] !== apiKey) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"Invalid API key"}');
        return;
      }
      if (cancelPath) {
        cancel(res, decodeURIComponent(cancelPath[1] as string));
        return;
      }
      if (typeof record.json?.url !== 'string' || typeof record.json?.goal !== 'string') {
        res
          .writeHead(400, { 'content-type': 'application/json' })
          .end('{"error":"url and goal are required"}');
        return;
      }
      const outcome = queue.shift() ?? { kind: 'pass' };
      if (outcome.kind === 'http-error') {
        res
          .writeHead(outcome.status, { 'content-type': 'application/json' })
          .end(outcome.body ?? '{"error":"scripted failure"}');
        return;
      }
      runs += 1;
      void play(res, outcome, `run_${runs}`, record.json.url);
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    script: (...outcomes) => queue.push(...outcomes),
    abandoned,
    cancelled,
    events,
    close: () =>
      new Promise<void>((resolve) => {
        // Runs left "running" stop with the server (their loops end).
        for (const [id, state] of states) if (state === 'RUNNING') states.set(id, 'CANCELLED');
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
