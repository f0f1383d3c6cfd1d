/**
 * A stand-in for the Anthropic Messages API (`POST /v1/messages`) that the real `@anthropic-ai/sdk`
 * talks to through `baseURL`. It checks what the 1.x SDK sends (`Authorization: Bearer <key>`,
 * `anthropic-version: 2026-10-21`), records every request (raw body included, so tests can search
 * it for secrets), and answers with scripted replies or a rule-based policy that reads the tool
 * results like a (very simple) model would. It can also fail like the real API: 500, 529 overloaded.
 *
 * Each model answers as its family does (tests/support/anthropic-models.ts): the default
 * `claude-sonnet-5-5` thinks by default, signs its thinking blocks and wants them back unchanged,
 * counts thinking against `max_tokens` (cutting the turn with `stop_reason: "max_tokens"`), and
 * answers 400 to the settings it refuses. An unknown model answers 404.
 */

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type Anthropic from '@anthropic-ai/sdk';
import type { HouseCatEnv } from '../../src/adapters/env.js';
import { buildMessage, type Reply } from './anthropic-replies.js';
import { type MessagesBody, refusalOf, ThinkingLedger } from './anthropic-rules.js';

export type { ContentBlock, MessagesBody } from './anthropic-rules.js';

/** The `anthropic-version` header the installed SDK sends (node_modules/@anthropic-ai/sdk/client.js). */
export const ANTHROPIC_VERSION = '2026-10-21';

export interface RecordedCall {
  headers: IncomingHttpHeaders;
  /** The body exactly as received. */
  raw: string;
  body: MessagesBody;
  /** The HTTP status answered (400/404 when the model refused the request). */
  status?: number;
  /** The reply sent with a 200, as the SDK received it. */
  reply?: Anthropic.Message;
}

export type { Reply } from './anthropic-replies.js';

/** Produces the reply to one request (`n` counts requests from 0 since the responder was set). */
export type Responder = (body: MessagesBody, n: number) => Reply;

export interface AnthropicServer {
  url: string;
  apiKey: string;
  calls: RecordedCall[];
  /** Replaces the responder (scripted list, or a policy function). */
  respond(responder: Responder | Reply[]): void;
  close(): Promise<void>;
}

/** Replies in order; when the script runs out, the last reply repeats. */
export function script(replies: Reply[]): Responder {
  return (_body, n) => replies[Math.min(n, replies.length - 1)] ?? { text: 'no script' };
}

