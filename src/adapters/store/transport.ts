/**
 * The only thing the two store adapters do differently: how a batch of Redis commands reaches the
 * server. Everything else (keys, encoding, which commands) lives in shared modules, so the REST
 * adapter and the TCP adapter cannot drift apart.
 */

/** A Redis command as sent on the wire: name first, every argument already a string. */
export type Command = readonly string[];

/**
 * `EVAL script numkeys key... arg...`: the key count is taken from `keys`, so a key added to a call
 * cannot leave its count behind.
 */
export function evalCommand(script: string, keys: readonly string[], args: readonly string[]): Command {
  return ['EVAL', script, String(keys.length), ...keys, ...args];
}

/** A decoded reply: bulk and status strings, integers, nil, arrays of those. */
export type Reply = string | number | null | Reply[];

export interface Transport {
  /** Service name for errors: `Upstash Redis` or `Redis`. */
  readonly service: string;
  /** Sends one command in one round trip. */
  command(operation: string, command: Command): Promise<Reply>;
  /** Sends commands in one round trip, not atomically. A failing command fails the whole call. */
  pipeline(operation: string, commands: Command[]): Promise<Reply[]>;
  /** Sends commands in one round trip as one MULTI/EXEC transaction. */
  transaction(operation: string, commands: Command[]): Promise<Reply[]>;
  close(): Promise<void>;
  /** Round trips that failed so far (unreachable, timed out, refused): counted for /metrics. */
  readonly failures?: number;
  /**
   * A connection of its own for one blocking command at a time (`XREAD BLOCK`), which would stall
   * every other command on a shared connection. TCP only: Upstash REST has no blocking reads.
   */
  openBlocking?(): BlockingConnection;
}

export interface BlockingConnection {
  /** Sends one command and waits for its answer (at most `waitMs` beyond the store's usual deadline). */
  command(operation: string, command: Command, waitMs: number): Promise<Reply>;
  /** Closes the connection; a command still blocked on it rejects. */
  close(): Promise<void>;
}
