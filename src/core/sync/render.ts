/**
 * The plan as people read it: a fixed-width table for the terminal and the Action log, and a
 * Markdown table for the job summary. Both end with the same one-line count.
 */
import type { PlanItem, SyncPlan } from './plan.js';

const SYMBOL: Record<PlanItem['action'], string> = {
  create: '+ create',
  update: '~ update',
  unchanged: '= unchanged',
  remove: '- remove',
};

function scheduleCell(item: PlanItem): string {
  if (item.action === 'remove') return item.previousSchedule ? `${item.previousSchedule} → deleted` : '—';
  if (item.previousSchedule && item.previousSchedule !== item.schedule) {
    return `${item.previousSchedule} → ${item.schedule ?? 'none'}`;
  }
  return item.schedule ?? 'none (PR checks only)';
}

function reasonCell(item: PlanItem): string {
  return item.reasons.length > 0 ? item.reasons.join('; ') : '—';
}

/** "Plan for acme/shop: 1 to create, 2 to update, 0 to remove, 5 unchanged." */
export function renderPlanSummary(plan: SyncPlan): string {
  const c = plan.counts;
  return `Plan for ${plan.repo}: ${c.create} to create, ${c.update} to update, ${c.remove} to remove, ${c.unchanged} unchanged.`;
}

/** A plain-text table, one row per test, then the summary line. */
export function renderPlanTable(plan: SyncPlan): string {
  if (plan.items.length === 0) return `${renderPlanSummary(plan)}\n(no tests in the file and none stored)`;
  const header = ['ACTION', 'TEST', 'SCHEDULE', 'WHY'];
  const rows = plan.items.map((item) => [
    SYMBOL[item.action],
    item.testId,
    scheduleCell(item),
    reasonCell(item),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line), '', renderPlanSummary(plan)].join('\n');
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** A Markdown table for `$GITHUB_STEP_SUMMARY`. */
export function renderPlanMarkdown(plan: SyncPlan, heading: string): string {
  const lines = [`### ${heading}`, '', renderPlanSummary(plan), ''];
  if (plan.items.length > 0) {
    lines.push('| Action | Test | Schedule | Why |', '| --- | --- | --- | --- |');
    for (const item of plan.items) {
      lines.push(
        `| ${SYMBOL[item.action]} | \`${item.testId}\` ${escapeCell(item.name)} | ${escapeCell(scheduleCell(item))} | ${escapeCell(reasonCell(item))} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
