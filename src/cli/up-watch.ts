/**
 * Live reload for `housecat up`: the definitions file is watched (its folder, since editors save
 * by writing a new file and renaming it over the old one); each change is read and validated like
 * `housecat validate`, then applied like `housecat sync` with its plan printed. An invalid edit
 * changes nothing: the errors are printed with their lines and the last good plan keeps running.
 */
import { watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { loadDefinitionsFile } from '../adapters/definitions-file.js';
import type { ParseOutcome } from '../core/config/parse.js';
import { formatDiagnostic } from '../core/errors.js';

/** Pause after the last change event before reading: one save fires several events. */
const SETTLE_MS = 150;

export interface WatchDeps {
  path: string;
  repo: string;
  /** Applies a valid file (sync + re-plan); its failure is printed, the last plan stays. */
  apply(outcome: Extract<ParseOutcome, { ok: true }>): Promise<void>;
  out(line: string): void;
  err(line: string): void;
}

/** Starts watching; `close()` stops. The file's text at start counts as applied. */
export async function watchDefinitions(
  deps: WatchDeps,
): Promise<{ close(): void; settled(): Promise<void> }> {
  let applied = await readFile(deps.path, 'utf8').catch(() => '');
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();
  const name = basename(deps.path);

  const reload = async () => {
    const text = await readFile(deps.path, 'utf8').catch(() => null);
    // Deleted, or mid-rename: the next event brings the new file.
    if (text === null || text === applied) return;
    const outcome = await loadDefinitionsFile(deps.path, deps.repo);
    if (!outcome.ok) {
      const n = outcome.diagnostics.length;
      deps.err(
        `${name} changed but is invalid (${n} problem${n === 1 ? '' : 's'}): nothing changed, the last good plan keeps running.`,
      );
      for (const d of outcome.diagnostics) deps.err(`  ${formatDiagnostic(d)}`);
      return;
    }
    deps.out(`${name} changed: re-planning.`);
    try {
      await deps.apply(outcome);
      applied = text;
    } catch (error) {
      deps.err(
        `${name}: applying the change failed, the last good plan keeps running: ${(error as Error).message}`,
      );
    }
  };

  const watcher = watch(dirname(deps.path), (_event, file) => {
    if (file !== null && file.toString() !== name) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      chain = chain.then(reload, reload);
    }, SETTLE_MS);
  });
  watcher.on('error', (error) => deps.err(`watching ${deps.path} stopped: ${error.message}`));
  return {
    close() {
      clearTimeout(timer);
      watcher.close();
    },
    settled: () => chain,
  };
}
