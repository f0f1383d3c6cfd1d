/**
 * The one price table HouseCat uses to estimate what a run cost (README "Cost and replay").
 *
 * US dollars per million tokens, per model, read from the model pages of
 * https://platform.claude.com/docs (Models & pricing) on {@link PRICES_READ_ON}. Input, output,
 * 5-minute cache writes and cache reads each have their own rate: a run's system prompt and tools
 * are written to the prompt cache on its first call and read from it afterwards, so pricing all of
 * its input at the input rate would overstate the bill several times over. The estimate is the
 * price of the tokens the API reported, not a bound: long-context or regional surcharges, batch
 * discounts and 1-hour cache writes (HouseCat only writes 5-minute entries) are not modelled.
 *
 * A model matches the row whose id equals its name, or its name minus a date suffix
 * (`claude-sonnet-5-5-20260928`); `claude-sonnet-5-5` never falls onto `claude-sonnet-5`. A model no
 * row matches has no estimate (reports show tokens only). Edit this table (and only this one) when
 * prices change, and move the date.
 */
export interface ModelPrice {
  /** The model id the row prices. */
  model: string;
  /** USD per million uncached input tokens. */
  inputPerMTok: number;
  /** USD per million output tokens (thinking included: it is billed as output). */
  outputPerMTok: number;
  /** USD per million input tokens written to the 5-minute prompt cache (1.25× input). */
  cacheWritePerMTok: number;
  /** USD per million input tokens read from the prompt cache. */
  cacheReadPerMTok: number;
}

/** The day the rates below were read from Anthropic's model pages. */
export const PRICES_READ_ON = '2026-12-07';

const row = (model: string, input: number, output: number, cacheRead: number): ModelPrice => ({
  model,
  inputPerMTok: input,
  outputPerMTok: output,
  cacheWritePerMTok: input * 1.25,
  cacheReadPerMTok: cacheRead,
});

export const PRICE_TABLE: readonly ModelPrice[] = [
  // Sonnet 5.5's cache reads were cut from $0.20 to $0.10 on 2026-10-07.
  row('claude-sonnet-5-5', 2, 10, 0.1),
  row('claude-sonnet-5', 2, 10, 0.2),
  row('claude-opus-5-5', 4, 20, 0.2),
  row('claude-opus-5', 5, 25, 0.5),
  row('claude-sonnet-4-6', 3, 15, 0.3),
  row('claude-sonnet-4-5', 3, 15, 0.3),
  row('claude-opus-4-6', 5, 25, 0.5),
  row('claude-opus-4-5', 5, 25, 0.5),
  row('claude-haiku-4-5', 1, 5, 0.1),
];

/** The price row of a model, or undefined when none matches. */
export function priceOf(model: string): ModelPrice | undefined {
  const id = model.replace(/-\d{8}$/, '');
  return PRICE_TABLE.find((r) => r.model === id);
}

/** The token counts a cost is computed from; cache counts default to 0 (all input uncached). */
export interface PricedUsage {
  /** All input tokens of the run: uncached, cache writes and cache reads together. */
  inputTokens: number;
  outputTokens: number;
  /** Of `inputTokens`, those written to the prompt cache. */
  cacheWriteTokens?: number;
  /** Of `inputTokens`, those read from the prompt cache. */
  cacheReadTokens?: number;
}

/** Estimated USD for the tokens of a run, rounded to a hundredth of a cent; undefined for an unknown model. */
export function estimateCostUsd(model: string, usage: PricedUsage): number | undefined {
  const price = priceOf(model);
  if (!price) return undefined;
  const writes = usage.cacheWriteTokens ?? 0;
  const reads = usage.cacheReadTokens ?? 0;
  const uncached = Math.max(0, usage.inputTokens - writes - reads);
  const usd =
    (uncached * price.inputPerMTok +
      writes * price.cacheWritePerMTok +
      reads * price.cacheReadPerMTok +
      usage.outputTokens * price.outputPerMTok) /
    1_000_000;
  return Math.round(usd * 10_000) / 10_000;
}
