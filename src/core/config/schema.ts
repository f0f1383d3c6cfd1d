/**
 * The zod schema of `.github/housecat.yml`: the single source of truth for the format. The JSON
 * Schema in `schema/housecat.schema.json` is generated from it (`npm run schema`).
 *
 * Field-level rules live here; rules that span fields (duplicates, goal-or-expect) live in
 * `validate.ts` so that every problem is reported with its own path.
 */
import { z } from 'zod';
import { SLUG_MAX, SLUG_PATTERN } from '../ids.js';
import { CHANNEL_NAME } from '../notify/channels.js';
import { NOTIFY_EVENTS } from '../notify/message.js';
import { parseDuration } from '../scheduling/maintenance.js';
import { CRON_PATTERN, cronProblem } from './cron.js';
import { hostProblem, secretNameProblem, urlProblem } from './url-rules.js';

/** Limits that catch typos (a timeout of 90000 meant as milliseconds) rather than restrict use. */
export const LIMITS = {
  timeout: { min: 5, max: 600 },
  retries: { min: 0, max: 5 },
  threshold: { min: 1, max: 100 },
  maxSteps: { min: 1, max: 100 },
  maxMs: { min: 1, max: 600_000 },
  goal: 4000,
  name: 200,
} as const;

const refineWith = (check: (value: string) => string | null) => (value: string, ctx: z.RefinementCtx) => {
  const problem = check(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
};

const wholeNumber = (what: string, min: number, max: number, unit = '') =>
  z
    .number({ error: `${what} must be a number` })
    .int({ error: `${what} must be a whole number${unit}` })
    .min(min, { error: `${what} must be at least ${min}${unit}` })
    .max(max, { error: `${what} must be at most ${max}${unit}` });

const cronField = (allowHash: boolean, description: string) =>
  z
    .string({ error: 'schedule must be a cron expression in quotes, e.g. "*/15 * * * *"' })
    .superRefine((value, ctx) => {
      const problem = cronProblem(value, { allowHash });
      if (problem) ctx.addIssue({ code: 'custom', message: `"${value}" — ${problem}` });
    })
    .meta({ description, pattern: CRON_PATTERN });

/** A test's schedule: plain cron or Jenkins' H forms, resolved per test id at sync. */
const schedule = cronField(
  true,
  '5-field cron, UTC (QStash has no seconds field), e.g. "*/15 * * * *". H picks a value per test (Jenkins style): "H/5 * * * *" is every 5 minutes at a minute fixed for this test; H(0-29) picks within a range.',
);

const agent = z
  .enum(['claude', 'tinyfish', 'checks'], {
    error: 'agent must be one of: claude, tinyfish, checks',
  })
  .meta({
    description: 'Who runs the test: claude (Claude + Chromium), tinyfish (hosted agent), checks (no AI).',
  });

const timeout = wholeNumber('timeout', LIMITS.timeout.min, LIMITS.timeout.max, ' (seconds)').meta({
  description: 'Seconds one run may take.',
});
const retries = wholeNumber('retries', LIMITS.retries.min, LIMITS.retries.max).meta({
  description: 'Immediate re-runs of an inconclusive (error) run before it counts.',
});
const failureThreshold = wholeNumber('failure_threshold', LIMITS.threshold.min, LIMITS.threshold.max).meta({
  description: 'Consecutive failed runs before an incident (GitHub issue) opens.',
});
const recoveryThreshold = wholeNumber('recovery_threshold', LIMITS.threshold.min, LIMITS.threshold.max).meta({
  description: 'Consecutive passed runs before the incident closes.',
});
const maxSteps = wholeNumber('max_steps', LIMITS.maxSteps.min, LIMITS.maxSteps.max).meta({
  description: 'Maximum agent actions per run (default 25).',
});
const model = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]*$/, {
    error: 'model must be a model name such as "claude-sonnet-5-5"',
  })
  .meta({
    description: 'Anthropic model for the claude agent (default: HOUSECAT_MODEL or a current Sonnet).',
  });

const host = z
  .string({ error: 'each allowed host must be a string' })
  .superRefine(refineWith(hostProblem))
  .meta({ description: 'A host name the browser may also reach, e.g. "auth.myapp.com" or "*.myapp.com".' });

