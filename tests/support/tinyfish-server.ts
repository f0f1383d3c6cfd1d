/**
 * A stand-in for the hosted TinyFish web agent: `POST /v1/automation/run-sse` with an `X-API-Key`
 * header and a JSON body `{url, goal}`, answered with server-sent events (`data: {json}` lines with a
 * `type` of STARTED, STREAMING_URL, PROGRESS, HEARTBEAT, COMPLETE) as TinyFish's documentation shows.
 * Records every request; each run plays the next scripted outcome (default: pass).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export type TinyFishOutcome =
  /** COMPLETE/COMPLETED with `{passed: true, reason}`. */
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
  /** Heartbeats until the client goes away (timeouts and cancellation). */
  | { kind: 'hang' };

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
  /** Run ids whose connection the client closed before COMPLETE (cancellation shows up here). */
  abandoned: string[];
  close(): Promise<void>;
}

function sse(res: ServerResponse, event: Record<string, unknown>): void {
  res.write(`data: ${JSON.stringify(event)}\n\n`);
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startTinyFishServer(options: { apiKey?: string } = {}): Promise<TinyFishServer> {
  const apiKey = options.apiKey ?? 'tf-test-key';
  const queue: TinyFishOutcome[] = [];
  const requests: TinyFishRequest[] = [];
  const sockets = new Set<Socket>();
  const abandoned: string[] = [];
  let runs = 0;

  async function play(res: ServerResponse, outcome: TinyFishOutcome, runId: string, target: string) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    let open = true;
    res.on('close', () => {
      if (!res.writableEnded) {
        open = false;
        if (outcome.kind !== 'cut') abandoned.push(runId);
      }
    });
    sse(res, { type: 'STARTED', run_id: runId, timestamp: new Date().toISOString() });
    sse(res, {
      type: 'STREAMING_URL',
      run_id: runId,
      streaming_url: `https://stream.tinyfish.test/${runId}`,
    });
    res.write(': keep-alive comment\n\n');
    sse(res, { type: 'PROGRESS', run_id: runId, purpose: `Navigating to ${target}` });
    sse(res, { type: 'HEARTBEAT', run_id: runId });
    if (outcome.kind === 'cut') {
      res.destroy();
      return;
    }
    if (outcome.kind === 'hang') {
      while (open) {
        sse(res, { type: 'HEARTBEAT', run_id: runId });
        await pause(50);
      }
      return;
    }
    sse(res, { type: 'PROGRESS', run_id: runId, purpose: 'Checking the page against the goal' });
    const complete: Record<string, unknown> = { type: 'COMPLETE', run_id: runId, status: 'COMPLETED' };
    if (outcome.kind === 'pass') {
      const verdict = { passed: true, reason: outcome.reason ?? 'The dashboard shows "Welcome, Demo".' };
      complete.result = outcome.asString ? `\`\`\`json\n${JSON.stringify(verdict)}\n\`\`\`` : verdict;
    } else if (outcome.kind === 'fail') {
      complete.result = {
        passed: false,
        reason: outcome.reason ?? 'The page shows "Internal Server Error".',
      };
    } else if (outcome.kind === 'unclear') {
      complete.result = outcome.result;
    } else if (outcome.kind === 'run-failed') {
      complete.status = 'FAILED';
      complete.result = null;
      complete.error = { message: outcome.error ?? 'Browser session crashed' };
    }
    sse(res, complete);
    res.end();
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
      if (req.method !== 'POST' || req.url !== '/v1/automation/run-sse') {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
        return;
      }
      if (req.headers['x-api-key'] !== apiKey) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"Invalid API key"}');
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
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
