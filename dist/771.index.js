export const id = 771;
export const ids = [771];
export const modules = {

/***/ 59071:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  B: () => (/* binding */ DEFAULT_CONFIG_PATH),
  J: () => (/* binding */ loadDefinitionsFile)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./node_modules/js-yaml/dist/js-yaml.mjs
var js_yaml = __webpack_require__(33243);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(38815);
// EXTERNAL MODULE: ./lib/core/ids.js
var core_ids = __webpack_require__(2885);
;// CONCATENATED MODULE: ./lib/core/config/cross-checks.js
/**
 * Rules that span fields or tests: duplicates, goal-or-expect, agent/goal agreement. They read the
 * plain parsed YAML defensively, so they run even when other fields are invalid and every problem
 * is reported in one pass.
 */

const isPlain = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
/** Checks every test against the others and against `defaults`. */
function crossChecks(file) {
    if (!isPlain(file) || !Array.isArray(file.tests))
        return [];
    const defaults = isPlain(file.defaults) ? file.defaults : {};
    const problems = [];
    const names = new Map();
    const ids = new Map();
    file.tests.forEach((test, index) => {
        if (!isPlain(test)) {
            problems.push({
                path: ['tests', index],
                message: 'each test must be a mapping that starts with "name:"',
            });
            return;
        }
        const hasGoal = typeof test.goal === 'string' && test.goal.trim() !== '';
        const hasExpect = test.expect !== undefined && test.expect !== null;
        if (!('goal' in test) && !hasExpect) {
            problems.push({
                path: ['tests', index],
                message: 'this test has neither `goal` nor `expect` — add a goal in plain English, deterministic checks, or both',
            });
        }
        if (isPlain(test.expect) && Object.keys(test.expect).length === 0) {
            problems.push({
                path: ['tests', index, 'expect'],
                message: '`expect` is empty — add `status`, `text` or `max_ms`, or remove it',
            });
        }
        const agent = test.agent ?? defaults.agent;
        if (hasGoal && agent === 'checks') {
            const from = test.agent === undefined ? ' (from defaults.agent)' : '';
            problems.push({
                path: ['tests', index, 'goal'],
                message: `a goal needs an AI agent, but agent is "checks"${from} — set \`agent: claude\` or \`agent: tinyfish\`, or remove the goal`,
            });
        }
        if (!('goal' in test) && (test.agent === 'claude' || test.agent === 'tinyfish')) {
            problems.push({
                path: ['tests', index, 'agent'],
                message: `agent "${test.agent}" needs a \`goal\` — add one, or use \`agent: checks\``,
            });
        }
        if (typeof test.name === 'string' && test.name.trim() !== '') {
            const key = test.name.trim().toLowerCase();
            const first = names.get(key);
            const duplicateName = first !== undefined;
            if (first !== undefined) {
                problems.push({
                    path: ['tests', index, 'name'],
                    message: `duplicate name "${test.name}" — tests[${first}] already uses it; names must be unique in the file`,
                });
            }
            else
                names.set(key, index);
            const explicit = typeof test.id === 'string';
            const slug = explicit ? test.id : (0,core_ids/* slugify */.Yv)(test.name);
            if (!explicit && slug === '') {
                problems.push({
                    path: ['tests', index, 'name'],
                    message: `cannot derive an id from "${test.name}" (no letters or digits) — add \`id: some-slug\``,
                });
            }
            else if (slug !== '' && !(duplicateName && !explicit)) {
                const firstId = ids.get(slug);
                if (firstId !== undefined) {
                    problems.push({
                        path: ['tests', index, explicit ? 'id' : 'name'],
                        message: `duplicate id "${slug}" — tests[${firstId}] has the same id${explicit ? '' : ' (derived from its name)'}; set a distinct \`id:\``,
                    });
                }
                else
                    ids.set(slug, index);
            }
        }
    });
    return problems;
}
//# sourceMappingURL=cross-checks.js.map
;// CONCATENATED MODULE: ./lib/core/config/locate.js
/**
 * Maps a field path of the parsed definitions back to the line and column in the YAML source, so
 * every problem can be reported as `FILE:LINE:COL: FIELD-PATH: message`.
 */

/** Renders `['tests', 2, 'schedule']` as `tests[2].schedule`. */
function formatPath(path) {
    let out = '';
    for (const segment of path) {
        if (typeof segment === 'number')
            out += `[${segment}]`;
        else
            out += out === '' ? segment : `.${segment}`;
    }
    return out;
}
function child(node, segment) {
    if ((0,dist/* isMap */.jh)(node)) {
        for (const item of node.items) {
            if (!(0,dist/* isPair */.tO)(item))
                continue;
            const key = (0,dist/* isScalar */.jn)(item.key) ? item.key.value : item.key;
            if (String(key) === String(segment)) {
                return { node: item.value ?? null, key: item.key ?? null };
            }
        }
        return null;
    }
    if ((0,dist/* isSeq */.oP)(node) && typeof segment === 'number') {
        const item = node.items[segment];
        return item === undefined ? null : { node: item, key: null };
    }
    return null;
}
/**
 * Finds the position of the value at `path` (or of its key, with `at: 'key'`). When the path does
 * not exist (a missing field), the position of the deepest existing ancestor is returned.
 */
function locate(doc, lines, path, at = 'value') {
    let node = doc.contents;
    let keyNode = null;
    let found = true;
    for (const segment of path) {
        const next = child(node, segment);
        if (!next) {
            found = false;
            break;
        }
        keyNode = next.key;
        // `key:` with no value: point at the key.
        node = next.node ?? next.key;
    }
    const target = (found && at === 'key' && keyNode ? keyNode : node);
    const offset = target?.range?.[0] ?? 0;
    const pos = lines.linePos(offset);
    return { line: pos.line, column: pos.col };
}
//# sourceMappingURL=locate.js.map
// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 17 modules
var schemas = __webpack_require__(38816);
;// CONCATENATED MODULE: ./lib/core/config/cron.js
/**
 * Validation of 5-field cron expressions as QStash accepts them (UTC, no seconds field).
 * Returns a message a person can act on, or `null` when the expression is valid.
 */
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const FIELDS = [
    { name: 'minute', min: 0, max: 59 },
    { name: 'hour', min: 0, max: 23 },
    { name: 'day of month', min: 1, max: 31 },
    { name: 'month', min: 1, max: 12, names: MONTHS, namesFrom: 1 },
    // 7 is Sunday too, as in every common cron.
    { name: 'day of week', min: 0, max: 7, names: DAYS, namesFrom: 0 },
];
const FORMAT_HINT = 'use 5 fields: minute hour day-of-month month day-of-week, e.g. "*/15 * * * *"';
function parseValue(raw, spec) {
    const upper = raw.toUpperCase();
    if (spec.names) {
        const index = spec.names.indexOf(upper);
        if (index >= 0)
            return index + (spec.namesFrom ?? 0);
    }
    if (!/^\d+$/.test(raw)) {
        const names = spec.names ? ` or ${spec.names[0]}-${spec.names[spec.names.length - 1]}` : '';
        return `${spec.name} "${raw}" is not a number${names ? ` (use ${spec.min}-${spec.max}${names})` : ` (use ${spec.min}-${spec.max})`}`;
    }
    const value = Number(raw);
    if (value < spec.min || value > spec.max)
        return `${spec.name} must be ${spec.min}-${spec.max}`;
    return value;
}
function checkItem(item, spec) {
    if (item === '')
        return `${spec.name} has an empty list item (check for a stray comma)`;
    const [base, step, ...extra] = item.split('/');
    if (extra.length > 0 || base === undefined)
        return `${spec.name} "${item}" has more than one "/"`;
    if (step !== undefined) {
        if (!/^\d+$/.test(step) || Number(step) < 1) {
            return `${spec.name} step "/${step}" must be a whole number of at least 1`;
        }
        if (Number(step) > spec.max)
            return `${spec.name} step "/${step}" must be at most ${spec.max}`;
    }
    if (base === '*')
        return null;
    const [from, to, ...more] = base.split('-');
    if (more.length > 0 || from === undefined)
        return `${spec.name} range "${base}" has more than one "-"`;
    const start = parseValue(from, spec);
    if (typeof start === 'string')
        return start;
    if (to === undefined)
        return null;
    const end = parseValue(to, spec);
    if (typeof end === 'string')
        return end;
    if (start > end)
        return `${spec.name} range "${base}" runs backwards (write it low-high)`;
    return null;
}
/** Checks a cron expression; returns a message (without the expression itself) or `null`. */
function cronProblem(expression) {
    const trimmed = expression.trim();
    if (trimmed === '')
        return `the schedule is empty — ${FORMAT_HINT}`;
    if (trimmed.startsWith('@'))
        return `shortcuts like "${trimmed}" are not supported — ${FORMAT_HINT}`;
    const fields = trimmed.split(/\s+/);
    if (fields.length === 6) {
        return `has 6 fields, but QStash cron has no seconds field — ${FORMAT_HINT}`;
    }
    if (fields.length !== 5)
        return `has ${fields.length} field${fields.length === 1 ? '' : 's'} — ${FORMAT_HINT}`;
    for (let i = 0; i < 5; i++) {
        const spec = FIELDS[i];
        for (const item of fields[i].split(',')) {
            const problem = checkItem(item, spec);
            if (problem)
                return problem;
        }
    }
    return null;
}
/** A loose pattern for editors (JSON Schema); the real check is {@link cronProblem}. */
const CRON_PATTERN = '^\\s*\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s*$';
//# sourceMappingURL=cron.js.map
;// CONCATENATED MODULE: ./lib/core/config/url-rules.js
/**
 * Rules for the URLs and host names a definitions file may contain. Each returns a message or null.
 */
const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;
/** A test URL must be plain http(s), parse, have a host and carry no credentials. */
function urlProblem(raw) {
    const value = raw.trim();
    if (value === '')
        return 'the URL is empty — write the full address, e.g. "https://myapp.com/login"';
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase();
    if (scheme && scheme !== 'http' && scheme !== 'https') {
        return `"${scheme}:" URLs are not allowed — only http:// and https:// pages can be tested`;
    }
    if (!scheme)
        return `"${value}" is missing its scheme — write "https://${value.replace(/^\/+/, '')}"`;
    let url;
    try {
        url = new URL(value);
    }
    catch {
        return `"${value}" is not a valid URL — check for spaces or stray characters`;
    }
    if (!url.hostname)
        return `"${value}" has no host name`;
    if (url.username || url.password) {
        return 'the URL contains a user name or password — remove it and list the password under `secrets:` instead';
    }
    if (value.length > 2048)
        return 'the URL is longer than 2048 characters';
    return null;
}
/**
 * An `allowed_hosts` entry: a host name (optionally `*.` for every subdomain) or an IP literal,
 * optionally with `:port`. No scheme, no path.
 */
function hostProblem(raw) {
    const value = raw.trim().toLowerCase();
    if (value.includes('://') || value.includes('/')) {
        return `"${raw}" is a URL, not a host name — write just the host, e.g. "auth.myapp.com"`;
    }
    const match = /^(\*\.)?(\[[0-9a-f:.]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(value);
    if (!match)
        return `"${raw}" is not a host name (e.g. "auth.myapp.com" or "*.myapp.com")`;
    const [, wildcard, host, port] = match;
    if (port !== undefined && (Number(port) < 1 || Number(port) > 65535))
        return `port ${port} must be 1-65535`;
    if (host === undefined)
        return `"${raw}" is not a host name`;
    if (host.startsWith('['))
        return wildcard ? `"${raw}": "*." cannot prefix an IP address` : null;
    const labels = host.replace(/\.$/, '').split('.');
    if (host.length > 253 || labels.some((label) => !HOST_LABEL.test(label))) {
        return `"${raw}" is not a host name — use letters, digits, hyphens and dots (e.g. "auth.myapp.com")`;
    }
    return null;
}
/** Environment variable names HouseCat itself uses: a test may never have the agent type them. */
const RESERVED_SECRET_NAMES = new Set([
    'ANTHROPIC_API_KEY',
    'UPSTASH_REDIS_REST_TOKEN',
    'UPSTASH_REDIS_REST_URL',
    'REDIS_URL',
    'QSTASH_TOKEN',
    'QSTASH_CURRENT_SIGNING_KEY',
    'QSTASH_NEXT_SIGNING_KEY',
    'TINYFISH_API_KEY',
    'GITHUB_TOKEN',
    'PRIVATE_KEY',
    'WEBHOOK_SECRET',
    'ACTIONS_RUNTIME_TOKEN',
    'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
]);
/** A secret name must be an environment variable name and not one of HouseCat's own credentials. */
function secretNameProblem(name) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        return `"${name}" is not an environment variable name — use letters, digits and underscores, e.g. "DEMO_PASSWORD"`;
    }
    if (RESERVED_SECRET_NAMES.has(name.toUpperCase())) {
        return `"${name}" is one of HouseCat's own credentials and can never be typed into a page — use a separate variable for the test account`;
    }
    return null;
}
//# sourceMappingURL=url-rules.js.map
;// CONCATENATED MODULE: ./lib/core/config/schema.js
/**
 * The zod schema of `.github/housecat.yml`: the single source of truth for the format. The JSON
 * Schema in `schema/housecat.schema.json` is generated from it (`npm run schema`).
 *
 * Field-level rules live here; rules that span fields (duplicates, goal-or-expect) live in
 * `validate.ts` so that every problem is reported with its own path.
 */




/** Limits that catch typos (a timeout of 90000 meant as milliseconds) rather than restrict use. */
const LIMITS = {
    timeout: { min: 5, max: 600 },
    retries: { min: 0, max: 5 },
    threshold: { min: 1, max: 100 },
    maxSteps: { min: 1, max: 100 },
    maxMs: { min: 1, max: 600_000 },
    goal: 4000,
    name: 200,
};
const refineWith = (check) => (value, ctx) => {
    const problem = check(value);
    if (problem)
        ctx.addIssue({ code: 'custom', message: problem });
};
const wholeNumber = (what, min, max, unit = '') => schemas/* number */.aig({ error: `${what} must be a number` })
    .int({ error: `${what} must be a whole number${unit}` })
    .min(min, { error: `${what} must be at least ${min}${unit}` })
    .max(max, { error: `${what} must be at most ${max}${unit}` });
const schedule = schemas/* string */.YjP({ error: 'schedule must be a cron expression in quotes, e.g. "*/15 * * * *"' })
    .superRefine((value, ctx) => {
    const problem = cronProblem(value);
    if (problem)
        ctx.addIssue({ code: 'custom', message: `"${value}" — ${problem}` });
})
    .meta({
    description: '5-field cron, UTC (QStash has no seconds field), e.g. "*/15 * * * *".',
    pattern: CRON_PATTERN,
});
const agent = schemas/* enum */.k5n(['claude', 'tinyfish', 'checks'], {
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
const model = schemas/* string */.YjP()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]*$/, {
    error: 'model must be a model name such as "claude-sonnet-5-5"',
})
    .meta({
    description: 'Anthropic model for the claude agent (default: HOUSECAT_MODEL or a current Sonnet).',
});
const host = schemas/* string */.YjP({ error: 'each allowed host must be a string' })
    .superRefine(refineWith(hostProblem))
    .meta({ description: 'A host name the browser may also reach, e.g. "auth.myapp.com" or "*.myapp.com".' });
const secretName = schemas/* string */.YjP({ error: 'each secret must be the name of an environment variable' })
    .superRefine(refineWith(secretNameProblem));
const nonBlank = (what, max) => schemas/* string */.YjP({ error: `${what} must be text` })
    .refine((v) => v.trim() !== '', { error: `${what} is blank — write it out` })
    .refine((v) => v.length <= max, { error: `${what} is longer than ${max} characters` });
/** The deterministic `expect:` block. */
const expectSchema = schemas/* strictObject */.rej({
    status: wholeNumber('status', 100, 599)
        .optional()
        .meta({ description: 'HTTP status of the page, e.g. 200.' }),
    text: schemas/* union */.KCZ([
        nonBlank('text', 1000),
        schemas/* array */.YOg(nonBlank('text', 1000)).min(1, { error: 'text list is empty' }),
    ])
        .optional()
        .meta({ description: 'Text that must all be visible on the page (a string or a list).' }),
    max_ms: wholeNumber('max_ms', LIMITS.maxMs.min, LIMITS.maxMs.max, ' (milliseconds)')
        .optional()
        .meta({ description: 'Maximum response time of the page in milliseconds.' }),
})
    .meta({ description: 'Deterministic checks that run without any AI.' });
const allowedHosts = schemas/* array */.YOg(host, { error: 'allowed_hosts must be a list of host names' })
    .meta({ description: 'Hosts the browser may reach besides the URL’s own host.' });
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
};
/** Settings every test inherits unless it sets its own. */
const defaultsSchema = schemas/* strictObject */.rej({ schedule: schedule.optional(), ...inheritable })
    .meta({ description: 'Settings every test inherits unless it sets its own.' });