const secretName = z
  .string({ error: 'each secret must be the name of an environment variable' })
  .superRefine(refineWith(secretNameProblem));

const nonBlank = (what: string, max: number) =>
  z
    .string({ error: `${what} must be text` })
    .refine((v) => v.trim() !== '', { error: `${what} is blank — write it out` })
    .refine((v) => v.length <= max, { error: `${what} is longer than ${max} characters` });

/** The deterministic `expect:` block. */
export const expectSchema = z
  .strictObject({
    status: wholeNumber('status', 100, 599)
      .optional()
      .meta({ description: 'HTTP status of the page, e.g. 200.' }),
    text: z
      .union([
        nonBlank('text', 1000),
        z.array(nonBlank('text', 1000)).min(1, { error: 'text list is empty' }),
      ])
      .optional()
      .meta({ description: 'Text that must all be visible on the page (a string or a list).' }),
    max_ms: wholeNumber('max_ms', LIMITS.maxMs.min, LIMITS.maxMs.max, ' (milliseconds)')
      .optional()
      .meta({ description: 'Maximum response time of the page in milliseconds.' }),
  })
  .meta({ description: 'Deterministic checks that run without any AI.' });

const allowedHosts = z
  .array(host, { error: 'allowed_hosts must be a list of host names' })
  .meta({ description: 'Hosts the browser may reach besides the URL’s own host.' });

/** `notify:` names alert channels; the app's environment says what each is (docs/alerts.md). */
const notify = z
  .array(
    z.string({ error: 'each channel must be a name such as "ops"' }).regex(CHANNEL_NAME, {
      error:
        'a channel name is lower-case letters, digits and _ (it is the <NAME> of HOUSECAT_NOTIFY_<NAME>), e.g. "ops" or "on_call"',
    }),
    { error: 'notify must be a list of channel names, e.g. [ops]' },
  )
  .meta({
    description:
      'Alert channels, by name. Each is configured in the app’s environment as HOUSECAT_NOTIFY_<NAME> (slack+, discord+, teams+, webhook+ or smtp:// URL); the file holds no secrets. [] turns alerts off.',
  });

const notifyOn = z
  .array(z.enum(NOTIFY_EVENTS, { error: `each event must be one of: ${NOTIFY_EVENTS.join(', ')}` }), {
    error: `notify_on must be a list of events: ${NOTIFY_EVENTS.join(', ')}`,
  })
  .meta({
    description:
      'Incident events the channels are told about: opened, resolved, missed (runs stopped), reason_changed, acknowledged. Default [opened, resolved].',
  });

/** The settings a test can inherit from `defaults:` (and override). */
const inheritable = {
  timeout: timeout.optional(),
  retries: retries.optional(),
  failure_threshold: failureThreshold.optional(),
  recovery_threshold: recoveryThreshold.optional(),
  agent: agent.optional(),
  model: model.optional(),
  max_steps: maxSteps.optional(),
  allowed_hosts: allowedHosts.optional(),
  replay: z.boolean({ error: 'replay must be true or false' }).optional().meta({
    description:
      'Replay the script of the last passing agent run before calling the model (default true); the recorded evidence is re-checked on the live page every time.',
  }),
  trace: z.enum(['on-failure', 'off'], { error: 'trace must be "on-failure" or "off"' }).optional().meta({
    description:
      'Record a Playwright trace (trace.zip) and keep it for failed and inconclusive runs: "on-failure"; default "off". The Action uploads it as a workflow artifact; the app offers it on the run page for 7 days.',
  }),
  spread: z.boolean({ error: 'spread must be true or false' }).optional().meta({
    description:
      'Turn a "*/N" minute into "H/N" at sync, so tests on the same period start at different minutes (default false).',
  }),
  notify: notify.optional(),
  notify_on: notifyOn.optional(),
};

