/**
 * How much the claude agent lets the model think, and how long a reply may be.
 *
 * Current models think by default, and thinking counts against `max_tokens`: Claude Sonnet 5.5 at
 * its default (adaptive thinking, effort high) can spend a small reply budget on thinking alone and
 * stop with `stop_reason: "max_tokens"` and no tool call. A browser test needs short, frequent tool
 * calls, so by default HouseCat asks each model for the lightest thinking it accepts (per the model
 * docs): `between_tools` on Sonnet 5.5 (no up-front thinking, short notes between tool calls; it
 * refuses `disabled`), `disabled` on Sonnet 5 and Opus 5, and the model's own default elsewhere
 * (older models do not think unless asked; Opus 5.5 always thinks). HOUSECAT_THINKING and
 * HOUSECAT_EFFORT override this (docs/agent.md, "Thinking and reply length").
 */
import type Anthropic from '@anthropic-ai/sdk';
import { ConfigError } from '../../../core/errors.js';

/** `auto`: the table below; `default`: send no `thinking` field (the model's own default). */
export const THINKING_SETTINGS = ['auto', 'between_tools', 'adaptive', 'disabled', 'default'] as const;
export type ThinkingSetting = (typeof THINKING_SETTINGS)[number];
export const EFFORT_SETTINGS = ['low', 'medium', 'high', 'xhigh', 'max'] as const;
export type EffortSetting = (typeof EFFORT_SETTINGS)[number];

/** Lightest accepted thinking per model id (date suffix ignored); a model not listed: its default. */
const LIGHTEST: Readonly<Record<string, Anthropic.ThinkingConfigParam>> = {
  'claude-sonnet-5-5': { type: 'between_tools' },
  'claude-sonnet-5': { type: 'disabled' },
  'claude-opus-5': { type: 'disabled' },
};

/**
 * `max_tokens` per reply. At least 8,000 so that thinking plus a tool call fits; under the SDK's
 * non-streaming ceiling ({@link MAX_NONSTREAMING_TOKENS}). Unused tokens cost nothing.
 */
export const DEFAULT_MAX_TOKENS = 16_000;
/**
 * The SDK refuses a non-streaming call whose `max_tokens` implies more than 10 minutes at its
 * assumed 128,000 tokens an hour (`calculateNonstreamingTimeout`): 21,333 tokens.
 */
export const MAX_NONSTREAMING_TOKENS = 21_333;
export const MIN_MAX_TOKENS = 8_000;

/** The thinking settings of a request: `thinking` and `output_config`, either left out when unset. */
export interface ThinkingParams {
  thinking?: Anthropic.ThinkingConfigParam;
  output_config?: Anthropic.OutputConfig;
}

/** Picks the request's thinking settings for a model from the configured setting and effort. */
export function thinkingParams(
  model: string,
  setting: ThinkingSetting = 'auto',
  effort?: EffortSetting,
): ThinkingParams {
  const params: ThinkingParams = {};
  if (setting === 'auto') {
    const lightest = LIGHTEST[model.replace(/-\d{8}$/, '')];
    if (lightest) params.thinking = lightest;
  } else if (setting !== 'default') {
    params.thinking = { type: setting } as Anthropic.ThinkingConfigParam;
  }
  if (effort) params.output_config = { effort };
  return params;
}

/** Reads HOUSECAT_THINKING; a value it does not know is a ConfigError naming the choices. */
export function parseThinkingSetting(raw: string | undefined): ThinkingSetting | undefined {
  if (raw === undefined) return undefined;
  const value = raw.trim().toLowerCase();
  if ((THINKING_SETTINGS as readonly string[]).includes(value)) return value as ThinkingSetting;
  throw new ConfigError(
    `HOUSECAT_THINKING is "${raw}": set it to one of ${THINKING_SETTINGS.join(', ')} (default auto: the lightest thinking the model accepts), or unset it`,
  );
}

/** Reads HOUSECAT_EFFORT; a value it does not know is a ConfigError naming the choices. */
export function parseEffortSetting(raw: string | undefined): EffortSetting | undefined {
  if (raw === undefined) return undefined;
  const value = raw.trim().toLowerCase();
  if ((EFFORT_SETTINGS as readonly string[]).includes(value)) return value as EffortSetting;
  throw new ConfigError(
    `HOUSECAT_EFFORT is "${raw}": set it to one of ${EFFORT_SETTINGS.join(', ')}, or unset it to use the model's default`,
  );
}

/** Checks a `max_tokens` option: at least 8,000 and at most the SDK's non-streaming ceiling. */
export function checkMaxTokens(value: number): number {
  if (!Number.isInteger(value) || value < MIN_MAX_TOKENS || value > MAX_NONSTREAMING_TOKENS) {
    throw new ConfigError(
      `maxTokensPerReply is ${value}: use a whole number from ${MIN_MAX_TOKENS} (room for thinking and a tool call) to ${MAX_NONSTREAMING_TOKENS} (the SDK's limit for a non-streaming call)`,
    );
  }
  return value;
}