/** One test as written in the file. */
const testSchema = schemas/* strictObject */.rej({
    name: nonBlank('name', LIMITS.name).meta({
        description: 'Unique name of the test, shown in reports and issues.',
    }),
    id: schemas/* string */.YjP({ error: 'id must be text' })
        .regex(core_ids/* SLUG_PATTERN */.ZT, {
        error: 'id must be a slug: lowercase letters and digits joined by single hyphens, e.g. "login-flow"',
    })
        .max(core_ids/* SLUG_MAX */.PC, { error: `id must be at most ${core_ids/* SLUG_MAX */.PC} characters` })
        .optional()
        .meta({
        description: 'Stable slug of the test (default: the slug of its name). Keep it when renaming.',
    }),
    url: schemas/* string */.YjP({ error: 'url must be text, e.g. "https://myapp.com/login"' })
        .superRefine(refineWith(urlProblem))
        .meta({ description: 'The page the test starts on (http or https).' }),
    goal: nonBlank('goal', LIMITS.goal).optional().meta({
        description: 'What a user wants to achieve, in plain English; the AI agent decides whether it was met.',
    }),
    schedule: schedule.nullable().optional().meta({
        description: '5-field cron, UTC; null: no schedule even when defaults has one (PR checks only).',
    }),
    ...inheritable,
    secrets: schemas/* array */.YOg(secretName, { error: 'secrets must be a list of environment variable names' })
        .optional()
        .meta({
        description: 'Environment variables whose values the agent may type; the model sees only their names.',
    }),
    expect: expectSchema.optional(),
})
    .meta({ description: 'One end-to-end test.' });