/** `maintenance:` windows, at the top level (every test) and per test. */
export const maintenanceSchema = z
  .array(
    z
      .strictObject({
        schedule: cronField(false, 'When the window opens: 5-field cron, UTC, e.g. "0 2 * * SUN" (no H).'),
        duration: z
          .string({ error: 'duration must be text such as "90m" or "2h"' })
          .superRefine((value, ctx) => {
            const parsed = parseDuration(value);
            if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
          })
          .meta({
            description: 'How long the window stays open: "90m", "2h", "1h30m", "1d" (at most 7 days).',
          }),
      })
      .meta({ description: 'A recurring maintenance window.' }),
    { error: 'maintenance must be a list of windows, each with schedule and duration' },
  )
  .meta({
    description:
      'Maintenance windows: scheduled runs inside one are recorded as skipped and open no incident; PR checks and manual runs ignore them.',
  });

/** Settings every test inherits unless it sets its own. */
export const defaultsSchema = z
  .strictObject({ schedule: schedule.optional(), ...inheritable })
  .meta({ description: 'Settings every test inherits unless it sets its own.' });

/** One test as written in the file. */
export const testSchema = z
  .strictObject({
    name: nonBlank('name', LIMITS.name).meta({
      description: 'Unique name of the test, shown in reports and issues.',
    }),
    id: z
      .string({ error: 'id must be text' })
      .regex(SLUG_PATTERN, {
        error: 'id must be a slug: lowercase letters and digits joined by single hyphens, e.g. "login-flow"',
      })
      .max(SLUG_MAX, { error: `id must be at most ${SLUG_MAX} characters` })
      .optional()
      .meta({
        description: 'Stable slug of the test (default: the slug of its name). Keep it when renaming.',
      }),
    url: z
      .string({ error: 'url must be text, e.g. "https://myapp.com/login"' })
      .superRefine(refineWith(urlProblem))
      .meta({ description: 'The page the test starts on (http or https).' }),
    goal: nonBlank('goal', LIMITS.goal).optional().meta({
      description: 'What a user wants to achieve, in plain English; the AI agent decides whether it was met.',
    }),
    schedule: schedule.nullable().optional().meta({
      description: '5-field cron, UTC; null: no schedule even when defaults has one (PR checks only).',
    }),
    ...inheritable,
    secrets: z
      .array(secretName, { error: 'secrets must be a list of environment variable names' })
      .optional()
      .meta({
        description:
          'Environment variables whose values the agent may type; the model sees only their names.',
      }),
    expect: expectSchema.optional(),
    maintenance: maintenanceSchema.optional(),
  })
  .meta({ description: 'One end-to-end test.' });

/** `status_page:`: the repository's public status page, badges and read API (off unless `public: true`). */
export const statusPageSchema = z
  .strictObject({
    public: z.boolean({ error: 'public must be true or false' }).optional().meta({
      description:
        'Serve /status/{owner}/{repo}, badges and /api/v1/status to anyone. Default false: all of them answer 404 / "unknown".',
    }),
    title: nonBlank('title', LIMITS.name).optional().meta({
      description: 'Heading of the status page (default: the repository name).',
    }),
    show_goals: z.boolean({ error: 'show_goals must be true or false' }).optional().meta({
      description:
        'Also show each test’s goal and last reason on the public page. Default false: names, states and numbers only.',
    }),
  })
  .meta({ description: 'The public status page of this repository’s tests (opt-in).' });

/** The whole definitions file. */
export const fileSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: 'Path or URL of this JSON Schema, for editors.' }),
    version: z
      .literal(1, { error: 'version must be 1 — the only format this HouseCat understands' })
      .optional()
      .meta({ description: 'Format version; 1.' }),
    defaults: defaultsSchema.optional(),
    status_page: statusPageSchema.optional(),
    maintenance: maintenanceSchema.optional(),
    notify: notify.optional(),
    notify_on: notifyOn.optional(),
    tests: z
      .array(testSchema, { error: 'tests must be a list of tests (each starting with "- name:")' })
      .min(1, { error: 'tests is empty — add at least one test' }),
  })
  .meta({ title: 'HouseCat tests', description: 'End-to-end tests in plain English: .github/housecat.yml' });

export type RawFile = z.infer<typeof fileSchema>;
export type RawTest = z.infer<typeof testSchema>;

/** Defaults applied when neither the test nor `defaults:` set a value. */
export const BUILT_IN_DEFAULTS = {
  timeout: 120,
  retries: 1,
  failureThreshold: 2,
  recoveryThreshold: 1,
  agent: 'claude',
  maxSteps: 25,
} as const;
