/**
 * How each model family behaves on the Messages API, as the model docs state it
 * (platform.claude.com, read 2026-12-07: "What's new in Claude Sonnet 5.5", the Sonnet 5.5 migration
 * guide, the Claude Sonnet 5 and Haiku 4.5 model pages) and as the SDK's types describe the fields
 * (`ThinkingConfigParam`, `OutputConfig.effort`, `StopReason`, `ThinkingBlock.signature`). The
 * Anthropic stand-in answers every request through this table, so a test against the default model
 * meets the refusals and the thinking of the current Sonnet, not a lenient picture of it.
 *
 * Written from the docs, not from what HouseCat sends: HouseCat's own choice per model lives in
 * src/adapters/agent/claude/thinking.ts and is checked against this table by the tests.
 */

export type ThinkingType = 'adaptive' | 'between_tools' | 'disabled' | 'enabled';
export type Effort = 'low' | 'medium' | 'high' | 'xhigh' | 'max';

export interface ModelBehaviour {
  /** Thinking when the request has no `thinking` field: adaptive, or none at all. */
  thinkingByDefault: 'adaptive' | 'none';
  /** `thinking.type` values the model accepts; any other is a 400. */
  acceptedThinking: ThinkingType[];
  /** Efforts `between_tools` may run at ("low, medium and high"; xhigh and max answer 400). */
  betweenToolsEfforts: Effort[];
  /** The effort a request without `output_config.effort` runs at. */
  defaultEffort: Effort;
  /** Default `display` of thinking: `omitted` returns an empty text with its signature. */
  defaultDisplay: 'omitted' | 'summarized';
  /** Whether `tool_choice` of type `any` or `tool` is accepted. */
  forcedToolChoice: boolean;
  /** Whether non-default `temperature`, `top_p` or `top_k` are accepted. */
  samplingParameters: boolean;
  /** Whether the last message may be the assistant's (prefill). */
  assistantPrefill: boolean;
  /**
   * Tokens adaptive thinking spends before a reply at effort `high` (scaled for other efforts).
   * The docs give no figure; what matters is that it counts against `max_tokens`, and that a
   * budget of 1,024 can be spent on thinking alone. A multi-step browser task at high effort
   * thinks for a few thousand tokens a turn.
   */
  adaptiveThinkingTokens: number;
  /** Tokens of the short progress notes `between_tools` writes between tool calls. */
  betweenToolsTokens: number;
}

/** Scale of adaptive thinking per effort, relative to `high`. */
export const EFFORT_SCALE: Record<Effort, number> = { low: 0.25, medium: 0.5, high: 1, xhigh: 1.5, max: 2 };

/** The current Sonnet: HouseCat's default model. */
const SONNET_5_5: ModelBehaviour = {
  thinkingByDefault: 'adaptive',
  acceptedThinking: ['adaptive', 'between_tools'],
  betweenToolsEfforts: ['low', 'medium', 'high'],
  defaultEffort: 'high',
  defaultDisplay: 'omitted',
  forcedToolChoice: false,
  samplingParameters: false,
  assistantPrefill: false,
  adaptiveThinkingTokens: 3_000,
  betweenToolsTokens: 60,
};

/** Sonnet 5: thinks by default, can still turn it off, refuses budgets and sampling settings. */
const SONNET_5: ModelBehaviour = {
  ...SONNET_5_5,
  acceptedThinking: ['adaptive', 'disabled'],
  betweenToolsEfforts: [],
  forcedToolChoice: true,
  assistantPrefill: true,
};

/** The generation before: no thinking unless asked for, every setting accepted. */
const HAIKU_4_5: ModelBehaviour = {
  thinkingByDefault: 'none',
  acceptedThinking: ['enabled', 'disabled'],
  betweenToolsEfforts: [],
  defaultEffort: 'high',
  defaultDisplay: 'summarized',
  forcedToolChoice: true,
  samplingParameters: true,
  assistantPrefill: true,
  adaptiveThinkingTokens: 0,
  betweenToolsTokens: 0,
};

/** Model id → behaviour. A model not listed answers 404, as the API does for an unknown model. */
export const MODEL_BEHAVIOUR: Readonly<Record<string, ModelBehaviour>> = {
  'claude-sonnet-5-5': SONNET_5_5,
  'claude-sonnet-5': SONNET_5,
  'claude-haiku-4-5': HAIKU_4_5,
};

/** The behaviour of a model id (a date suffix such as `-20260928` ignored), or undefined. */
export function behaviourOf(model: string): ModelBehaviour | undefined {
  return MODEL_BEHAVIOUR[model.replace(/-\d{8}$/, '')];
}