/** The whole definitions file. */
const fileSchema = schemas/* strictObject */.rej({
    $schema: schemas/* string */.YjP().optional().meta({ description: 'Path or URL of this JSON Schema, for editors.' }),
    version: schemas/* literal */.euz(1, { error: 'version must be 1 — the only format this HouseCat understands' })
        .optional()
        .meta({ description: 'Format version; 1.' }),
    defaults: defaultsSchema.optional(),
    tests: schemas/* array */.YOg(testSchema, { error: 'tests must be a list of tests (each starting with "- name:")' })
        .min(1, { error: 'tests is empty — add at least one test' }),
})
    .meta({ title: 'HouseCat tests', description: 'End-to-end tests in plain English: .github/housecat.yml' });
/** Defaults applied when neither the test nor `defaults:` set a value. */
const BUILT_IN_DEFAULTS = {
    timeout: 120,
    retries: 1,
    failureThreshold: 2,
    recoveryThreshold: 1,
    agent: 'claude',
    maxSteps: 25,
};
//# sourceMappingURL=schema.js.map
;// CONCATENATED MODULE: ./lib/core/config/resolve.js
/**
 * Turns a validated file into resolved {@link TestDefinition}s: defaults applied, ids derived.
 */


function hosts(...lists) {
    const all = lists.flatMap((list) => list ?? []).map((h) => h.trim().toLowerCase());
    return [...new Set(all)];
}
/** Applies `defaults:` and the built-in defaults to every test of a valid file. */
function resolveTests(file, repo) {
    const d = file.defaults ?? {};
    return file.tests.map((t) => {
        const slug = t.id ?? (0,core_ids/* slugify */.Yv)(t.name);
        const goal = t.goal?.trim();
        const agent = goal ? (t.agent ?? d.agent ?? BUILT_IN_DEFAULTS.agent) : 'checks';
        const schedule = t.schedule === null ? undefined : (t.schedule ?? d.schedule);
        const text = t.expect?.text === undefined ? undefined : [t.expect.text].flat();
        const definition = {
            id: (0,core_ids/* testId */.ec)(repo, slug),
            slug,
            repo,
            name: t.name.trim(),
            url: t.url.trim(),
            timeout: t.timeout ?? d.timeout ?? BUILT_IN_DEFAULTS.timeout,
            retries: t.retries ?? d.retries ?? BUILT_IN_DEFAULTS.retries,
            failureThreshold: t.failure_threshold ?? d.failure_threshold ?? BUILT_IN_DEFAULTS.failureThreshold,
            recoveryThreshold: t.recovery_threshold ?? d.recovery_threshold ?? BUILT_IN_DEFAULTS.recoveryThreshold,
            agent,
            maxSteps: t.max_steps ?? d.max_steps ?? BUILT_IN_DEFAULTS.maxSteps,
            allowedHosts: hosts(d.allowed_hosts, t.allowed_hosts),
            secrets: [...new Set(t.secrets ?? [])],
        };
        if (goal)
            definition.goal = goal;
        if (schedule)
            definition.schedule = schedule.trim().replace(/\s+/g, ' ');
        const model = t.model ?? d.model;
        if (model)
            definition.model = model;
        if (t.expect) {
            definition.expect = {};
            if (t.expect.status !== undefined)
                definition.expect.status = t.expect.status;
            if (text)
                definition.expect.text = text;
            if (t.expect.max_ms !== undefined)
                definition.expect.maxMs = t.expect.max_ms;
        }
        return definition;
    });
}
//# sourceMappingURL=resolve.js.map
;// CONCATENATED MODULE: ./lib/core/config/suggest.js
/** "Did you mean …?" for unknown keys. */
function distance(a, b) {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        let previous = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const current = row[j];
            row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
            previous = current;
        }
    }
    return row[b.length];
}
/** The closest known key within an edit distance of 2 (or a case/separator variant), if any. */
function closest(unknown, known) {
    const normal = unknown.toLowerCase().replace(/-/g, '_');
    const exact = known.find((k) => k === normal);
    if (exact)
        return exact;
    let best;
    let bestDistance = 3;
    for (const candidate of known) {
        const d = distance(normal, candidate);
        if (d < bestDistance) {
            best = candidate;
            bestDistance = d;
        }
    }
    return best;
}
//# sourceMappingURL=suggest.js.map
;// CONCATENATED MODULE: ./lib/core/config/parse.js
/**
 * Parses and validates a definitions file, reporting every problem at once with its line, column
 * and field path. Pure: the caller reads the file (see adapters/definitions-file.ts).
 */







