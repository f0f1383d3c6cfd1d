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

const ref = { type: 'string', description: 'Element ref from the latest snapshot, e.g. e12.' } as const;

/** The tool definitions sent to the model (the last one carries the prompt-cache breakpoint). */
export const TOOLS: Anthropic.Tool[] = [
  {
    name: 'navigate',
    description: 'Open a URL (absolute, or relative to the current page) in the current tab.',
    input_schema: { type: 'object', properties: { url: { type: 'string' } }, required: ['url'] },
  },
  {
    name: 'click',
    description: 'Click an element.',
    input_schema: { type: 'object', properties: { ref }, required: ['ref'] },
  },
  {
    name: 'type',
    description: 'Replace the content of a text field with text. submit=true presses Enter afterwards.',
    input_schema: {
      type: 'object',
      properties: { ref, text: { type: 'string' }, submit: { type: 'boolean' } },
      required: ['ref', 'text'],
    },
  },
  {
    name: 'type_secret',
    description:
      'Type the value of a named secret into a field. You never see the value. submit=true presses Enter afterwards.',
    input_schema: {
      type: 'object',
      properties: { ref, name: { type: 'string', description: 'Secret name.' }, submit: { type: 'boolean' } },
      required: ['ref', 'name'],
    },
  },
  {
    name: 'select',
    description: 'Choose an option of a select element by its visible label.',
    input_schema: {
      type: 'object',
      properties: { ref, option: { type: 'string' } },
      required: ['ref', 'option'],
    },
  },
  {
    name: 'press_key',
    description: 'Press a key such as Enter, Tab, Escape, ArrowDown, optionally focused on an element.',
    input_schema: { type: 'object', properties: { key: { type: 'string' }, ref }, required: ['key'] },
  },
  {
    name: 'scroll',
    description: 'Scroll the page up or down, or scroll an element into view.',
    input_schema: {
      type: 'object',
      properties: { direction: { type: 'string', enum: ['up', 'down'] }, ref },
    },
  },
  {
    name: 'wait_for_text',
    description: 'Wait until text is visible on the page (up to timeout_s seconds, default 10, at most 30).',
    input_schema: {
      type: 'object',
      properties: { text: { type: 'string' }, timeout_s: { type: 'number' } },
      required: ['text'],
    },
  },
  {
    name: 'snapshot',
    description: 'Read the current page again as an accessibility snapshot with element refs.',
    input_schema: { type: 'object', properties: {} },
  },
  {
    name: 'screenshot',
    description: 'Look at a screenshot of the current viewport.',
    input_schema: { type: 'object', properties: {} },
  },
  {
    name: 'verdict',
    description:
      'Finish the test. passed=true needs evidence the harness verifies on the live page: text_visible strings copied exactly from the current page, optionally url_contains.',
    input_schema: {
      type: 'object',
      properties: {
        passed: { type: 'boolean' },
        reason: { type: 'string', description: 'One or two sentences a person on call understands.' },
        evidence: {
          type: 'object',
          properties: {
            text_visible: { type: 'array', items: { type: 'string' } },
            url_contains: { type: 'string' },
          },
          required: ['text_visible'],
        },
      },
      required: ['passed', 'reason', 'evidence'],
    },
    cache_control: { type: 'ephemeral' },
  },
];

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
 * Runs one tool call (anything but `verdict`). A tool that fails returns `ok: false` with the
 * reason for the model; it never throws for page problems.
 */
export async function runTool(
  session: ToolSession,
  name: string,
  input: Record<string, unknown>,
  describeRef: (ref: string) => string,
): Promise<ToolOutput> {
  const { page, redact } = session;
  const timeout = session.actionTimeout();
  const target = typeof input.ref === 'string' ? describeRef(input.ref) : undefined;
  try {
    switch (name) {
      case 'navigate': {
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
      }
      case 'click': {
        await refLocator(page, str(input, 'ref')).click({ timeout });
        return afterAction(session, 'Clicked.', target);
      }
      case 'type': {
        const locator = refLocator(page, str(input, 'ref'));
        const text = typeof input.text === 'string' ? input.text : '';
        await locator.fill(text, { timeout });
        if (input.submit === true) await locator.press('Enter', { timeout });
        return afterAction(
          session,
          `Typed "${text}"${input.submit === true ? ' and pressed Enter' : ''}.`,
          target,
        );
      }
      case 'type_secret': {
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
        const locator = refLocator(page, str(input, 'ref'));
        await locator.fill(value, { timeout });
        session.secretFields.push(locator);
        if (input.submit === true) await locator.press('Enter', { timeout });
        return afterAction(
          session,
          `Typed the value of ${secretName}${input.submit === true ? ' and pressed Enter' : ''}.`,
          target,
        );
      }
      case 'select': {
        const option = str(input, 'option');
        const locator = refLocator(page, str(input, 'ref'));
        await locator
          .selectOption({ label: option }, { timeout })
          .catch(() => locator.selectOption(option, { timeout }));
        return afterAction(session, `Selected "${option}".`, target);
      }
      case 'press_key': {
        const key = str(input, 'key');
        if (!/^[A-Za-z0-9+]{1,40}$/.test(key))
          throw new Error(`"${key}" is not a key name such as Enter or Tab`);
        if (typeof input.ref === 'string') await refLocator(page, input.ref).press(key, { timeout });
        else await page.keyboard.press(key);
        return afterAction(session, `Pressed ${key}.`, target ?? key);
      }
      case 'scroll': {
        if (typeof input.ref === 'string')
          await refLocator(page, input.ref).scrollIntoViewIfNeeded({ timeout });
        else await page.mouse.wheel(0, input.direction === 'up' ? -600 : 600);
        return afterAction(session, 'Scrolled.', target ?? String(input.direction ?? 'down'));
      }
      case 'wait_for_text': {
        const text = str(input, 'text');
        const seconds = Math.min(30, Math.max(1, Number(input.timeout_s ?? 10) || 10));
        await page
          .getByText(text)
          .first()
          .waitFor({ state: 'visible', timeout: Math.min(seconds * 1000, timeout) });
        return afterAction(session, `"${text}" is visible.`, text);
      }
      case 'snapshot':
        return afterAction(session, 'Current page:');
      case 'screenshot': {
        const png = await page.screenshot({ type: 'png', mask: session.secretFields, timeout });
        return {
          ok: true,
          outcome: 'Took a screenshot.',
          content: [
            {
              type: 'image',
              source: { type: 'base64', media_type: 'image/png', data: png.toString('base64') },
            },
          ],
        };
      }
      default:
        return { ok: false, outcome: `unknown tool ${name}`, content: `There is no tool named "${name}".` };
    }
  } catch (error) {
    const message = redact((error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '');
    return {
      ok: false,
      ...(target ? { target } : {}),
      outcome: `failed: ${message}`,
      content: `The ${name} action failed: ${message}`,
    };
  }
}
