/**
 * The store over Upstash's REST API, through @upstash/redis's own HTTP client (Bearer auth,
 * base64 response decoding, keep-alive, retries on network errors). Commands are sent raw: the
 * SDK's typed commands would JSON-parse every string they read, and its auto-pipelining would
 * batch requests behind our back, so both are off and the round trips are exactly what we send.
 */
import { Redis, type Requester } from '@upstash/redis';
import { ConfigError } from '../../core/errors.js';
import { type ErrorContext, toServiceError } from './errors.js';
import { RedisStore, type StoreOptions } from './redis-store.js';
import type { Command, Reply, Transport } from './transport.js';

export interface UpstashStoreOptions extends StoreOptions {
  url: string;
  token: string;
  /** Re-sends after a network error (never after an answer). Default 2. */
  retries?: number;
}

/** Subclass only to reach the SDK's HTTP requester, which `Redis` keeps protected. */
class SdkClient extends Redis {
  get requester(): Requester {
    return this.client;
  }
}

interface Entry {
  result?: unknown;
  error?: string;
}

class UpstashTransport implements Transport {
  failures = 0;
  readonly service = 'Upstash Redis';
  private readonly requester: Requester;
  private readonly ctx: Omit<ErrorContext, 'operation'>;

  constructor(options: UpstashStoreOptions) {
    const timeoutMs = options.timeoutMs ?? 10_000;
    let host: string;
    try {
      const url = new URL(options.url);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme');
      host = url.host;
    } catch {
      throw new ConfigError(
        'UPSTASH_REDIS_REST_URL is not a URL: copy the REST URL (https://….upstash.io) from the Upstash console.',
      );
    }
    this.ctx = {
      service: 'Upstash Redis',
      urlVar: 'UPSTASH_REDIS_REST_URL',
      authVar: 'UPSTASH_REDIS_REST_TOKEN',
      target: host,
      timeoutMs,
      secrets: [options.token],
    };
    const retries = options.retries ?? 2;
    const client = new SdkClient({
      url: options.url,
      token: options.token,
      automaticDeserialization: false,
      enableAutoPipelining: false,
      enableTelemetry: false,
      // Base64 responses are the SDK's default; set it so a changed default cannot garble unicode.
      responseEncoding: 'base64',
      // A function gives every request its own deadline; an aborted request then throws.
      signal: () => AbortSignal.timeout(timeoutMs),
      retry: { retries, backoff: (n) => Math.min(1000, 100 * 2 ** n) },
    });
    this.requester = client.requester;
  }

  private async request(operation: string, path: string[] | undefined, body: unknown): Promise<unknown> {
    try {
      const response = await this.requester.request(path ? { path, body } : { body });
      return response;
    } catch (error) {
      this.failures++;
      throw toServiceError(error, { ...this.ctx, operation });
    }
  }

  private fail(operation: string, message: string): never {
    this.failures++;
    throw toServiceError(new Error(message), { ...this.ctx, operation });
  }

  async command(operation: string, command: Command): Promise<Reply> {
    const entry = (await this.request(operation, undefined, command)) as Entry;
    if (entry.error) this.fail(operation, entry.error);
    return (entry.result ?? null) as Reply;
  }

  private async batch(operation: string, path: string, commands: Command[]): Promise<Reply[]> {
    const entries = await this.request(operation, [path], commands);
    if (!Array.isArray(entries)) {
      const single = entries as Entry;
      this.fail(operation, single.error ?? `unexpected answer from /${path}`);
    }
    const failed = (entries as Entry[]).find((e) => e.error);
    if (failed?.error) this.fail(operation, failed.error);
    return (entries as Entry[]).map((e) => (e.result ?? null) as Reply);
  }

  pipeline(operation: string, commands: Command[]): Promise<Reply[]> {
    return this.batch(operation, 'pipeline', commands);
  }

  transaction(operation: string, commands: Command[]): Promise<Reply[]> {
    return this.batch(operation, 'multi-exec', commands);
  }

  async close(): Promise<void> {
    // Stateless HTTP: nothing to close.
  }
}

/** A store over Upstash Redis REST (`UPSTASH_REDIS_REST_URL` + `UPSTASH_REDIS_REST_TOKEN`). */
export function createUpstashStore(options: UpstashStoreOptions): RedisStore {
  if (!options.token) {
    throw new ConfigError('UPSTASH_REDIS_REST_TOKEN is empty: copy the REST token from the Upstash console.');
  }
  return new RedisStore(new UpstashTransport(options), options);
}