/** Starts the stand-in on 127.0.0.1, port 0. */
export async function startAnthropicServer(
  options: { apiKey?: string; responder?: Responder | Reply[] } = {},
): Promise<AnthropicServer> {
  const apiKey = options.apiKey ?? 'sk-ant-test-key';
  const calls: RecordedCall[] = [];
  let responder: Responder = toResponder(options.responder ?? [{ text: 'no responder configured' }]);
  let base = 0;
  const ids = { tool: 0 };
  const ledger = new ThinkingLedger();
  const sockets = new Set<Socket>();

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
      const error = (status: number, type: string, message: string) =>
        json(status, { type: 'error', error: { type, message } }, { 'retry-after-ms': '5' });
      if (req.method !== 'POST' || req.url?.split('?')[0] !== '/v1/messages') {
        return error(404, 'not_found_error', `${req.method} ${req.url} is not part of this stand-in`);
      }
      if (req.headers.authorization !== `Bearer ${apiKey}`) {
        return error(401, 'authentication_error', 'invalid x-api-key / bearer token');
      }
      if (req.headers['anthropic-version'] !== ANTHROPIC_VERSION) {
        return error(400, 'invalid_request_error', `anthropic-version must be ${ANTHROPIC_VERSION}`);
      }
      let body: MessagesBody;
      try {
        body = JSON.parse(raw) as MessagesBody;
      } catch {
        return error(400, 'invalid_request_error', 'body is not JSON');
      }
      if (!body.model || !body.max_tokens || !Array.isArray(body.messages) || body.messages.length === 0) {
        return error(400, 'invalid_request_error', 'model, max_tokens and messages are required');
      }
      const n = calls.length;
      const call: RecordedCall = { headers: req.headers, raw, body };
      calls.push(call);
      const refused = refusalOf(body, ledger);
      if (refused) {
        call.status = refused.status;
        return error(refused.status, refused.type, refused.message);
      }
      const reply = responder(body, n - base);
      if ('status' in reply) {
        call.status = reply.status;
        const type = reply.type ?? (reply.status === 529 ? 'overloaded_error' : 'api_error');
        return error(
          reply.status,
          type,
          reply.message ?? (reply.status === 529 ? 'Overloaded' : 'Internal error'),
        );
      }
      call.status = 200;
      call.reply = buildMessage(body, raw, reply, `msg_${n}`, ledger, ids);
      return json(200, call.reply);
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    calls,
    respond(next) {
      responder = toResponder(next);
      base = calls.length;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function toResponder(value: Responder | Reply[]): Responder {
  return Array.isArray(value) ? script(value) : value;
}

/** The text of the latest observation: the last user message's text or tool results. */
export function latestObservation(body: MessagesBody): string {
  const last = body.messages[body.messages.length - 1];
  if (!last) return '';
  if (typeof last.content === 'string') return last.content;
  return last.content
    .map((block) => {
      if (block.type === 'text') return block.text;
      if (block.type === 'tool_result') {
        if (typeof block.content === 'string') return block.content;
        return (block.content ?? []).map((c) => c.text ?? '').join('\n');
      }
      return '';
    })
    .join('\n');
}

/** Names of the tools the "model" already called in this conversation, in order. */
export function toolsCalled(body: MessagesBody): string[] {
  const names: string[] = [];
  for (const message of body.messages) {
    if (message.role !== 'assistant' || typeof message.content === 'string') continue;
    for (const block of message.content) if (block.type === 'tool_use') names.push(block.name);
  }
  return names;
}

/** Finds `[ref=eN] role "name"` in a snapshot (name matched as a case-insensitive prefix). */
export function findRef(snapshot: string, role: string, name: string): string | undefined {
  const pattern = new RegExp(
    `^\\[ref=([a-z0-9]+)\\] ${role} "${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
    'im',
  );
  return pattern.exec(snapshot)?.[1];
}

/**
 * A rule-based "model" for the login fixture: types the user name, types the password secret,
 * clicks "Sign in", then reports passed when `expectText` is in the snapshot (citing it) and
 * failed otherwise, naming what it saw.
 */
export function loginPolicy(options: {
  username: string;
  secretName: string;
  expectText: string;
  /** Names the submit button may have, tried in order (default: "Sign in"). */
  buttons?: string[];
}): Responder {
  return (body) => {
    const seen = latestObservation(body);
    const done = toolsCalled(body);
    const user = findRef(seen, 'textbox', 'Username');
    const password = findRef(seen, 'textbox', 'Password');
    const signIn = (options.buttons ?? ['Sign in'])
      .map((name) => findRef(seen, 'button', name))
      .find((ref) => ref !== undefined);
    if (!done.includes('type')) {
      if (!user || !password) {
        const heading = /^\s*heading "([^"]+)"/m.exec(seen)?.[1] ?? 'no heading';
        return verdict(
          false,
          `The login form is missing: the page shows "${heading}" instead of a Username field.`,
        );
      }
      return { tools: [{ name: 'type', input: { ref: user, text: options.username } }] };
    }
    if (!done.includes('type_secret')) {
      if (!password) return verdict(false, 'The Password field disappeared after typing the user name.');
      return { tools: [{ name: 'type_secret', input: { ref: password, name: options.secretName } }] };
    }
    if (!done.includes('click')) {
      if (!signIn) return verdict(false, 'The "Sign in" button is missing from the login form.');
      return { tools: [{ name: 'click', input: { ref: signIn } }] };
    }
    if (seen.includes(options.expectText)) {
      return {
        tools: [
          {
            name: 'verdict',
            input: {
              passed: true,
              reason: `Logged in; the dashboard shows "${options.expectText}".`,
              evidence: { text_visible: [options.expectText] },
            },
          },
        ],
      };
    }
    const heading = /^\s*heading "([^"]+)"/m.exec(seen)?.[1] ?? 'no heading';
    return verdict(
      false,
      `Expected "${options.expectText}" after signing in, but the page shows "${heading}".`,
    );
  };
}

/** A verdict reply. */
export function verdict(passed: boolean, reason: string, textVisible: string[] = []): Reply {
  return { tools: [{ name: 'verdict', input: { passed, reason, evidence: { text_visible: textVisible } } }] };
}

/**
 * The environment of a claude agent that talks to this stand-in and drives the local Chromium, on
 * fixture apps served from loopback (so the private network is allowed).
 */
export function agentEnv(llm: Pick<AnthropicServer, 'apiKey' | 'url'>, chromium: string): HouseCatEnv {
  return {
    ANTHROPIC_API_KEY: llm.apiKey,
    ANTHROPIC_BASE_URL: llm.url,
    HOUSECAT_CHROMIUM: chromium,
    HOUSECAT_ALLOW_PRIVATE_NETWORK: '1',
  };
}
