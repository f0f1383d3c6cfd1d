/**
 * The all-ASCII secret through a real GET form in Chromium: the page echoes it form-encoded in the
 * URL, HTML-escaped in the markup, percent-encoded in a link and JSON-escaped in a script. None of
 * those forms may reach the model, the events, the logs or the result.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createClaudeAgent } from '../../../../src/adapters/agent/claude/claude-agent.js';
import type { RunEvent, TestDefinition } from '../../../../src/core/types.js';
import { useAgentHarness } from '../../../support/agent-harness.js';
import {
  findRef,
  latestObservation,
  type Responder,
  toolsCalled,
  verdict,
} from '../../../support/anthropic-server.js';
import { ALL_ASCII, ENCODINGS, htmlDecimal, htmlEscape } from '../../../support/encodings.js';

let site: Server;
let siteUrl: string;
const h = useAgentHarness({ apps: false });

function page(body: string): string {
  return `<!doctype html><html><head><title>Search</title></head><body>${body}</body></html>`;
}

beforeAll(async () => {
  site = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    res.setHeader('content-type', 'text/html; charset=utf-8');
    if (url.pathname === '/echo') {
      const pw = url.searchParams.get('pw') ?? '';
      const state = JSON.stringify({ pw }).replace(/</g, '\\u003c');
      res.end(
        page(
          `<h1>Results</h1><p>You typed: ${htmlEscape(pw)}</p><p>Again: ${htmlDecimal(pw)}</p>` +
            `<a href="/echo?pw=${encodeURIComponent(pw)}">search ${htmlEscape(encodeURIComponent(pw))} again</a>` +
            `<script>window.__STATE = ${state}; document.title = 'Search: ' + window.__STATE.pw;</script>`,
        ),
      );
      return;
    }
    res.end(
      page(
        '<h1>Search</h1><form method="get" action="/echo"><label>Password <input name="pw" type="text"></label><button>Go</button></form>',
      ),
    );
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => site?.close(r));
});

const test: Omit<TestDefinition, 'url'> = {
  id: 'acme--shop--search',
  slug: 'search',
  repo: 'acme/shop',
  name: 'Search',
  goal: 'Type the SEARCH_PW secret into Password, submit, and check the results page.',
  timeout: 60,
  retries: 0,
  failureThreshold: 1,
  recoveryThreshold: 1,
  agent: 'claude',
  maxSteps: 10,
  allowedHosts: [],
  secrets: ['SEARCH_PW'],
};

it('keeps an all-ASCII secret echoed by a GET form in every encoding out of everything that leaves', async () => {
  const responder: Responder = (body) => {
    const seen = latestObservation(body);
    const done = toolsCalled(body);
    const field = findRef(seen, 'textbox', 'Password');
    if (!done.includes('type_secret') && field) {
      return { tools: [{ name: 'type_secret', input: { ref: field, name: 'SEARCH_PW' } }] };
    }
    if (!done.includes('press_key')) return { tools: [{ name: 'press_key', input: { key: 'Enter' } }] };
    if (!done.includes('snapshot')) return { tools: [{ name: 'snapshot', input: {} }] };
    return verdict(true, `The results page says: ${seen.slice(0, 400)}`, ['Results']);
  };
  h.llm.respond(responder);
  const first = h.llm.calls.length;
  const events: RunEvent[] = [];
  const logs: string[] = [];
  const logger = {
    info: (m: string) => logs.push(m),
    warn: (m: string) => logs.push(m),
    error: (m: string) => logs.push(m),
  };
  const agent = createClaudeAgent({ env: h.env, pool: h.pool, logger, maxRetries: 1 });
  const result = await agent.run({
    test: { ...test, url: `${siteUrl}/` },
    runId: 'run-1',
    secrets: { SEARCH_PW: ALL_ASCII },
    onEvent: (e) => events.push(e),
  });
  const calls = h.llm.calls.slice(first);
  // The page really echoed it: the redaction, not luck, kept it out.
  expect(result.evidence.finalUrl).toContain('/echo?pw=[secret SEARCH_PW]');
  expect(calls.map((c) => latestObservation(c.body)).join('\n')).toContain('You typed:[secret SEARCH_PW]');
  const everything = [
    ...calls.map((c) => c.raw),
    JSON.stringify(events),
    JSON.stringify(logs),
    JSON.stringify(result),
  ].join('\n');
  for (const [name, encode] of Object.entries(ENCODINGS)) {
    expect(everything.includes(encode(ALL_ASCII)), `the secret, written with ${name}`).toBe(false);
  }
});
