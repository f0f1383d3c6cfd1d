/**
 * The browser tools the model may call, and their execution. Every tool acts on the page only:
 * none reads files, the environment, or runs code the model wrote. What a tool returns is page
 * data, redacted of secret values before the model sees it.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { Locator, Page } from 'playwright-core';
import type { Redactor } from '../../../core/secrets/redact.js';
import { settlePage } from '../../browser/settle.js';
import { refLocator, takeSnapshot } from '../../browser/snapshot.js';
import type { RequestPolicy } from '../../browser/types.js';

/** What the tools need from the run. */
export interface ToolSession {
  page: Page;
  policy: RequestPolicy & { description?: string };
  /** Values by name; only names in `secretNames` may be typed. */
  secrets: Record<string, string>;
  secretNames: string[];
  redact: Redactor;
  /** Fields a secret was typed into: masked in screenshots. */
  secretFields: Locator[];
  snapshotChars: number;
  /** Milliseconds an action may take now (shrinks as the run's deadline nears). */
  actionTimeout(): number;
  /** Settle the page before each snapshot (default true; false only to measure its effect). */
  settle?: boolean;
}

export interface ToolOutput {
  ok: boolean;
  /** Short description of the target, for the step record (already redacted). */
  target?: string;
  /** One line for the step record (already redacted). */
  outcome: string;
  /** What the model receives. */
  content: string | Anthropic.ToolResultBlockParam['content'];
  /** True when `content` ends with a page snapshot (older ones are trimmed from the history). */
  hasSnapshot?: boolean;
}

function str(input: Record<string, unknown>, key: string): string {
  const value = input[key];
  if (typeof value !== 'string' || value === '') throw new Error(`"${key}" must be a non-empty string`);
  return value;
}

/** After an action: let the page settle, then describe where it is now. */
async function afterAction(session: ToolSession, outcome: string, target?: string): Promise<ToolOutput> {
  const { page } = session;
  await page
    .waitForLoadState('domcontentloaded', { timeout: Math.min(5_000, session.actionTimeout()) })
    .catch(() => undefined);
  // Single-page apps answer with a fetch and a re-render, not a load: wait for network and DOM
  // to go quiet (bounded), or the model reads the page as it was before the action.
  if (session.settle !== false) await settlePage(page, { maxMs: Math.min(2_000, session.actionTimeout()) });
  const snapshot = await takeSnapshot(page, { maxChars: session.snapshotChars, redact: session.redact });
  const output: ToolOutput = {
    ok: true,
    outcome: session.redact(outcome),
    content: `${session.redact(outcome)}\n\n${snapshot.text}`,
    hasSnapshot: true,
  };
  if (target) output.target = session.redact(target);
  return output;
}

/**
 * One tool's action on the page. `target` describes the element ref of the call (for the step
 * record); `timeout` is the milliseconds the action may take now.
 */
type ToolAction = (
  session: ToolSession,
  input: Record<string, unknown>,
  target: string | undefined,
  timeout: number,
) => Promise<ToolOutput>;

/** Opens a URL the host policy allows; another one is refused to the model without leaving the page. */
const navigate: ToolAction = async (session, input, _target, timeout) => {
  const { page, redact } = session;
  const url = new URL(str(input, 'url'), page.url()).href;
  const decision = session.policy.check(url);
  if (!decision.allowed) {
    const reason = redact(decision.reason);
    return {
      ok: false,
      target: redact(url),
      outcome: `blocked: ${reason}`,
      content: `Blocked by HouseCat: ${reason}. Stay on the allowed hosts.`,
    };
  }
  const response = await page.goto(url, { timeout, waitUntil: 'domcontentloaded' });
  return afterAction(session, `Opened ${url} (HTTP ${response?.status() ?? 'n/a'}).`, url);
};

const click: ToolAction = async (session, input, target, timeout) => {
  await refLocator(session.page, str(input, 'ref')).click({ timeout });
  return afterAction(session, 'Clicked.', target);
};

const typeText: ToolAction = async (session, input, target, timeout) => {
  const locator = refLocator(session.page, str(input, 'ref'));
  const text = typeof input.text === 'string' ? input.text : '';
  await locator.fill(text, { timeout });
  if (input.submit === true) await locator.press('Enter', { timeout });
  return afterAction(session, `Typed "${text}"${input.submit === true ? ' and pressed Enter' : ''}.`, target);
};

