/**
 * An Upstash-REST-compatible HTTP server in front of the real redis-server, so @upstash/redis runs
 * unmodified in tests. It speaks what the SDK sends and what Upstash answers (upstash/docs,
 * redis/features/restapi):
 *
 * - `POST /` with a JSON command array → `{"result": …}`, or HTTP 400 `{"error": …}`;
 * - `POST /pipeline` with an array of commands → `[{"result"}|{"error"}, …]` (not atomic);
 * - `POST /multi-exec` → the same array from one MULTI/EXEC, or HTTP 400 `{"error"}` when the
 *   transaction is discarded as a whole;
 * - `Authorization: Bearer TOKEN` (or `?_token=`), HTTP 401 `{"error":"Unauthorized"}` otherwise;
 * - `Upstash-Encoding: base64`: every string in the result is base64 (of the raw bytes), except a
 *   top-level `OK` status reply, as the service documents. Integers stay JSON numbers.
 *
 * It talks RESP to redis-server over its own socket, so status replies, bulk strings and errors
 * inside EXEC stay distinct, and it counts every HTTP request so tests can assert round trips.
 *
 * `failNext` breaks one chosen request the way a network or the service does: the answer lost after
 * Redis did the work (the SDK then sends the same request again), or a refusal before any work.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';

class Status {
  constructor(readonly value: string) {}
}
class RespError {
  constructor(readonly message: string) {}
}
type Resp = Buffer | number | null | Status | RespError | Resp[];

class Incomplete extends Error {}

/** Parses one RESP2 value at `offset`; throws Incomplete when the buffer ends first. */
function parse(buf: Buffer, offset: number): [Resp, number] {
  if (offset >= buf.length) throw new Incomplete();
  const lineEnd = buf.indexOf('\r\n', offset);
  if (lineEnd < 0) throw new Incomplete();
  const type = String.fromCharCode(buf[offset] ?? 0);
  const line = buf.toString('utf8', offset + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case '+':
      return [new Status(line), next];
    case '-':
      return [new RespError(line), next];
    case ':':
      return [Number(line), next];
    case '$': {
      const len = Number(line);
      if (len < 0) return [null, next];
      if (buf.length < next + len + 2) throw new Incomplete();
      return [buf.subarray(next, next + len), next + len + 2];
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return [null, next];
      const items: Resp[] = [];
      let at = next;
      for (let i = 0; i < count; i++) {
        const [item, after] = parse(buf, at);
        items.push(item);
        at = after;
      }
      return [items, at];
    }
    default:
      throw new Error(`unexpected RESP type byte ${JSON.stringify(type)}`);
  }
}

function encodeCommand(args: string[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = Buffer.from(arg, 'utf8');
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/** One RESP connection; requests are written whole and answered in order. */
class RespConnection {
  private socket: Socket | undefined;
  private buffer: Buffer = Buffer.alloc(0);
  private waiting: { count: number; replies: Resp[]; resolve(r: Resp[]): void; reject(e: Error): void }[] =
    [];

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  private open(): Socket {
    if (this.socket && !this.socket.destroyed) return this.socket;
    this.buffer = Buffer.alloc(0);
    const socket = connect({ host: this.host, port: this.port });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    const fail = (error: Error) => {
      const pending = this.waiting;
      this.waiting = [];
      this.socket = undefined;
      for (const w of pending) w.reject(error);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('redis-server closed the connection')));
    this.socket = socket;
    return socket;
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    let offset = 0;
    while (this.waiting.length > 0) {
      let value: Resp;
      try {
        [value, offset] = parse(this.buffer, offset);
      } catch (error) {
        if (error instanceof Incomplete) break;
        throw error;
      }
      const head = this.waiting[0]!;
      head.replies.push(value);
      if (head.replies.length === head.count) {
        this.waiting.shift();
        head.resolve(head.replies);
      }
    }
    this.buffer = this.buffer.subarray(offset);
  }

  send(commands: string[][]): Promise<Resp[]> {
    return new Promise((resolve, reject) => {
      const socket = this.open();
      this.waiting.push({ count: commands.length, replies: [], resolve, reject });
      socket.write(Buffer.concat(commands.map(encodeCommand)));
    });
  }

  close(): void {
    this.socket?.destroy();
  }
}

function toJson(value: Resp, base64: boolean, top: boolean): unknown {
  if (value === null || typeof value === 'number') return value;
  if (Buffer.isBuffer(value)) return base64 ? value.toString('base64') : value.toString('utf8');
  if (value instanceof Status) {
    if (!base64 || (top && value.value === 'OK')) return value.value;
    return Buffer.from(value.value, 'utf8').toString('base64');
  }
  if (value instanceof RespError) return value.message;
  return value.map((v) => toJson(v, base64, false));
}

function entry(value: Resp, base64: boolean): { result: unknown } | { error: string } {
  return value instanceof RespError ? { error: value.message } : { result: toJson(value, base64, true) };
}

export interface BridgeRequest {
  path: string;
  /** The commands of the request (one for `POST /`). */
  commands: string[][];
  authorized: boolean;
  headers: IncomingMessage['headers'];
}

/** A failure injected into the next request whose commands match. */
export interface BridgeFault {
  /** Picks the request to break, by its commands (one for `POST /`). */
  match(commands: string[][]): boolean;
  /**
   * `drop-answer`: redis-server runs the commands, then the connection is destroyed before any
   * answer is written: the client sees a network error although the work was done.
   * `refuse`: HTTP 500 `{"error"}` and nothing runs.
   */
  mode: 'drop-answer' | 'refuse';
}

/** What `failNext` returns: whether the fault has hit a request yet, and which. */
export interface ArmedFault {
  fired: boolean;
  request?: BridgeRequest;
}

export interface UpstashBridge {
  /** Base URL for `UPSTASH_REDIS_REST_URL`. */
  url: string;
  token: string;
  /** Every HTTP request received, in order, including refused ones. */
  requests: BridgeRequest[];
  /** Requests received since the last `reset()`. */
  count(): number;
  reset(): void;
  /** Holds every answer back by this many milliseconds (for timeout tests). */
  delayMs: number;
  /** Breaks the next request whose commands match `fault.match`, once. */
  failNext(fault: BridgeFault): ArmedFault;
  close(): Promise<void>;
}

function isCommand(value: unknown): value is (string | number | boolean)[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
  );
}

