/**
 * Vitest sequencer: the longest test files start first, so the two workers finish together instead
 * of one of them running a 60-second file alone at the end (longest-processing-time-first).
 *
 * Vitest's own sequencer already does this, but only from its results cache, and CI runs from a
 * fresh clone with no cache: there it orders by file size, which put the slowest files last and cost
 * the suite about 130 s of one idle worker. So the durations come from the cache when it has them,
 * and otherwise from `slow-files.json` (seconds per file from a whole-suite JSON report; files under 5 s are left
 * out and run after these). Refresh that table from a JSON report when the slow files change; a
 * stale entry only changes the order, never what runs.
 */
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import slowFiles from './slow-files.json' with { type: 'json' };

const KNOWN_SECONDS: Readonly<Record<string, number>> = slowFiles;

export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    const root = this.ctx.config.root;
    const expectedMs = new Map<TestSpecification, number>();
    const failed = new Set<TestSpecification>();
    for (const spec of base) {
      const path = relative(root, spec.moduleId).split('\\').join('/');
      const cached = this.ctx.cache.getFileTestResults(`${spec.project.name}:${path}`);
      if (cached?.failed) failed.add(spec);
      expectedMs.set(spec, cached?.duration ?? (KNOWN_SECONDS[path] ?? 0) * 1000);
    }
    // Array.prototype.sort is stable: equal estimates keep the base order (which runs unknown files
    // first and larger files before smaller ones).
    return base.sort(
      (a, b) =>
        Number(failed.has(b)) - Number(failed.has(a)) || (expectedMs.get(b) ?? 0) - (expectedMs.get(a) ?? 0),
    );
  }
}