/** Largest definitions file accepted; anything bigger is a mistake or an attack. */
const MAX_FILE_BYTES = 1024 * 1024;
/** Aliases a file may expand: enough for real reuse of `defaults`, far too few for a "billion laughs". */
const MAX_ALIAS_COUNT = 100;
const EXAMPLE_HINT = 'see examples/housecat.yml';
function knownKeys(path) {
    const shape = path.length === 0
        ? fileSchema.shape
        : path[0] === 'defaults'
            ? defaultsSchema.shape
            : path.at(-1) === 'expect'
                ? expectSchema.shape
                : testSchema.shape;
    return Object.keys(shape);
}
function valueAt(root, path) {
    let node = root;
    for (const segment of path) {
        if (node === null || typeof node !== 'object' || !(segment in node)) {
            return { exists: false, value: undefined };
        }
        node = node[segment];
    }
    return { exists: true, value: node };
}
function describeValue(value) {
    if (value === null)
        return 'nothing (null)';
    if (typeof value === 'string')
        return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
    if (Array.isArray(value))
        return 'a list';
    if (typeof value === 'object')
        return 'a mapping';
    return String(value);
}
/** Turns one zod issue into one or more (for unknown keys) located problems. */
function fromIssue(issue, root) {
    const path = issue.path.filter((s) => typeof s !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => {
            const suggestion = closest(key, knownKeys(path));
            const hint = suggestion
                ? ` — did you mean "${suggestion}"?`
                : ` — allowed here: ${knownKeys(path).join(', ')}`;
            return { path: [...path, key], message: `unknown key "${key}"${hint}`, at: 'key' };
        });
    }
    const { exists, value } = valueAt(root, path);
    const field = String(path.at(-1) ?? 'file');
    if (!exists) {
        if (field === 'tests' && path.length === 1) {
            return [{ path, message: `\`tests\` is missing — add a list of tests (${EXAMPLE_HINT})`, at: 'value' }];
        }
        const example = field === 'url' ? ' (e.g. url: https://myapp.com/login)' : '';
        return [{ path, message: `\`${field}\` is missing — every test needs one${example}`, at: 'value' }];
    }
    if (issue.code === 'invalid_union' && field === 'text') {
        return [
            {
                path,
                message: `text must be a string or a list of strings, not ${describeValue(value)}`,
                at: 'value',
            },
        ];
    }
    if (issue.code === 'invalid_type') {
        // YAML reads `name: 012` or `name: yes`-like values as numbers or booleans.
        const quote = issue.expected === 'string' && (typeof value === 'number' || typeof value === 'boolean');
        const hint = quote ? ' — put the value in quotes to make it text' : '';
        return [{ path, message: `${issue.message} (found ${describeValue(value)})${hint}`, at: 'value' }];
    }
    return [{ path, message: issue.message, at: 'value' }];
}
/** Parses `source` (the text of `file`) into resolved tests for `repo`, or every problem found. */
function parseDefinitions(source, options) {
    const { file } = options;
    const at = (line, column, path, message) => ({
        file,
        line,
        column,
        path,
        message,
    });
    if (Buffer.byteLength(source, 'utf8') > MAX_FILE_BYTES) {
        return {
            ok: false,
            diagnostics: [at(1, 1, '', `the file is larger than 1 MiB — split it or remove generated content`)],
        };
    }
    if (source.trim() === '' || source.split('\n').every((l) => l.trim() === '' || l.trim().startsWith('#'))) {
        return {
            ok: false,
            diagnostics: [at(1, 1, '', `the file is empty — add a \`tests:\` list (${EXAMPLE_HINT})`)],
        };
    }
    const fast = options.careful ? null : parseFast(source, options.repo);
    if (fast)
        return fast;
    const lines = new dist/* LineCounter */.HN();
    const doc = (0,dist/* parseDocument */.Tp)(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    if (doc.errors.length > 0) {
        return {
            ok: false,
            diagnostics: doc.errors.map((error) => {
                const pos = lines.linePos(error.pos[0]);
                const message = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? 'invalid YAML';
                return at(pos.line, pos.col, '', `YAML syntax error: ${message}`);
            }),
        };
    }
    let data;
    try {
        data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    }
    catch (error) {
        const tooMany = error instanceof Error && /alias/i.test(error.message);
        return {
            ok: false,
            diagnostics: [
                at(1, 1, '', tooMany
                    ? `too many YAML aliases (*refs) are expanded — the file looks like an "alias bomb"; write the values out instead`
                    : `the YAML could not be read: ${error.message}`),
            ],
        };
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
        return {
            ok: false,
            diagnostics: [
                at(1, 1, '', `the file must be a mapping with a \`tests:\` list, not ${describeValue(data)} (${EXAMPLE_HINT})`),
            ],
        };
    }
    const problems = [];
    const settings = withoutExtensions(data);
    const parsed = fileSchema.safeParse(settings);
    if (!parsed.success)
        for (const issue of parsed.error.issues)
            problems.push(...fromIssue(issue, settings));
    for (const p of crossChecks(settings))
        problems.push({ ...p, at: p.at ?? 'value' });
    if (problems.length > 0 || !parsed.success) {
        const diagnostics = problems.map((p) => {
            const pos = locate(doc, lines, p.path, p.at);
            return at(pos.line, pos.column, formatPath(p.path), p.message);
        });
        diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
        return { ok: false, diagnostics: dedupe(diagnostics) };
    }
    return { ok: true, tests: resolveTests(parsed.data, options.repo) };
}
/** Top-level `x-…` keys hold YAML anchors for reuse (as in Compose files); they are not settings. */
function withoutExtensions(data) {
    return Object.fromEntries(Object.entries(data).filter(([key]) => !key.startsWith('x-')));
}
/** An anchor (`&name`) anywhere: such files take the careful path, which bounds alias expansion. */
const ANCHOR = /(?:^|[\s,[{:-])&[^\s,[\]{}]/;
/**
 * The fast path for the common case, a valid file without anchors: js-yaml parses about six times
 * faster than the position-tracking parser. It answers only when the file is valid; anything else
 * (a syntax error, a problem to report, anchors) returns `null`, and the careful path reports it
 * with lines and columns. Both use the YAML 1.2 core schema, reject duplicate keys and multiple
 * documents, so they agree on what a valid file means (tests/core/config/parse.test.ts checks it).
 */
function parseFast(source, repo) {
    if (ANCHOR.test(source))
        return null;
    let data;
    try {
        data = (0,js_yaml/* load */.Hh)(source, { schema: js_yaml/* CORE_SCHEMA */.OU });
    }
    catch {
        return null;
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data))
        return null;
    const settings = withoutExtensions(data);
    const parsed = fileSchema.safeParse(settings);
    if (!parsed.success || crossChecks(settings).length > 0)
        return null;
    return { ok: true, tests: resolveTests(parsed.data, repo) };
}
function dedupe(diagnostics) {
    const seen = new Set();
    return diagnostics.filter((d) => {
        const key = `${d.line}:${d.column}:${d.path}:${d.message}`;
        if (seen.has(key))
            return false;
        seen.add(key);
        return true;
    });
}
//# sourceMappingURL=parse.js.map
// EXTERNAL MODULE: ./lib/core/errors.js
var errors = __webpack_require__(3828);
;// CONCATENATED MODULE: ./lib/adapters/definitions-file.js
/**
 * Reads a definitions file from disk and parses it. The only file-system access of the config path.
 */




/** Default location of the definitions file, relative to the repository root. */
const DEFAULT_CONFIG_PATH = '.github/housecat.yml';
/**
 * Loads and validates `path` for `repo`. Problems in the file (an oversized one included) come back
 * as diagnostics; a missing or unreadable file throws a {@link ConfigError} that names the path it
 * looked at.
 */
async function loadDefinitionsFile(path, repo) {
    const absolute = (0,external_node_path_.resolve)(path);
    const shown = (0,external_node_path_.relative)(process.cwd(), absolute) || path;
    let size;
    try {
        const info = await (0,promises_.stat)(absolute);
        if (info.isDirectory())
            throw new errors/* ConfigError */.xL(`${shown} is a directory — pass the path of the YAML file`);
        size = info.size;
    }
    catch (error) {
        if (error instanceof errors/* ConfigError */.xL)
            throw error;
        const code = error.code;
        if (code === 'ENOENT') {
            throw new errors/* ConfigError */.xL(`no definitions file at ${absolute} — create ${DEFAULT_CONFIG_PATH} (see examples/housecat.yml) or pass --config PATH`);
        }
        throw new errors/* ConfigError */.xL(`cannot read ${absolute}: ${error.message}`);
    }
    if (size > MAX_FILE_BYTES) {
        // A problem with the file's content like any other (exit 1), found without reading it.
        const message = `the file is ${(size / 1024 / 1024).toFixed(1)} MiB; the limit is 1 MiB — split it or remove generated content`;
        return { ok: false, diagnostics: [{ file: shown, line: 1, column: 1, path: '', message }] };
    }
    const source = await (0,promises_.readFile)(absolute, 'utf8');
    return parseDefinitions(source, { file: shown, repo });
}
//# sourceMappingURL=definitions-file.js.map

/***/ }),

/***/ 77063:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   RS: () => (/* binding */ allowPrivateNetwork),
/* harmony export */   ql: () => (/* binding */ readSecrets),
/* harmony export */   sx: () => (/* binding */ readEnv)
/* harmony export */ });
/**
 * The one place HouseCat reads `process.env`. Entry points call {@link readEnv} once and pass the
 * typed result down; nothing else touches the environment.
 */
const KEYS = [
    'UPSTASH_REDIS_REST_URL',
    'UPSTASH_REDIS_REST_TOKEN',
    'REDIS_URL',
    'HOUSECAT_REDIS_PREFIX',
    'HOUSECAT_RETENTION_DAYS',
    'QSTASH_URL',
    'QSTASH_TOKEN',
    'QSTASH_CURRENT_SIGNING_KEY',
    'QSTASH_NEXT_SIGNING_KEY',
    'ANTHROPIC_API_KEY',
    'ANTHROPIC_BASE_URL',
    'HOUSECAT_MODEL',
    'TINYFISH_API_KEY',
    'TINYFISH_URL',
    'HOUSECAT_CHROMIUM',
    'HOUSECAT_ALLOW_PRIVATE_NETWORK',
    'HOUSECAT_PUBLIC_URL',
    'GITHUB_REPOSITORY',
    'GITHUB_TOKEN',
    'GITHUB_API_URL',
    'APP_ID',
    'PRIVATE_KEY',
    'PRIVATE_KEY_PATH',
    'WEBHOOK_SECRET',
    'PORT',
    'GHE_HOST',
    'GHE_PROTOCOL',
];
/** Picks HouseCat's variables out of an environment (default `process.env`); blank values count as unset. */
function readEnv(source = process.env) {
    const env = {};
    for (const key of KEYS) {
        const value = source[key];
        if (value !== undefined && value.trim() !== '')
            env[key] = value.trim();
    }
    return env;
}
/** True when private-network targets are allowed (local development and the test suite only). */
function allowPrivateNetwork(env) {
    return env.HOUSECAT_ALLOW_PRIVATE_NETWORK === '1' || env.HOUSECAT_ALLOW_PRIVATE_NETWORK === 'true';
}
/**
 * Reads the values of a test's `secrets:` names. Missing names are returned separately so the
 * caller can report which variable to set; values never leave the returned object.
 */
function readSecrets(names, source = process.env) {
    const values = {};
    const missing = [];
    for (const name of names) {
        const value = source[name];
        if (value === undefined || value === '')
            missing.push(name);
        else
            values[name] = value;
    }
    return { values, missing };
}
//# sourceMappingURL=env.js.map

/***/ }),

/***/ 75115:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  y$: () => (/* binding */ createStore)
});

// UNUSED EXPORTS: DEFAULT_EVENTS_CAP, DEFAULT_RETENTION_DAYS, RedisStore, createTcpStore, createUpstashStore, keySpace

