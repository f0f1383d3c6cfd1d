/**
 * The store over the Redis protocol (TCP) with the official `redis` client: self-hosted Redis,
 * Valkey, or local development (`REDIS_URL`). Connects on first use, so building it never fails
 * because the server is down.
 */
import { createClient } from 'redis';
import { ConfigError } from '../../core/errors.js';
import { type ErrorContext, toServiceError } from './errors.js';
import { RedisStore, type StoreOptions } from './redis-store.js';
import type { BlockingConnection, Command, Reply, Transport } from './transport.js';

export interface TcpStoreOptions extends StoreOptions {
  /** `redis://[:password@]host:port[/db]` or `rediss://…` for TLS. */
  url: string;
}

type Client = ReturnType<typeof createClient>;

class TimeoutError extends Error {
  override name = 'TimeoutError';
}

class TcpTransport implements Transport {
  readonly service = 'Redis';
  failures = 0;
  private client: Client | undefined;
  private connecting: Promise<Client> | undefined;
  private readonly ctx: Omit<ErrorContext, 'operation'>;
  private readonly timeoutMs: number;

  constructor(
    private readonly url: string,
    timeoutMs: number,
  ) {
    let parsed: URL;
    try {
      parsed = new URL(url);
      if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new Error('scheme');
    } catch {
      throw new ConfigError(
        'REDIS_URL is not a Redis URL: use redis://[:password@]host:port (or rediss:// for TLS).',
      );
    }
    this.timeoutMs = timeoutMs;
    this.ctx = {
      service: 'Redis',
      urlVar: 'REDIS_URL',
      authVar: 'the user and password in REDIS_URL',
      target: parsed.host,
      timeoutMs,
      secrets: [decodeURIComponent(parsed.password), parsed.password].filter((s) => s.length > 0),
    };
  }

  private connect(): Promise<Client> {
    // A client that gave up reconnecting is closed for good: start a new one.
    if (this.client && !this.client.isOpen) this.drop();
    if (this.client?.isReady) return Promise.resolve(this.client);
    if (!this.connecting) {
      const client = createClient({
        url: this.url,
        RESP: 2,
        disableOfflineQueue: true,
        socket: {
          connectTimeout: this.timeoutMs,
          // Give up quickly: the caller gets an error and the next call connects afresh.
          reconnectStrategy: (retries, cause) => (retries >= 2 ? cause : 100 * (retries + 1)),
        },
      });
      // Without a listener, a socket error would crash the process; failures reach callers instead.
      client.on('error', () => {});
      this.connecting = client.connect().then(
        (c) => {
          this.client = c as Client;
          return this.client;
        },
        (error: unknown) => {
          this.connecting = undefined;
          client.destroy();
          throw error;
        },
      );
    }
    return this.connecting;
  }

  /** Runs one round trip under the deadline; a timed-out connection is dropped so the next call starts clean. */
  private async run<T>(operation: string, work: (client: Client) => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError('timed out')), this.timeoutMs);
    });
    try {
      return await Promise.race([this.connect().then(work), deadline]);
    } catch (error) {
      this.failures++;
      if (error instanceof TimeoutError) this.drop();
      throw toServiceError(error, { ...this.ctx, operation });
    } finally {
      clearTimeout(timer);
    }
  }

  private drop(): void {
    const client = this.client;
    this.client = undefined;
    this.connecting = undefined;
    if (client?.isOpen) client.destroy();
  }

  command(operation: string, command: Command): Promise<Reply> {
    return this.run(operation, async (client) => (await client.sendCommand([...command])) as Reply);
  }

  pipeline(operation: string, commands: Command[]): Promise<Reply[]> {
    return this.run(operation, async (client) => {
      const multi = client.multi();
      for (const c of commands) multi.addCommand([...c]);
      return (await multi.execAsPipeline()) as unknown as Reply[];
    });
  }

  transaction(operation: string, commands: Command[]): Promise<Reply[]> {
    return this.run(operation, async (client) => {
      const multi = client.multi();
      for (const c of commands) multi.addCommand([...c]);
      return (await multi.exec()) as unknown as Reply[];
    });
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.connecting = undefined;
    if (client?.isOpen) await client.close();
  }

  openBlocking(): BlockingConnection {
    const client = createClient({ url: this.url, RESP: 2, disableOfflineQueue: true });
    client.on('error', () => {});
    let connected: Promise<unknown> | undefined;
    let closed = false;
    return {
      command: async (operation, command, waitMs) => {
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new TimeoutError('timed out')), waitMs + this.timeoutMs);
        });
        try {
          if (closed) throw new Error('the blocking connection is closed');
          connected ??= client.connect();
          await Promise.race([connected, deadline]);
          return (await Promise.race([client.sendCommand([...command]), deadline])) as unknown as Reply;
        } catch (error) {
          throw toServiceError(error, { ...this.ctx, operation });
        } finally {
          clearTimeout(timer);
        }
      },
      close: async () => {
        closed = true;
        // destroy, not quit: QUIT would wait behind a blocked XREAD.
        if (client.isOpen) client.destroy();
      },
    };
  }
}

/** A store over plain Redis or Valkey (`REDIS_URL`). */
export function createTcpStore(options: TcpStoreOptions): RedisStore {
  return new RedisStore(new TcpTransport(options.url, options.timeoutMs ?? 10_000), options);
}
