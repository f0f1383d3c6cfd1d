/**
 * The browser tools the model may call, as sent to the model: names, descriptions and input
 * schemas. Their execution is in tools.ts.
 */
import type Anthropic from '@anthropic-ai/sdk';

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