// EXTERNAL MODULE: ./lib/core/errors.js
var errors = __webpack_require__(3828);
// EXTERNAL MODULE: ./lib/core/ports.js
var ports = __webpack_require__(39783);
;// CONCATENATED MODULE: ./lib/adapters/store/codec.js
/** Longest `reason` kept per stored result; the full text is in the run report, not in Redis. */
const MAX_REASON = 500;
/** Longest failed-step description kept per stored result. */
const MAX_FAILED_STEP = 200;
/** Longest event message kept in the events stream. */
const MAX_EVENT_MESSAGE = 500;
function clip(text, max) {
    return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
/** Flat `[field, value, ...]` for HSET from an object, leaving out undefined values. */
function flatten(fields) {
    const out = [];
    for (const [field, value] of Object.entries(fields))
        if (value !== undefined)
            out.push(field, value);
    return out;
}
/** HGETALL's flat `[field, value, ...]` reply as a map. */
function pairs(reply) {
    const map = new Map();
    if (!Array.isArray(reply))
        return map;
    for (let i = 0; i + 1 < reply.length; i += 2) {
        const field = reply[i];
        const value = reply[i + 1];
        if (typeof field === 'string' && typeof value === 'string')
            map.set(field, value);
    }
    return map;
}
function num(value) {
    if (value === undefined || value === '')
        return undefined;
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
}
/** Fields of the `test:{id}` hash. The `definition` JSON is the truth; the rest is for people and dashboards. */
function encodeTest(test) {
    const d = test.definition;
    return flatten({
        name: d.name,
        url: d.url,
        goal: d.goal,
        schedule: d.schedule,
        repo: d.repo,
        slug: d.slug,
        definition: JSON.stringify(d),
        content_hash: test.contentHash,
        qstash_schedule_id: test.scheduleId,
        updated_at: String(test.updatedAt),
    });
}
/** Reads a `test:{id}` hash; `null` when the hash is missing (HGETALL gives an empty reply). */
function decodeTest(key, reply) {
    const fields = pairs(reply);
    if (fields.size === 0)
        return null;
    const json = fields.get('definition');
    let definition;
    try {
        definition = JSON.parse(json ?? '');
    }
    catch {
        throw new Error(`The hash ${key} has no readable "definition" field: it was not written by HouseCat or was edited by hand. ` +
            'Run the sync again (housecat sync) to rewrite it.');
    }
    const stored = {
        definition,
        contentHash: fields.get('content_hash') ?? '',
        updatedAt: num(fields.get('updated_at')) ?? 0,
    };
    const scheduleId = fields.get('qstash_schedule_id');
    if (scheduleId)
        stored.scheduleId = scheduleId;
    return stored;
}
/** The step that failed, as `action target: outcome`. */
function failedStepOf(result) {
    const step = result.steps.find((s) => !s.ok);
    if (!step)
        return undefined;
    return clip(`${step.action}${step.target ? ` ${step.target}` : ''}: ${step.outcome}`, MAX_FAILED_STEP);
}
/**
 * The `results:{id}` member: JSON that carries the run id, so two runs with the same outcome stay
 * two members. Screenshots, steps and usage are deliberately left out (they are large, and the
 * PR comment or issue already has them).
 */
function encodeResult(result) {
    const stored = {
        runId: result.runId,
        status: result.status,
        reason: clip(result.reason, MAX_REASON),
        startedAt: result.startedAt,
        durationMs: result.durationMs,
    };
    if (result.responseMs !== undefined)
        stored.responseMs = result.responseMs;
    const failedStep = failedStepOf(result);
    if (failedStep !== undefined)
        stored.failedStep = failedStep;
    if (result.source !== undefined)
        stored.source = result.source;
    return JSON.stringify(stored);
}
/** Reads a results member; `null` for a member HouseCat did not write. */
function decodeResult(member) {
    try {
        const value = JSON.parse(member);
        if (typeof value !== 'object' || value === null || typeof value.runId !== 'string')
            return null;
        return value;
    }
    catch {
        return null;
    }
}
/**
 * The `timing:{id}` member `runId:ms` (ms = the run's duration): unique per run, so equal durations
 * at different times stay two entries. The main document's response time is in the results member.
 */
function encodeTiming(result) {
    return `${result.runId}:${Math.max(0, Math.round(result.durationMs))}`;
}
function decodeTiming(member, score) {
    const cut = member.lastIndexOf(':');
    const ms = Number(member.slice(cut + 1));
    const at = Number(score);
    if (cut <= 0 || !Number.isFinite(ms) || !Number.isFinite(at))
        return null;
    return { runId: member.slice(0, cut), ms, at };
}
/** `WITHSCORES` replies: `[member, score, member, score, ...]`. */
function memberScores(reply) {
    const out = [];
    if (!Array.isArray(reply))
        return out;
    for (let i = 0; i + 1 < reply.length; i += 2) {
        const member = reply[i];
        const score = reply[i + 1];
        if (typeof member === 'string' && (typeof score === 'string' || typeof score === 'number')) {
            out.push({ member, score: String(score) });
        }
    }
    return out;
}
/** Field/value pairs of one `events:{id}` stream entry. */
function encodeEvent(runId, event) {
    return [
        'type',
        event.type,
        'message',
        clip(event.message, MAX_EVENT_MESSAGE),
        'at',
        String(event.at),
        'run_id',
        runId,
    ];
}
const EVENT_TYPES = new Set(['step', 'pass', 'fail', 'error']);
/** Reads XRANGE's `[[id, [field, value, ...]], ...]` reply. */
function decodeEvents(reply) {
    const out = [];
    if (!Array.isArray(reply))
        return out;
    for (const entry of reply) {
        if (!Array.isArray(entry) || typeof entry[0] !== 'string')
            continue;
        const fields = pairs(entry[1] ?? null);
        const type = fields.get('type');
        out.push({
            streamId: entry[0],
            runId: fields.get('run_id') ?? '',
            type: type && EVENT_TYPES.has(type) ? type : 'step',
            message: fields.get('message') ?? '',
            at: num(fields.get('at')) ?? 0,
        });
    }
    return out;
}
/** Fields of the `incident:{id}` hash. */
function encodeIncident(incident) {
    return flatten({
        test_id: incident.testId,
        repo: incident.repo,
        status: incident.status,
        issue_number: incident.issueNumber === undefined ? undefined : String(incident.issueNumber),
        since: String(incident.since),
        opened_at: String(incident.openedAt),
        last_failure_at: String(incident.lastFailureAt),
        last_reason: clip(incident.lastReason, MAX_REASON),
        failed_runs: String(incident.failedRuns),
        resolved_at: incident.resolvedAt === undefined ? undefined : String(incident.resolvedAt),
    });
}
function decodeIncident(reply) {
    const f = pairs(reply);
    if (f.size === 0)
        return null;
    const status = f.get('status');
    const incident = {
        testId: f.get('test_id') ?? '',
        repo: f.get('repo') ?? '',
        status: status === 'acknowledged' || status === 'resolved' ? status : 'open',
        since: num(f.get('since')) ?? 0,
        openedAt: num(f.get('opened_at')) ?? 0,
        lastFailureAt: num(f.get('last_failure_at')) ?? 0,
        lastReason: f.get('last_reason') ?? '',
        failedRuns: num(f.get('failed_runs')) ?? 0,
    };
    const issueNumber = num(f.get('issue_number'));
    if (issueNumber !== undefined)
        incident.issueNumber = issueNumber;
    const resolvedAt = num(f.get('resolved_at'));
    if (resolvedAt !== undefined)
        incident.resolvedAt = resolvedAt;
    return incident;
}
/** A reply that must be a list of strings (SMEMBERS, LRANGE, ZRANGE without scores). */
function strings(reply) {
    return Array.isArray(reply) ? reply.filter((r) => typeof r === 'string') : [];
}
//# sourceMappingURL=codec.js.map
;// CONCATENATED MODULE: ./lib/adapters/store/commands.js

const DAY_MS = 86_400_000;
/** One XADD per event, trimming the stream to about `eventsCap` entries. */
function xaddEvents(keys, limits, testId, runId, events) {
    const key = keys.events(testId);
    return events.map((e) => [
        'XADD',
        key,
        'MAXLEN',
        '~',
        String(limits.eventsCap),
        '*',
        ...encodeEvent(runId, e),
    ]);
}
/**
 * Recording a run: result, timing, events, retention trims and key expiries, sent as one MULTI.
 * Expiries make the keys of a test that stopped running vanish once all their data is past retention.
 */
function recordRunCommands(keys, limits, result, events, now) {
    const id = result.testId;
    const score = String(result.startedAt);
    const cutoff = `(${now - limits.retentionMs}`;
    const ttl = String(limits.retentionMs);
    const commands = [
        ['ZADD', keys.results(id), score, encodeResult(result)],
        ['ZREMRANGEBYSCORE', keys.results(id), '-inf', cutoff],
        ['PEXPIRE', keys.results(id), ttl],
        ['ZADD', keys.timing(id), score, encodeTiming(result)],
        ['ZREMRANGEBYSCORE', keys.timing(id), '-inf', cutoff],
        ['PEXPIRE', keys.timing(id), ttl],
    ];
    if (events.length > 0) {
        commands.push(...xaddEvents(keys, limits, id, result.runId, events), ['PEXPIRE', keys.events(id), ttl]);
    }
    return commands;
}
/**
 * A sync's writes for one repository. Each upserted hash is deleted first so that fields the new
 * definition no longer has (a removed goal or schedule) do not linger.
 */
function applySyncCommands(keys, repo, changes) {
    const commands = [];
    for (const test of changes.upsert) {
        const id = test.definition.id;
        commands.push(['DEL', keys.test(id)], ['HSET', keys.test(id), ...encodeTest(test)], ['SADD', keys.allTests(), id], ['SADD', keys.repoTests(repo), id]);
    }
    for (const id of changes.remove) {
        commands.push(['DEL', keys.test(id)], ['SREM', keys.allTests(), id], ['SREM', keys.repoTests(repo), id]);
    }
    return commands;
}
/** `min`/`max` arguments of ZREVRANGEBYSCORE for a range query. */
function scoreRange(from, to) {
    return [to === undefined ? '+inf' : String(to), from === undefined ? '-inf' : String(from)];
}
/** Newest first, optionally limited. */
function zrevrange(key, max, min, limit, withScores = false) {
    const command = ['ZREVRANGEBYSCORE', key, max, min];
    if (withScores)
        command.push('WITHSCORES');
    if (limit !== undefined)
        command.push('LIMIT', '0', String(Math.max(0, Math.floor(limit))));
    return command;
}
/** Replaces the incident hash and keeps the `incidents` list (active ones) free of duplicates. */
function saveIncidentCommands(keys, incident) {
    const id = incident.testId;
    const commands = [
        ['DEL', keys.incident(id)],
        ['HSET', keys.incident(id), ...encodeIncident(incident)],
        ['LREM', keys.incidents(), '0', id],
    ];
    if (incident.status !== 'resolved')
        commands.push(['RPUSH', keys.incidents(), id]);
    return commands;
}
/**
 * Lua scripts, run with EVAL (Upstash supports it over REST). Each is atomic, so a claim or a close
 * cannot interleave with another writer.
 */
/** KEYS[1] claim key; ARGV owner, ttl ms. Replies `claimed`, `mine` or `taken`. */
const CLAIM_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if not current then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 'claimed'
end
if current == ARGV[1] then return 'mine' end
return 'taken'`;
/** KEYS[1] claim key; ARGV owner. Deletes only when the owner still holds it. */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;
/** KEYS[1] incident hash, KEYS[2] incidents list; ARGV resolved-at, test id. */
const CLOSE_INCIDENT_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HSET', KEYS[1], 'status', 'resolved', 'resolved_at', ARGV[1])
end
return redis.call('LREM', KEYS[2], 0, ARGV[2])`;
function claimCommand(keys, key, owner, ttlMs) {
    return ['EVAL', CLAIM_SCRIPT, '1', keys.claim(key), owner, String(Math.max(1, Math.round(ttlMs)))];
}
function releaseCommand(keys, key, owner) {
    return ['EVAL', RELEASE_SCRIPT, '1', keys.claim(key), owner];
}
function closeIncidentCommand(keys, testId, resolvedAt) {
    return [
        'EVAL',
        CLOSE_INCIDENT_SCRIPT,
        '2',
        keys.incident(testId),
        keys.incidents(),
        String(resolvedAt),
        testId,
    ];
}
//# sourceMappingURL=commands.js.map
;// CONCATENATED MODULE: ./lib/adapters/store/keys.js
/**
 * Every Redis key HouseCat writes, in one place. Dashboards and other tools read these names, so
 * they are a public contract (docs/data-model.md): change them only with a migration.
 */
/** Builds the key space; `prefix` is used as given (`staging:` gives `staging:test:{id}`). */
function keySpace(prefix = '') {
    return {
        prefix,
        test: (id) => `${prefix}test:${id}`,
        allTests: () => `${prefix}tests:all`,
        // GitHub repository names are case-insensitive, like the test ids derived from them.
        repoTests: (repo) => `${prefix}tests:repo:${repo.toLowerCase()}`,
        results: (id) => `${prefix}results:${id}`,
        timing: (id) => `${prefix}timing:${id}`,
        events: (id) => `${prefix}events:${id}`,
        incidents: () => `${prefix}incidents`,
        incident: (id) => `${prefix}incident:${id}`,
        claim: (key) => `${prefix}claim:${key}`,
    };
}
//# sourceMappingURL=keys.js.map
;// CONCATENATED MODULE: ./lib/adapters/store/redis-store.js




const DEFAULT_RETENTION_DAYS = 90;
const DEFAULT_EVENTS_CAP = 1000;
const STREAM_ID = /^\d+(-\d+)?$/;
class RedisStore {
    transport;
    keys;
    limits;
    clock;
    constructor(transport, options = {}) {
        this.transport = transport;
        this.keys = keySpace(options.prefix ?? '');
        this.limits = {
            retentionMs: (options.retentionDays ?? DEFAULT_RETENTION_DAYS) * DAY_MS,
            eventsCap: options.eventsCap ?? DEFAULT_EVENTS_CAP,
        };
        this.clock = options.clock ?? ports/* systemClock */.m;
    }
    async listRepoTests(repo) {
        const ids = strings(await this.transport.command('list tests', ['SMEMBERS', this.keys.repoTests(repo)]));
        if (ids.length === 0)
            return [];
        ids.sort();
        const replies = await this.transport.pipeline('list tests', ids.map((id) => ['HGETALL', this.keys.test(id)]));
        const tests = [];
        replies.forEach((reply, i) => {
            // An index entry whose hash is gone (removed by hand) is skipped, not returned empty.
            const test = decodeTest(this.keys.test(ids[i] ?? ''), reply);
            if (test)
                tests.push(test);
        });
        return tests;
    }
    async listAllTestIds() {
        const ids = strings(await this.transport.command('list tests', ['SMEMBERS', this.keys.allTests()]));
        return ids.sort();
    }
    async getTest(id) {
        const key = this.keys.test(id);
        return decodeTest(key, await this.transport.command('read test', ['HGETALL', key]));
    }
    async applySync(repo, changes) {
        const foreign = changes.upsert.find((t) => t.definition.repo.toLowerCase() !== repo.toLowerCase());
        if (foreign) {
            throw new Error(`applySync for ${repo} was given test ${foreign.definition.id} of ${foreign.definition.repo}: ` +
                'a sync writes only the tests of its own repository.');
        }
        const commands = applySyncCommands(this.keys, repo, changes);
        if (commands.length === 0)
            return;
        await this.transport.transaction('write synced tests', commands);
    }
    async recordRun(result, events) {
        const commands = recordRunCommands(this.keys, this.limits, result, events, this.clock.now());
        await this.transport.transaction('record run', commands);
    }
    async getResults(testId, query = {}) {
        const [max, min] = scoreRange(query.from, query.to ?? this.clock.now());
        const reply = await this.transport.command('read results', zrevrange(this.keys.results(testId), max, min, query.limit));
        return decodeResults(reply);
    }
    async getTimings(testId, query = {}) {
        const [max, min] = scoreRange(query.from, query.to ?? this.clock.now());
        const reply = await this.transport.command('read timings', zrevrange(this.keys.timing(testId), max, min, query.limit, true));
        return decodeTimings(reply);
    }
    async getTestWithHistory(testId, options) {
        const [testReply, resultsReply, timingsReply] = await this.transport.pipeline('read test history', [
            ['HGETALL', this.keys.test(testId)],
            zrevrange(this.keys.results(testId), '+inf', '-inf', options.results),
            zrevrange(this.keys.timing(testId), '+inf', String(options.timingsSince), undefined, true),
        ]);
        return {
            test: decodeTest(this.keys.test(testId), testReply ?? null),
            results: decodeResults(resultsReply ?? null),
            timings: decodeTimings(timingsReply ?? null),
        };
    }
    async appendEvents(testId, runId, events) {
        if (events.length === 0)
            return;
        await this.transport.transaction('append events', [
            ...xaddEvents(this.keys, this.limits, testId, runId, events),
            ['PEXPIRE', this.keys.events(testId), String(this.limits.retentionMs)],
        ]);
    }
    async readEvents(testId, options = {}) {
        if (options.afterId !== undefined && !STREAM_ID.test(options.afterId)) {
            throw new Error(`readEvents: "${options.afterId}" is not a stream id (expected MS-SEQ, e.g. 1700000000000-0).`);
        }
        const command = ['XRANGE', this.keys.events(testId), options.afterId ? `(${options.afterId}` : '-', '+'];
        if (options.limit !== undefined)
            command.push('COUNT', String(Math.max(1, Math.floor(options.limit))));
        return decodeEvents(await this.transport.command('read events', command));
    }
    async getIncident(testId) {
        return decodeIncident(await this.transport.command('read incident', ['HGETALL', this.keys.incident(testId)]));
    }
    async saveIncident(incident) {
        await this.transport.transaction('save incident', saveIncidentCommands(this.keys, incident));
    }
    async closeIncident(testId, resolvedAt) {
        await this.transport.command('close incident', closeIncidentCommand(this.keys, testId, resolvedAt));
    }
    async listActiveIncidents() {
        return strings(await this.transport.command('list incidents', ['LRANGE', this.keys.incidents(), '0', '-1']));
    }
    async claim(key, owner, ttlMs) {
        const reply = await this.transport.command('claim', claimCommand(this.keys, key, owner, ttlMs));
        if (reply === 'claimed' || reply === 'mine' || reply === 'taken')
            return reply;
        throw new Error(`claim ${key}: unexpected reply from the claim script`);
    }
    async release(key, owner) {
        await this.transport.command('release claim', releaseCommand(this.keys, key, owner));
    }
    close() {
        return this.transport.close();
    }
}
function decodeResults(reply) {
    return strings(reply)
        .map(decodeResult)
        .filter((r) => r !== null);
}
function decodeTimings(reply) {
    return memberScores(reply)
        .map(({ member, score }) => decodeTiming(member, score))
        .filter((t) => t !== null);
}
//# sourceMappingURL=redis-store.js.map
// EXTERNAL MODULE: ./node_modules/redis/dist/index.js
var dist = __webpack_require__(31672);
;// CONCATENATED MODULE: ./lib/adapters/store/errors.js
/**
 * Turns whatever a Redis client throws into one ServiceError that names the service, the operation
 * and the variable to check. Client messages are never passed through as they are: UpstashError
 * quotes the whole command with its arguments, and Redis error replies may quote stored values.
 */

const UNREACHABLE = new Set([
    'ECONNREFUSED',
    'ENOTFOUND',
    'EAI_AGAIN',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'ECONNRESET',
    'EPIPE',
    'UND_ERR_SOCKET',
    'UND_ERR_CLOSED',
]);
function chain(error) {
    const out = [];
    let current = error;
    for (let depth = 0; current && depth < 6; depth++) {
        if (typeof current !== 'object') {
            out.push({ name: '', code: '', message: String(current) });
            break;
        }
        const e = current;
        out.push({
            name: typeof e.name === 'string' ? e.name : '',
            code: typeof e.code === 'string' ? e.code : '',
            message: typeof e.message === 'string' ? e.message : '',
        });
        // AggregateError (happy-eyeballs connects) keeps the real reasons in `errors`.
        current = e.cause ?? (Array.isArray(e.errors) ? e.errors[0] : undefined);
    }
    return out;
}
/** The server's own words, without quoted arguments or the command echo. */
function serverWords(message, secrets) {
    let text = message.split(', command was:')[0] ?? '';
    text = text.replace(/'[^']*'/g, "'…'").replace(/"[^"]*"/g, '"…"');
    for (const secret of secrets)
        if (secret)
            text = text.split(secret).join('***');
    return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}
/** Maps a client error to a ServiceError. Already-mapped errors pass through. */
function toServiceError(error, ctx) {
    if (error instanceof errors/* ServiceError */._7)
        return error;
    const links = chain(error);
    const all = links.map((l) => `${l.name} ${l.code} ${l.message}`).join(' | ');
    const { service, operation } = ctx;
    if (/WRONGPASS|NOAUTH|Unauthorized|invalid password|invalid username-password/i.test(all)) {
        return new errors/* ServiceError */._7(service, operation, `${ctx.target} refused the credentials`, {
            status: 401,
            retryable: false,
            hint: `check ${ctx.authVar}`,
        });
    }
    if (links.some((l) => /TimeoutError|AbortError/.test(l.name) || /timed? ?out/i.test(l.message))) {
        return new errors/* ServiceError */._7(service, operation, `${ctx.target} did not answer within ${ctx.timeoutMs} ms`, {
            retryable: true,
            hint: `check ${ctx.urlVar} and that the server is up and reachable from here`,
        });
    }
    const code = links.find((l) => UNREACHABLE.has(l.code))?.code ??
        [...UNREACHABLE].find((c) => links.some((l) => l.message.includes(c)));
    if (code ||
        links.some((l) => /fetch failed|Socket closed|ClientClosedError|ClientOfflineError|client is offline|client is closed|connection closed|other side closed/i.test(`${l.name} ${l.message}`))) {
        return new errors/* ServiceError */._7(service, operation, `could not reach ${ctx.target}${code ? ` (${code})` : ''}`, {
            retryable: true,
            hint: `check ${ctx.urlVar} and that the server is running`,
        });
    }
    if (links.some((l) => l.name === 'UpstashJSONParseError')) {
        return new errors/* ServiceError */._7(service, operation, `${ctx.target} answered with something that is not Upstash's JSON`, {
            retryable: true,
            hint: `check that ${ctx.urlVar} is the database's REST URL (https://…upstash.io), not a web page or proxy`,
        });
    }
    const words = serverWords(links[0]?.message ?? String(error), ctx.secrets);
    if (/^WRONGTYPE/.test(words)) {
        return new errors/* ServiceError */._7(service, operation, `a key holds a value of another type (${words})`, {
            retryable: false,
            hint: 'another program uses the same key names: set HOUSECAT_REDIS_PREFIX to give HouseCat its own',
        });
    }
    return new errors/* ServiceError */._7(service, operation, words || 'unexpected error', { retryable: false });
}
//# sourceMappingURL=errors.js.map
;// CONCATENATED MODULE: ./lib/adapters/store/tcp-store.js
/**
 * The store over the Redis protocol (TCP) with the official `redis` client: self-hosted Redis,
 * Valkey, or local development (`REDIS_URL`). Connects on first use, so building it never fails
 * because the server is down.
 */




class TimeoutError extends Error {
    name = 'TimeoutError';
}
class TcpTransport {
    url;
    service = 'Redis';
    client;
    connecting;
    ctx;
    timeoutMs;
    constructor(url, timeoutMs) {
        this.url = url;
        let parsed;
        try {
            parsed = new URL(url);
            if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
                throw new Error('scheme');
        }
        catch {
            throw new errors/* ConfigError */.xL('REDIS_URL is not a Redis URL: use redis://[:password@]host:port (or rediss:// for TLS).');
        }
        this.timeoutMs = timeoutMs;
        this.ctx = {
            service: 'Redis',
            urlVar: 'REDIS_URL',
            authVar: 'the user and password in REDIS_URL',
            target: parsed.host,
            timeoutMs,
            secrets: [decodeURIComponent(parsed.password), parsed.password].filter((s) => s.length > 0),
        };
    }
    connect() {
        // A client that gave up reconnecting is closed for good: start a new one.
        if (this.client && !this.client.isOpen)
            this.drop();
        if (this.client?.isReady)
            return Promise.resolve(this.client);
        if (!this.connecting) {
            const client = (0,dist.createClient)({
                url: this.url,
                RESP: 2,
                disableOfflineQueue: true,
                socket: {
                    connectTimeout: this.timeoutMs,
                    // Give up quickly: the caller gets an error and the next call connects afresh.
                    reconnectStrategy: (retries, cause) => (retries >= 2 ? cause : 100 * (retries + 1)),
                },
            });
            // Without a listener, a socket error would crash the process; failures reach callers instead.
            client.on('error', () => { });
            this.connecting = client.connect().then((c) => {
                this.client = c;
                return this.client;
            }, (error) => {
                this.connecting = undefined;
                client.destroy();
                throw error;
            });
        }
        return this.connecting;
    }
    /** Runs one round trip under the deadline; a timed-out connection is dropped so the next call starts clean. */
    async run(operation, work) {
        let timer;
        const deadline = new Promise((_, reject) => {
            timer = setTimeout(() => reject(new TimeoutError('timed out')), this.timeoutMs);
        });
        try {
            return await Promise.race([this.connect().then(work), deadline]);
        }
        catch (error) {
            if (error instanceof TimeoutError)
                this.drop();
            throw toServiceError(error, { ...this.ctx, operation });
        }
        finally {
            clearTimeout(timer);
        }
    }
    drop() {
        const client = this.client;
        this.client = undefined;
        this.connecting = undefined;
        if (client?.isOpen)
            client.destroy();
    }
    command(operation, command) {
        return this.run(operation, async (client) => (await client.sendCommand([...command])));
    }
    pipeline(operation, commands) {
        return this.run(operation, async (client) => {
            const multi = client.multi();
            for (const c of commands)
                multi.addCommand([...c]);
            return (await multi.execAsPipeline());
        });
    }
    transaction(operation, commands) {
        return this.run(operation, async (client) => {
            const multi = client.multi();
            for (const c of commands)
                multi.addCommand([...c]);
            return (await multi.exec());
        });
    }
    async close() {
        const client = this.client;
        this.client = undefined;
        this.connecting = undefined;
        if (client?.isOpen)
            await client.close();
    }
}
/** A store over plain Redis or Valkey (`REDIS_URL`). */
function createTcpStore(options) {
    return new RedisStore(new TcpTransport(options.url, options.timeoutMs ?? 10_000), options);
}
//# sourceMappingURL=tcp-store.js.map
// EXTERNAL MODULE: ./node_modules/@upstash/redis/nodejs.mjs + 2 modules
var nodejs = __webpack_require__(29301);
;// CONCATENATED MODULE: ./lib/adapters/store/upstash-store.js
/**
 * The store over Upstash's REST API, through @upstash/redis's own HTTP client (Bearer auth,
 * base64 response decoding, keep-alive, retries on network errors). Commands are sent raw: the
 * SDK's typed commands would JSON-parse every string they read, and its auto-pipelining would
 * batch requests behind our back, so both are off and the round trips are exactly what we send.
 */




/** Subclass only to reach the SDK's HTTP requester, which `Redis` keeps protected. */
class SdkClient extends nodejs/* Redis */.Qd {
    get requester() {
        return this.client;
    }
}
class UpstashTransport {
    service = 'Upstash Redis';
    requester;
    ctx;
    constructor(options) {
        const timeoutMs = options.timeoutMs ?? 10_000;
        let host;
        try {
            const url = new URL(options.url);
            if (url.protocol !== 'https:' && url.protocol !== 'http:')
                throw new Error('scheme');
            host = url.host;
        }
        catch {
            throw new errors/* ConfigError */.xL('UPSTASH_REDIS_REST_URL is not a URL: copy the REST URL (https://….upstash.io) from the Upstash console.');
        }
        this.ctx = {
            service: 'Upstash Redis',
            urlVar: 'UPSTASH_REDIS_REST_URL',
            authVar: 'UPSTASH_REDIS_REST_TOKEN',
            target: host,
            timeoutMs,
            secrets: [options.token],
        };
        const retries = options.retries ?? 2;
        const client = new SdkClient({
            url: options.url,
            token: options.token,
            automaticDeserialization: false,
            enableAutoPipelining: false,
            enableTelemetry: false,
            // Base64 responses are the SDK's default; set it so a changed default cannot garble unicode.
            responseEncoding: 'base64',
            // A function gives every request its own deadline; an aborted request then throws.
            signal: () => AbortSignal.timeout(timeoutMs),
            retry: { retries, backoff: (n) => Math.min(1000, 100 * 2 ** n) },
        });
        this.requester = client.requester;
    }
    async request(operation, path, body) {
        try {
            const response = await this.requester.request(path ? { path, body } : { body });
            return response;
        }
        catch (error) {
            throw toServiceError(error, { ...this.ctx, operation });
        }
    }
    fail(operation, message) {
        throw toServiceError(new Error(message), { ...this.ctx, operation });
    }
    async command(operation, command) {
        const entry = (await this.request(operation, undefined, command));
        if (entry.error)
            this.fail(operation, entry.error);
        return (entry.result ?? null);
    }
    async batch(operation, path, commands) {
        const entries = await this.request(operation, [path], commands);
        if (!Array.isArray(entries)) {
            const single = entries;
            this.fail(operation, single.error ?? `unexpected answer from /${path}`);
        }
        const failed = entries.find((e) => e.error);
        if (failed?.error)
            this.fail(operation, failed.error);
        return entries.map((e) => (e.result ?? null));
    }
    pipeline(operation, commands) {
        return this.batch(operation, 'pipeline', commands);
    }
    transaction(operation, commands) {
        return this.batch(operation, 'multi-exec', commands);
    }
    async close() {
        // Stateless HTTP: nothing to close.
    }
}
/** A store over Upstash Redis REST (`UPSTASH_REDIS_REST_URL` + `UPSTASH_REDIS_REST_TOKEN`). */
function createUpstashStore(options) {
    if (!options.token) {
        throw new errors/* ConfigError */.xL('UPSTASH_REDIS_REST_TOKEN is empty: copy the REST token from the Upstash console.');
    }
    return new RedisStore(new UpstashTransport(options), options);
}
//# sourceMappingURL=upstash-store.js.map
;// CONCATENATED MODULE: ./lib/adapters/store/index.js
/**
 * Picks the store from the environment: Upstash REST when UPSTASH_REDIS_REST_URL and
 * UPSTASH_REDIS_REST_TOKEN are set (production default), plain Redis when REDIS_URL is set,
 * nothing otherwise.
 */








function retentionDays(env) {
    const raw = env.HOUSECAT_RETENTION_DAYS;
    if (raw === undefined)
        return DEFAULT_RETENTION_DAYS;
    const days = Number(raw);
    if (!Number.isFinite(days) || days <= 0) {
        throw new errors/* ConfigError */.xL(`HOUSECAT_RETENTION_DAYS is "${raw}": set it to a number of days greater than 0 (default ${DEFAULT_RETENTION_DAYS}).`);
    }
    return days;
}
/**
 * The store configured by the environment, or `null` when no Redis is configured.
 * Throws ConfigError for half a configuration (a URL without a token) or a bad value.
 */
function createStore(env, options = {}) {
    const url = env.UPSTASH_REDIS_REST_URL;
    const token = env.UPSTASH_REDIS_REST_TOKEN;
    if ((url === undefined) !== (token === undefined)) {
        const missing = url === undefined ? 'UPSTASH_REDIS_REST_URL' : 'UPSTASH_REDIS_REST_TOKEN';
        throw new errors/* ConfigError */.xL(`${missing} is not set, but ${missing === 'UPSTASH_REDIS_REST_URL' ? 'UPSTASH_REDIS_REST_TOKEN' : 'UPSTASH_REDIS_REST_URL'} is: ` +
            'set both (REST URL and token from the Upstash console), or neither and REDIS_URL instead.');
    }
    const base = {
        prefix: options.prefix ?? env.HOUSECAT_REDIS_PREFIX ?? '',
        retentionDays: retentionDays(env),
    };
    if (options.clock)
        base.clock = options.clock;
    if (options.eventsCap !== undefined)
        base.eventsCap = options.eventsCap;
    if (options.timeoutMs !== undefined)
        base.timeoutMs = options.timeoutMs;
    if (url !== undefined && token !== undefined) {
        return createUpstashStore({
            ...base,
            url,
            token,
            ...(options.retries === undefined ? {} : { retries: options.retries }),
        });
    }
    if (env.REDIS_URL !== undefined)
        return createTcpStore({ ...base, url: env.REDIS_URL });
    return null;
}
//# sourceMappingURL=index.js.map

/***/ }),