/** Starts the bridge on 127.0.0.1, port 0, in front of `redisUrl` (`redis://127.0.0.1:PORT`). */
export async function startUpstashBridge(options: {
  redisUrl: string;
  token?: string;
}): Promise<UpstashBridge> {
  const target = new URL(options.redisUrl);
  const token = options.token ?? 'test-token-0123456789';
  const redis = new RespConnection(target.hostname, Number(target.port || 6379));
  const requests: BridgeRequest[] = [];
  let mark = 0;
  const faults: { fault: BridgeFault; armed: ArmedFault }[] = [];
  /** Responses whose answer is to be lost: the socket is destroyed instead of answering. */
  const dropped = new WeakSet<ServerResponse>();

  const reply = (res: ServerResponse, status: number, body: unknown) => {
    if (dropped.has(res)) {
      res.socket?.destroy();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  const authorized = (req: IncomingMessage, url: URL): boolean => {
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : (url.searchParams.get('_token') ?? '');
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const url = new URL(req.url ?? '/', 'http://bridge');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const ok = authorized(req, url);
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = undefined;
    }
    const commands =
      path === '/' ? (isCommand(body) ? [body] : []) : Array.isArray(body) ? body.filter(isCommand) : [];
    const asStrings = commands.map((c) => c.map(String));
    const request: BridgeRequest = { path, commands: asStrings, authorized: ok, headers: req.headers };
    requests.push(request);
    if (bridge.delayMs > 0) await new Promise((r) => setTimeout(r, bridge.delayMs));
    if (!ok) return reply(res, 401, { error: 'Unauthorized' });
    const hit = faults.findIndex((f) => f.fault.match(asStrings));
    if (hit >= 0) {
      const [{ fault, armed }] = faults.splice(hit, 1) as [(typeof faults)[number]];
      armed.fired = true;
      armed.request = request;
      if (fault.mode === 'refuse') return reply(res, 500, { error: 'ERR injected failure (test bridge)' });
      dropped.add(res);
    }
    if (req.method !== 'POST') return reply(res, 405, { error: 'Method Not Allowed' });
    const base64 = String(req.headers['upstash-encoding'] ?? '').toLowerCase() === 'base64';
    const malformed = () => reply(res, 400, { error: 'ERR failed to parse command' });
    try {
      if (path === '/') {
        if (asStrings.length !== 1) return malformed();
        const [value] = await redis.send(asStrings);
        const e = entry(value ?? null, base64);
        return reply(res, 'error' in e ? 400 : 200, e);
      }
      if (path === '/pipeline') {
        if (!Array.isArray(body) || asStrings.length !== body.length || body.length === 0) return malformed();
        const values = await redis.send(asStrings);
        return reply(
          res,
          200,
          values.map((v) => entry(v, base64)),
        );
      }
      if (path === '/multi-exec') {
        if (!Array.isArray(body) || asStrings.length !== body.length || body.length === 0) return malformed();
        const values = await redis.send([['MULTI'], ...asStrings, ['EXEC']]);
        const exec = values[values.length - 1];
        if (!Array.isArray(exec)) {
          // Discarded as a whole: report the first queueing error, as Upstash does.
          const queued = values.slice(1, -1).find((v) => v instanceof RespError);
          const message =
            queued instanceof RespError
              ? queued.message
              : exec instanceof RespError
                ? exec.message
                : 'ERR transaction discarded';
          return reply(res, 400, { error: message });
        }
        return reply(
          res,
          200,
          exec.map((v) => entry(v, base64)),
        );
      }
      return reply(res, 404, { error: `ERR unknown endpoint ${path}` });
    } catch (error) {
      return reply(res, 500, {
        error: `ERR bridge could not reach redis-server: ${(error as Error).message}`,
      });
    }
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void handle(req, res, Buffer.concat(chunks).toString('utf8'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const bridge: UpstashBridge = {
    url: `http://127.0.0.1:${port}`,
    token,
    requests,
    count: () => requests.length - mark,
    reset: () => {
      mark = requests.length;
    },
    delayMs: 0,
    failNext: (fault) => {
      const armed: ArmedFault = { fired: false };
      faults.push({ fault, armed });
      return armed;
    },
    close: () =>
      new Promise<void>((resolve) => {
        redis.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return bridge;
}