/** Types a secret's value by its name; the field is remembered, to be masked in screenshots. */
const typeSecret: ToolAction = async (session, input, target, timeout) => {
  const secretName = str(input, 'name');
  const value = session.secrets[secretName];
  if (!session.secretNames.includes(secretName) || value === undefined) {
    const known = session.secretNames.length ? session.secretNames.join(', ') : 'none';
    return {
      ok: false,
      ...(target ? { target } : {}),
      outcome: `unknown secret ${secretName}`,
      content: `There is no secret named "${secretName}" (available: ${known}).`,
    };
  }
  const locator = refLocator(session.page, str(input, 'ref'));
  await locator.fill(value, { timeout });
  session.secretFields.push(locator);
  if (input.submit === true) await locator.press('Enter', { timeout });
  return afterAction(
    session,
    `Typed the value of ${secretName}${input.submit === true ? ' and pressed Enter' : ''}.`,
    target,
  );
};

/** Chooses an option by its label, or else by its value. */
const select: ToolAction = async (session, input, target, timeout) => {
  const option = str(input, 'option');
  const locator = refLocator(session.page, str(input, 'ref'));
  await locator
    .selectOption({ label: option }, { timeout })
    .catch(() => locator.selectOption(option, { timeout }));
  return afterAction(session, `Selected "${option}".`, target);
};

const pressKey: ToolAction = async (session, input, target, timeout) => {
  const key = str(input, 'key');
  if (!/^[A-Za-z0-9+]{1,40}$/.test(key)) throw new Error(`"${key}" is not a key name such as Enter or Tab`);
  if (typeof input.ref === 'string') await refLocator(session.page, input.ref).press(key, { timeout });
  else await session.page.keyboard.press(key);
  return afterAction(session, `Pressed ${key}.`, target ?? key);
};

const scroll: ToolAction = async (session, input, target, timeout) => {
  if (typeof input.ref === 'string')
    await refLocator(session.page, input.ref).scrollIntoViewIfNeeded({ timeout });
  else await session.page.mouse.wheel(0, input.direction === 'up' ? -600 : 600);
  return afterAction(session, 'Scrolled.', target ?? String(input.direction ?? 'down'));
};

/** Waits for a text to be visible, up to `timeout_s` seconds (1 to 30, default 10). */
const waitForText: ToolAction = async (session, input, _target, timeout) => {
  const text = str(input, 'text');
  const seconds = Math.min(30, Math.max(1, Number(input.timeout_s ?? 10) || 10));
  await session.page
    .getByText(text)
    .first()
    .waitFor({ state: 'visible', timeout: Math.min(seconds * 1000, timeout) });
  return afterAction(session, `"${text}" is visible.`, text);
};

/** The viewport as an image for the model, with every field a secret was typed into masked. */
const screenshot: ToolAction = async (session, _input, _target, timeout) => {
  const png = await session.page.screenshot({ type: 'png', mask: session.secretFields, timeout });
  return {
    ok: true,
    outcome: 'Took a screenshot.',
    content: [
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png.toString('base64') } },
    ],
  };
};

/** The action of each tool the model may call, by name (`verdict` ends the run elsewhere). */
const ACTIONS = new Map<string, ToolAction>([
  ['navigate', navigate],
  ['click', click],
  ['type', typeText],
  ['type_secret', typeSecret],
  ['select', select],
  ['press_key', pressKey],
  ['scroll', scroll],
  ['wait_for_text', waitForText],
  ['snapshot', (session) => afterAction(session, 'Current page:')],
  ['screenshot', screenshot],
]);

/**
 * Runs one tool call (anything but `verdict`). A tool that fails returns `ok: false` with the
 * reason for the model; it never throws for page problems.
 */
export async function runTool(
  session: ToolSession,
  name: string,
  input: Record<string, unknown>,
  describeRef: (ref: string) => string,
): Promise<ToolOutput> {
  const timeout = session.actionTimeout();
  const target = typeof input.ref === 'string' ? describeRef(input.ref) : undefined;
  const action = ACTIONS.get(name);
  if (!action)
    return { ok: false, outcome: `unknown tool ${name}`, content: `There is no tool named "${name}".` };
  try {
    return await action(session, input, target, timeout);
  } catch (error) {
    const message = session.redact(
      (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '',
    );
    return {
      ok: false,
      ...(target ? { target } : {}),
      outcome: `failed: ${message}`,
      content: `The ${name} action failed: ${message}`,
    };
  }
}
