/** core/report/: rendering run results for people and tools: terminal table, Markdown, JSON, JUnit, progress. */
export { countsOf } from './counts.js';
export { blockedSteps, describeStep, failedStep, formatRunDuration } from './format.js';
export { type JsonReport, type JsonReportResult, toJsonReport } from './json.js';
export { escapeXml, renderJUnit } from './junit.js';
export {
  diffAgainstBase,
  escapeMarkdown,
  headline,
  PR_COMMENT_MARKER,
  type PrCommentOptions,
  renderPrComment,
  renderSummaryMarkdown,
} from './markdown.js';
export { createProgressReporter, type ProgressOptions } from './progress.js';
export { renderTable } from './table.js';
export { formatTokens, formatUsd, totalUsage, usageLine } from './usage.js';
