/**
 * The port of the replay scripts. Two adapters: Redis (`replay:{id}` hash, next to the test's other
 * keys) for the bot and any run with a store, and a file per test (`.housecat/replay/{id}.json` next
 * to the definitions file) for a local `housecat run` without one.
 */
import type { ReplayScript } from './script.js';

export interface ReplayStore {
  /** Where the scripts live, for messages: `Redis replay:{id}` or a directory. */
  readonly where: string;
  /** The script of a test, or null when there is none (or it is unreadable: then it is re-recorded). */
  get(testId: string): Promise<ReplayScript | null>;
  /** Creates or replaces the test's script. */
  save(script: ReplayScript): Promise<void>;
  /** Records that a replay's evidence held at `at` (epoch ms). */
  markVerified(testId: string, at: number): Promise<void>;
  /** Drops the scripts of these tests; returns how many existed. */
  clear(testIds: string[]): Promise<number>;
}
