/**
 * HouseCat's small error hierarchy. A failing test is a result value, not an exception:
 * these are for configuration mistakes, services that misbehave, and agent faults.
 */

/** Base class so entry points can tell HouseCat's own errors from bugs. */
export class HouseCatError extends Error {
  override name = 'HouseCatError';
}

/** One problem found in a definitions file or in the configuration. */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  /** Field path such as `tests[2].schedule`; empty for file-level problems. */
  path: string;
  message: string;
}

/** Renders a diagnostic as `FILE:LINE:COL: FIELD-PATH: message`. */
export function formatDiagnostic(d: Diagnostic): string {
  return d.path
    ? `${d.file}:${d.line}:${d.column}: ${d.path}: ${d.message}`
    : `${d.file}:${d.line}:${d.column}: ${d.message}`;
}

/** The configuration is wrong: a definitions file, a flag, an input or an environment variable. */
export class ConfigError extends HouseCatError {
  override name = 'ConfigError';
  constructor(
    message: string,
    readonly diagnostics: Diagnostic[] = [],
  ) {
    super(message);
  }
}

/** An external service (Redis, QStash, GitHub, Anthropic, TinyFish) failed. */
export class ServiceError extends HouseCatError {
  override name = 'ServiceError';
  constructor(
    /** e.g. `Upstash Redis`, `QStash`, `GitHub`. */
    readonly service: string,
    /** What HouseCat was doing, e.g. `record run`. */
    readonly operation: string,
    message: string,
    readonly options: {
      status?: number;
      hint?: string;
      retryable?: boolean;
      /** The service asked to be left alone this long (a rate limit): retry no sooner. */
      retryAfterMs?: number;
    } = {},
  ) {
    super(`${service}: ${operation} failed: ${message}${options.hint ? ` — ${options.hint}` : ''}`);
  }
  get status(): number | undefined {
    return this.options.status;
  }
  get retryable(): boolean {
    return this.options.retryable ?? true;
  }
  get retryAfterMs(): number | undefined {
    return this.options.retryAfterMs;
  }
}

/** The agent could not reach a verdict for reasons that are not the site's fault. */
export class AgentError extends HouseCatError {
  override name = 'AgentError';
}
