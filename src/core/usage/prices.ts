/**
 * The one price table HouseCat uses to estimate what a run cost (README "Cost and replay").
 *
 * Prices are US dollars per million tokens, by model family, as published on
 * https://www.anthropic.com/pricing when this file was last edited. A model matches the first row
 * whose prefix its name starts with; a model no row matches has no estimate (reports show tokens
 * only). Cached input is counted at the full input price, so the figure is an upper bound: a run's
 * system prompt and tools are usually read from the prompt cache at a tenth of that.
 *
 * Edit this table (and only this one) when prices change.
 */
export interface ModelPrice {
  /** Model names starting with this use the row. */
  prefix: string;
  /** USD per million input tokens. */
  inputPerMTok: number;
  /** USD per million output tokens. */
  outputPerMTok: number;
}

export const PRICE_TABLE: readonly ModelPrice[] = [
  { prefix: 'claude-opus', inputPerMTok: 5, outputPerMTok: 25 },
  { prefix: 'claude-sonnet', inputPerMTok: 3, outputPerMTok: 15 },
  { prefix: 'claude-haiku', inputPerMTok: 1, outputPerMTok: 5 },
];

/** The price row of a model, or undefined when none matches. */
export function priceOf(model: string): ModelPrice | undefined {
  return PRICE_TABLE.find((row) => model.startsWith(row.prefix));
}

/** Estimated USD for the tokens of a run, rounded to a hundredth of a cent; undefined for an unknown model. */
export function estimateCostUsd(
  model: string,
  usage: { inputTokens: number; outputTokens: number },
): number | undefined {
  const price = priceOf(model);
  if (!price) return undefined;
  const usd = (usage.inputTokens * price.inputPerMTok + usage.outputTokens * price.outputPerMTok) / 1_000_000;
  return Math.round(usd * 10_000) / 10_000;
}
