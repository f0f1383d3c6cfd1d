/**
 * The dashboard's keys (docs/bot.md, "Dashboard"): sessions, the access cache and failure
 * screenshots, over the same transport as the main store. Sessions and access caches are keyed by
 * the SHA-256 of the cookie's id, so reading Redis does not hand out live session cookies, and
 * sealed with the app's key bound to that key (core/dashboard/sealer.ts): the GitHub token is not
 * readable from Redis, and a record written or moved there by anyone else opens nothing.
 */
import { createHash } from 'node:crypto';
import type { RepoAccess } from '../../core/dashboard/access.js';
import type { DashboardStore, Session, Shot } from '../../core/dashboard/ports.js';
import type { Sealer } from '../../core/dashboard/sealer.js';
import type { KeySpace } from './keys.js';
import type { RedisStore } from './redis-store.js';
import type { Reply, Transport } from './transport.js';

const hashId = (id: string): string => createHash('sha256').update(id).digest('hex');
const px = (ms: number): string => String(Math.max(1, Math.round(ms)));

function parse<T>(reply: Reply, valid: (value: T) => boolean): T | null {
  if (typeof reply !== 'string') return null;
  try {
    const value = JSON.parse(reply) as T;
    return value !== null && typeof value === 'object' && valid(value) ? value : null;
  } catch {
    return null;
  }
}

export class RedisDashboardStore implements DashboardStore {
  constructor(
    private readonly transport: Transport,
    private readonly keys: KeySpace,
    private readonly retentionMs: number,
    private readonly sealer: Sealer,
  ) {}

  async saveSession(id: string, session: Session, ttlMs: number): Promise<void> {
    const h = hashId(id);
    await this.transport.command('save session', [
      'SET',
      this.keys.session(h),
      this.sealer.seal('session', JSON.stringify(session), h),
      'PX',
      px(ttlMs),
    ]);
  }

  async getSession(id: string): Promise<Session | null> {
    const h = hashId(id);
    const reply = await this.transport.command('read session', ['GET', this.keys.session(h)]);
    return parse<Session>(
      this.opened('session', reply, h),
      (s) => typeof s.token === 'string' && typeof s.csrf === 'string' && typeof s.expiresAt === 'number',
    );
  }

  async deleteSession(id: string): Promise<void> {
    const h = hashId(id);
    await this.transport.command('delete session', ['DEL', this.keys.session(h), this.keys.access(h)]);
  }

  async getAccess(sessionId: string): Promise<RepoAccess[] | null> {
    const h = hashId(sessionId);
    const reply = await this.transport.command('read access', ['GET', this.keys.access(h)]);
    const value = parse<{ repos: RepoAccess[] }>(this.opened('access', reply, h), (v) =>
      Array.isArray(v.repos),
    );
    return value?.repos ?? null;
  }

  async saveAccess(sessionId: string, access: RepoAccess[], ttlMs: number): Promise<void> {
    const h = hashId(sessionId);
    await this.transport.command('save access', [
      'SET',
      this.keys.access(h),
      this.sealer.seal('access', JSON.stringify({ repos: access }), h),
      'PX',
      px(ttlMs),
    ]);
  }

  /** The plaintext of a sealed reply bound to `h`; null when it is missing or not sealed by this app. */
  private opened(purpose: 'session' | 'access', reply: Reply, h: string): Reply {
    return typeof reply === 'string' ? this.sealer.open(purpose, reply, h) : null;
  }

  async saveShot(testId: string, shot: Shot): Promise<void> {
    await this.transport.command('save screenshot', [
      'SET',
      this.keys.shot(testId),
      JSON.stringify(shot),
      'PX',
      px(this.retentionMs),
    ]);
  }

  async getShot(testId: string): Promise<Shot | null> {
    const reply = await this.transport.command('read screenshot', ['GET', this.keys.shot(testId)]);
    return parse<Shot>(reply, (s) => typeof s.pngBase64 === 'string' && typeof s.runId === 'string');
  }

  async lastEventId(testId: string): Promise<string | null> {
    const reply = await this.transport.command('read last event', [
      'XREVRANGE',
      this.keys.events(testId),
      '+',
      '-',
      'COUNT',
      '1',
    ]);
    const first = Array.isArray(reply) ? reply[0] : undefined;
    return Array.isArray(first) && typeof first[0] === 'string' ? first[0] : null;
  }
}

/**
 * The dashboard's store on the same connection, prefix and retention as `store`, sealing sessions
 * and access caches with `sealer`.
 */
export function createDashboardStore(store: RedisStore, sealer: Sealer): RedisDashboardStore {
  return new RedisDashboardStore(store.transport, store.keys, store.limits.retentionMs, sealer);
}