/***/ 2885:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   AW: () => (/* binding */ isRepoName),
/* harmony export */   PC: () => (/* binding */ SLUG_MAX),
/* harmony export */   Yv: () => (/* binding */ slugify),
/* harmony export */   ZT: () => (/* binding */ SLUG_PATTERN),
/* harmony export */   ec: () => (/* binding */ testId)
/* harmony export */ });
/* unused harmony exports parseTestId, isTestId */
/**
 * Test ids. One Redis serves many repositories, so an id is `{owner}--{repo}--{slug}`, lowercased.
 *
 * This mapping is injective: GitHub owners never contain `--`, slugs never contain `--`, so the
 * first `--` ends the owner and the last `--` starts the slug; whatever lies between is the repo
 * (which may itself contain `--`). Every character is URL-safe (`a-z 0-9 - . _`).
 */
/** A slug: lowercase letters and digits in words joined by single hyphens, at most 64 characters. */
const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SLUG_MAX = 64;
/** GitHub's rules: owner = letters, digits, single hyphens; repo = letters, digits, `.`, `_`, `-`. */
const OWNER_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const REPO_PATTERN = /^[A-Za-z0-9._-]{1,100}$/;
/** Turns a test name into a slug: "Login Flow (EU)" → "login-flow-eu". Empty when nothing usable is left. */
function slugify(name) {
    return name
        .normalize('NFKD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, SLUG_MAX)
        .replace(/-+$/, '');
}
/** True when `repo` is a valid `owner/name`. */
function isRepoName(repo) {
    const [owner, name, ...rest] = repo.split('/');
    return (rest.length === 0 &&
        owner !== undefined &&
        name !== undefined &&
        OWNER_PATTERN.test(owner) &&
        REPO_PATTERN.test(name) &&
        name !== '.' &&
        name !== '..');
}
/** The globally unique id of a test: `testId('Acme/Shop', 'login-flow')` → `acme--shop--login-flow`. */
function testId(repo, slug) {
    if (!isRepoName(repo))
        throw new Error(`not a repository name (owner/name): ${JSON.stringify(repo)}`);
    if (!SLUG_PATTERN.test(slug))
        throw new Error(`not a slug: ${JSON.stringify(slug)}`);
    const [owner, name] = repo.toLowerCase().split('/');
    return `${owner}--${name}--${slug}`;
}
/** Splits an id made by {@link testId} back into its parts; `null` when it is not one. */
function parseTestId(id) {
    const first = id.indexOf('--');
    const last = id.lastIndexOf('--');
    if (first <= 0 || last <= first + 2)
        return null;
    const owner = id.slice(0, first);
    const repo = id.slice(first + 2, last);
    const slug = id.slice(last + 2);
    if (!isRepoName(`${owner}/${repo}`) || !SLUG_PATTERN.test(slug))
        return null;
    return { owner, repo, slug };
}
/** True when `id` is a well-formed test id (safe to put in a URL path or a Redis key). */
function isTestId(id) {
    return parseTestId(id) !== null;
}
//# sourceMappingURL=ids.js.map

/***/ }),

/***/ 39783:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   m: () => (/* binding */ systemClock)
/* harmony export */ });
const systemClock = { now: () => Date.now() };
//# sourceMappingURL=ports.js.map

/***/ })

};
