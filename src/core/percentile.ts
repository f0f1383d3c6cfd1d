/**
 * The one nearest-rank percentile of raw samples (incident summaries, lateness). Percentiles of
 * hourly rollups come from histograms instead: histogramPercentile in core/status/rollup.ts.
 */

/** Nearest-rank `p`th percentile of `values` (any order); undefined without values. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1];
}
