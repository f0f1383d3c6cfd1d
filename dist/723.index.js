export const id = 723;
export const ids = [723];
export const modules = {

/***/ 55723:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  syncMode: () => (/* binding */ syncMode)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 18 modules
var core = __webpack_require__(6257);
// EXTERNAL MODULE: ./lib/adapters/definitions-file.js + 8 modules
var definitions_file = __webpack_require__(59071);
// EXTERNAL MODULE: ./lib/adapters/env.js
var adapters_env = __webpack_require__(77063);
// EXTERNAL MODULE: ./node_modules/@upstash/qstash/index.mjs + 2 modules
var qstash = __webpack_require__(85438);
// EXTERNAL MODULE: ./lib/core/errors.js
var errors = __webpack_require__(3828);
;// CONCATENATED MODULE: ./lib/adapters/qstash/scheduler.js
/**
 * The `Scheduler` port over `@upstash/qstash`. Each test's schedule has a deterministic id, so
 * `upsertSchedule` is a create-or-replace and a repeated sync never makes duplicates.
 *
 * Traps (see DESIGN.md): the client uses `baseUrl` and `token` only when both are given, so both
 * are always passed; `devMode: false` so a stray QSTASH_DEV never makes it download a binary.
 */


/** QStash's public endpoint. */
const DEFAULT_QSTASH_URL = 'https://qstash.upstash.io';
function statusOf(error) {
    if (error instanceof qstash/* QstashError */.Pd)
        return error.status;
    return undefined;
}
function hintFor(status, options, baseUrl) {
    const token = options.tokenSource ?? 'QSTASH_TOKEN';
    const url = options.urlSource ?? 'QSTASH_URL';
    if (status === 401 || status === 403) {
        return `QStash refused the token: check ${token} (copy the QSTASH_TOKEN from the Upstash console, QStash tab)`;
    }
    if (status === 429)
        return 'QStash rate limit reached: wait a minute and run the sync again';
    if (status !== undefined && status >= 400 && status < 500) {
        return `QStash rejected the request: check the schedule (cron) and the callback URL`;
    }
    if (status !== undefined)
        return 'QStash had a server error: run the sync again (it is safe to repeat)';
    return `could not reach QStash at ${baseUrl}: check ${url} and the network`;
}
/** Builds the Scheduler. Never reads the environment: the caller passes token and URL. */
function createQStashScheduler(options) {
    const baseUrl = (options.baseUrl ?? DEFAULT_QSTASH_URL).replace(/\/+$/, '');
    const client = new qstash/* Client */.Kj({
        baseUrl,
        token: options.token,
        devMode: false,
        enableTelemetry: false,
        // Network errors only; the SDK never retries an HTTP error status.
        retry: { retries: 2, backoff: (attempt) => 100 * 2 ** attempt },
    });
    const fail = (operation, error) => {
        const status = statusOf(error);
        const message = error instanceof Error ? error.message : String(error);
        throw new errors/* ServiceError */._7('QStash', operation, status ? `HTTP ${status}: ${message}` : message, {
            ...(status !== undefined ? { status } : {}),
            hint: hintFor(status, options, baseUrl),
            retryable: status === undefined || status >= 500 || status === 429,
        });
    };
    return {
        async upsertSchedule(spec) {
            try {
                const { scheduleId } = await client.schedules.create({
                    scheduleId: spec.scheduleId,
                    destination: spec.destination,
                    cron: spec.cron,
                    retries: spec.retries,
                    method: 'POST',
                    // Nothing secret: the bot knows the test from the URL and QStash signs every delivery.
                    body: '',
                    headers: { 'Content-Type': 'text/plain' },
                });
                if (scheduleId !== spec.scheduleId) {
                    throw new Error(`QStash answered with schedule id "${scheduleId}" instead of "${spec.scheduleId}"`);
                }
            }
            catch (error) {
                fail(`create schedule ${spec.scheduleId}`, error);
            }
        },
        async deleteSchedule(scheduleId) {
            try {
                await client.schedules.delete(scheduleId);
            }
            catch (error) {
                if (statusOf(error) === 404)
                    return; // already gone: the goal is reached
                fail(`delete schedule ${scheduleId}`, error);
            }
        },
    };
}
//# sourceMappingURL=scheduler.js.map
;// CONCATENATED MODULE: ./lib/adapters/qstash/index.js

//# sourceMappingURL=index.js.map
// EXTERNAL MODULE: ./lib/adapters/store/index.js + 7 modules
var adapters_store = __webpack_require__(75115);
// EXTERNAL MODULE: ./lib/core/ports.js
var ports = __webpack_require__(39783);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
;// CONCATENATED MODULE: ./lib/core/sync/hash.js
/**
 * Content hashes for sync: a test is "unchanged" when the SHA-256 of its canonical JSON (and of the
 * schedule it needs) equals the hash stored beside it in Redis. Canonical means keys sorted and
 * `undefined` dropped, so field order in the YAML or in code never makes a change.
 */

/** JSON with object keys sorted at every level and `undefined` members left out. */
function canonicalJson(value) {
    return JSON.stringify(sortKeys(value));
}
function sortKeys(value) {
    if (Array.isArray(value))
        return value.map((item) => (item === undefined ? null : sortKeys(item)));
    if (value !== null && typeof value === 'object') {
        const out = {};
        for (const key of Object.keys(value).sort()) {
            const member = value[key];
            if (member !== undefined)
                out[key] = sortKeys(member);
        }
        return out;
    }
    return value;
}
/** Hex SHA-256 of a string. */
function sha256Hex(text) {
    return (0,external_node_crypto_.createHash)('sha256').update(text, 'utf8').digest('hex');
}
/**
 * The hash stored as a test's `contentHash`: the definition plus the QStash schedule it needs
 * (destination and retries included), so a new callback URL also counts as a change.
 */
function contentHash(definition, schedule) {
    return sha256Hex(canonicalJson({ definition, schedule }));
}
//# sourceMappingURL=hash.js.map
;// CONCATENATED MODULE: ./lib/core/sync/plan.js

/** Default QStash delivery retries for a schedule's callback. */
const SCHEDULE_RETRIES = 3;
/** The QStash schedule id of a test: deterministic, so creating a schedule is an upsert. */
function scheduleIdFor(testId) {
    return `housecat-${testId}`;
}
/** Where a test's schedule POSTs: `{callbackUrl}/api/callback/{testId}`. */
function callbackDestination(callbackUrl, testId) {
    return `${callbackUrl.replace(/\/+$/, '')}/api/callback/${encodeURIComponent(testId)}`;
}
function specFor(test, options) {
    if (test.schedule === undefined)
        return null;
    if (options.callbackUrl === undefined) {
        // syncTests checks this first and reports it as a ConfigError naming callback-url.
        throw new Error(`test ${test.id} has a schedule but no callback URL was given`);
    }
    return {
        scheduleId: scheduleIdFor(test.id),
        destination: callbackDestination(options.callbackUrl, test.id),
        cron: test.schedule,
        retries: options.scheduleRetries,
    };
}
/** The names users write in housecat.yml, for reasons. */
const FIELD_LABELS = {
    id: 'id',
    slug: 'id',
    repo: 'repository',
    name: 'name',
    url: 'url',
    goal: 'goal',
    schedule: 'schedule',
    timeout: 'timeout',
    retries: 'retries',
    failureThreshold: 'failure_threshold',
    recoveryThreshold: 'recovery_threshold',
    agent: 'agent',
    model: 'model',
    maxSteps: 'max_steps',
    allowedHosts: 'allowed_hosts',
    secrets: 'secrets',
    expect: 'expect',
};
/** Fields whose old and new values are short enough to show in the reason. */
const SHOW_VALUES = new Set([
    'schedule',
    'timeout',
    'retries',
    'failureThreshold',
    'recoveryThreshold',
    'agent',
    'model',
    'maxSteps',
]);
function show(value) {
    return value === undefined ? 'none' : String(value);
}
/** Reasons a stored definition differs from the desired one, in a stable order. */
function describeChanges(before, after) {
    const reasons = [];
    const seen = new Set();
    for (const key of Object.keys(FIELD_LABELS)) {
        const a = before[key];
        const b = after[key];
        if (canonicalJson(a) === canonicalJson(b))
            continue;
        const label = FIELD_LABELS[key];
        if (seen.has(label))
            continue;
        seen.add(label);
        if (key === 'schedule' && a === undefined)
            reasons.push(`schedule added (${show(b)})`);
        else if (key === 'schedule' && b === undefined)
            reasons.push(`schedule removed (was ${show(a)})`);
        else if (SHOW_VALUES.has(key))
            reasons.push(`${label} changed (${show(a)} → ${show(b)})`);
        else
            reasons.push(`${label} changed`);
    }
    return reasons;
}
/**
 * Compares desired with current. Pure: the same inputs always give the same plan and writes.
 * Items come in file order, removals last (sorted by id).
 */
function planSync(repo, desired, current, options) {
    const currentById = new Map(current.map((stored) => [stored.definition.id, stored]));
    const desiredIds = new Set(desired.map((test) => test.id));
    const items = [];
    const writes = { scheduleUpserts: [], scheduleDeletes: [], upsert: [], remove: [] };
    for (const test of desired) {
        const spec = specFor(test, options);
        const hash = contentHash(test, spec);
        const stored = {
            definition: test,
            contentHash: hash,
            updatedAt: options.now,
            ...(spec ? { scheduleId: spec.scheduleId } : {}),
        };
        const before = currentById.get(test.id);
        const base = { testId: test.id, name: test.name, ...(test.schedule ? { schedule: test.schedule } : {}) };
        if (before === undefined) {
            items.push({
                ...base,
                action: 'create',
                scheduleChange: spec ? 'upsert' : 'none',
                reasons: ['new test'],
            });
            if (spec)
                writes.scheduleUpserts.push(spec);
            writes.upsert.push(stored);
            continue;
        }
        const scheduleIdMatches = before.scheduleId === spec?.scheduleId;
        if (before.contentHash === hash && scheduleIdMatches) {
            items.push({ ...base, action: 'unchanged', scheduleChange: 'none', reasons: [] });
            continue;
        }
        const reasons = describeChanges(before.definition, test);
        let scheduleChange = 'none';
        if (spec) {
            // Same definition with today's callback URL and retries: does the stored hash still match?
            const sameSpecAsBefore = contentHash(before.definition, specFor(before.definition, options)) === before.contentHash;
            const cronChanged = before.definition.schedule !== test.schedule;
            if (!sameSpecAsBefore && !cronChanged)
                reasons.push('callback URL or schedule retries changed');
            if (!scheduleIdMatches && !cronChanged)
                reasons.push('QStash schedule missing');
            if (!sameSpecAsBefore || cronChanged || !scheduleIdMatches)
                scheduleChange = 'upsert';
        }
        else if (before.scheduleId !== undefined) {
            scheduleChange = 'delete';
            if (before.definition.schedule === undefined)
                reasons.push('stale QStash schedule');
        }
        if (reasons.length === 0)
            reasons.push('stored copy differs');
        items.push({
            ...base,
            action: 'update',
            ...(before.definition.schedule !== test.schedule && before.definition.schedule !== undefined
                ? { previousSchedule: before.definition.schedule }
                : {}),
            scheduleChange,
            reasons,
        });
        if (scheduleChange === 'upsert' && spec)
            writes.scheduleUpserts.push(spec);
        if (scheduleChange === 'delete' && before.scheduleId)
            writes.scheduleDeletes.push(before.scheduleId);
        writes.upsert.push(stored);
    }
    const removed = current
        .filter((stored) => !desiredIds.has(stored.definition.id))
        .sort((a, b) => a.definition.id.localeCompare(b.definition.id));
    for (const stored of removed) {
        const test = stored.definition;
        items.push({
            action: 'remove',
            testId: test.id,
            name: test.name,
            ...(test.schedule ? { previousSchedule: test.schedule } : {}),
            scheduleChange: stored.scheduleId ? 'delete' : 'none',
            reasons: [`no longer in ${options.file ?? 'the definitions file'} (history is kept)`],
        });
        if (stored.scheduleId)
            writes.scheduleDeletes.push(stored.scheduleId);
        writes.remove.push(test.id);
    }
    const counts = { create: 0, update: 0, unchanged: 0, remove: 0 };
    for (const item of items)
        counts[item.action] += 1;
    return { plan: { repo, items, counts }, writes };
}
/** True when applying the plan would write anything. */
function hasChanges(plan) {
    return plan.counts.create + plan.counts.update + plan.counts.remove > 0;
}
//# sourceMappingURL=plan.js.map
;// CONCATENATED MODULE: ./lib/core/sync/render.js
const SYMBOL = {
    create: '+ create',
    update: '~ update',
    unchanged: '= unchanged',
    remove: '- remove',
};
function scheduleCell(item) {
    if (item.action === 'remove')
        return item.previousSchedule ? `${item.previousSchedule} → deleted` : '—';
    if (item.previousSchedule && item.previousSchedule !== item.schedule) {
        return `${item.previousSchedule} → ${item.schedule ?? 'none'}`;
    }
    return item.schedule ?? 'none (PR checks only)';
}
function reasonCell(item) {
    return item.reasons.length > 0 ? item.reasons.join('; ') : '—';
}
/** "Plan for acme/shop: 1 to create, 2 to update, 0 to remove, 5 unchanged." */
function renderPlanSummary(plan) {
    const c = plan.counts;
    return `Plan for ${plan.repo}: ${c.create} to create, ${c.update} to update, ${c.remove} to remove, ${c.unchanged} unchanged.`;
}
/** A plain-text table, one row per test, then the summary line. */
function renderPlanTable(plan) {
    if (plan.items.length === 0)
        return `${renderPlanSummary(plan)}\n(no tests in the file and none stored)`;
    const header = ['ACTION', 'TEST', 'SCHEDULE', 'WHY'];
    const rows = plan.items.map((item) => [
        SYMBOL[item.action],
        item.testId,
        scheduleCell(item),
        reasonCell(item),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
    const line = (cells) => cells
        .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd();
    return [line(header), ...rows.map(line), '', renderPlanSummary(plan)].join('\n');
}
function escapeCell(text) {
    return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
/** A Markdown table for `$GITHUB_STEP_SUMMARY`. */
function renderPlanMarkdown(plan, heading) {
    const lines = [`### ${heading}`, '', renderPlanSummary(plan), ''];
    if (plan.items.length > 0) {
        lines.push('| Action | Test | Schedule | Why |', '| --- | --- | --- | --- |');
        for (const item of plan.items) {
            lines.push(`| ${SYMBOL[item.action]} | \`${item.testId}\` ${escapeCell(item.name)} | ${escapeCell(scheduleCell(item))} | ${escapeCell(reasonCell(item))} |`);
        }
    }
    return `${lines.join('\n')}\n`;
}
//# sourceMappingURL=render.js.map
// EXTERNAL MODULE: ./lib/core/ids.js
var core_ids = __webpack_require__(2885);
;// CONCATENATED MODULE: ./lib/core/sync/sync-tests.js
/**
 * `syncTests`: make production match the definitions file. Plans first, then applies only the
 * differences in an order that converges when a sync dies halfway and is run again:
 *
 * 1. QStash: schedule upserts and deletes (deterministic ids, so repeating them is harmless);
 * 2. Redis: one transaction (`store.applySync`) with every upsert and removal.
 *
 * A crash after step 1 leaves Redis as it was, so the next run plans the same writes again.
 */



/** Checks what planning needs; throws ConfigError before anything is read or written. */
function checkSyncInput(input) {
    if (!(0,core_ids/* isRepoName */.AW)(input.repo)) {
        throw new errors/* ConfigError */.xL(`"${input.repo}" is not a repository name: pass it as owner/name (input "repo", flag --repo).`);
    }
    const ids = new Set();
    for (const test of input.tests) {
        if (test.repo.toLowerCase() !== input.repo.toLowerCase()) {
            throw new errors/* ConfigError */.xL(`test ${test.id} belongs to ${test.repo}, not to ${input.repo}: sync one repository at a time.`);
        }
        if (ids.has(test.id))
            throw new errors/* ConfigError */.xL(`test id ${test.id} appears twice: give one of them another "id".`);
        ids.add(test.id);
    }
    const scheduled = input.tests.filter((test) => test.schedule !== undefined);
    if (scheduled.length > 0) {
        if (input.callbackUrl === undefined || input.callbackUrl === '') {
            throw new errors/* ConfigError */.xL(`${scheduled.length} test(s) have a schedule (first: ${scheduled[0]?.id}) but no callback URL was given: ` +
                'set the Action input "callback-url" (or --callback-url / HOUSECAT_PUBLIC_URL) to the public base URL of your HouseCat app.');
        }
        let url;
        try {
            url = new URL(input.callbackUrl);
        }
        catch {
            throw new errors/* ConfigError */.xL(`callback URL "${input.callbackUrl}" is not a URL: use e.g. https://housecat.example.com`);
        }
        if (url.protocol !== 'https:' && url.protocol !== 'http:') {
            throw new errors/* ConfigError */.xL(`callback URL "${input.callbackUrl}" must start with https:// (QStash POSTs to it).`);
        }
        if (url.search || url.hash || url.username || url.password) {
            throw new errors/* ConfigError */.xL(`callback URL "${input.callbackUrl}" must not carry a query, fragment or credentials: QStash signs each request, nothing secret belongs in the URL.`);
        }
    }
}
/** Runs `fn` over `items` with at most `limit` in flight; stops starting new ones after a failure. */
async function mapLimit(items, limit, fn) {
    let next = 0;
    let failed = null;
    let hasFailed = false;
    const worker = async () => {
        while (!hasFailed && next < items.length) {
            const item = items[next++];
            try {
                await fn(item);
            }
            catch (error) {
                if (!hasFailed) {
                    hasFailed = true;
                    failed = error;
                }
            }
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
    if (hasFailed)
        throw failed;
}
/** Plans and (unless a dry run) applies a sync. Invalid input throws before any read or write. */
async function syncTests(deps, input) {
    checkSyncInput(input);
    const current = await deps.store.listRepoTests(input.repo);
    const { plan, writes } = planSync(input.repo, input.tests, current, {
        ...(input.callbackUrl ? { callbackUrl: input.callbackUrl } : {}),
        scheduleRetries: input.scheduleRetries ?? SCHEDULE_RETRIES,
        now: deps.clock.now(),
        ...(input.file ? { file: input.file } : {}),
    });
    input.onPlan?.(plan);
    if (input.dryRun || !hasChanges(plan))
        return { plan, applied: false, scheduleCalls: 0 };
    const scheduleOps = writes.scheduleUpserts.length + writes.scheduleDeletes.length;
    if (scheduleOps > 0 && deps.scheduler === null) {
        throw new errors/* ConfigError */.xL(`this sync needs ${scheduleOps} QStash call(s) but no QStash token was given: set the Action input "qstash-token" (or QSTASH_TOKEN).`);
    }
    const scheduler = deps.scheduler;
    let scheduleCalls = 0;
    if (scheduler) {
        const ops = [
            ...writes.scheduleDeletes.map((id) => ({ kind: 'delete', id })),
            ...writes.scheduleUpserts.map((spec) => ({ kind: 'upsert', spec })),
        ];
        await mapLimit(ops, input.concurrency ?? 8, async (op) => {
            scheduleCalls += 1;
            if (op.kind === 'delete')
                await scheduler.deleteSchedule(op.id);
            else
                await scheduler.upsertSchedule(op.spec);
        });
        if (ops.length > 0)
            deps.logger?.info(`QStash: ${writes.scheduleUpserts.length} schedule(s) upserted, ${writes.scheduleDeletes.length} deleted.`);
    }
    await deps.store.applySync(input.repo, { upsert: writes.upsert, remove: writes.remove });
    deps.logger?.info(`Redis: ${writes.upsert.length} test(s) written, ${writes.remove.length} removed.`);
    return { plan, applied: true, scheduleCalls };
}
//# sourceMappingURL=sync-tests.js.map
;// CONCATENATED MODULE: ./lib/core/sync/index.js




//# sourceMappingURL=index.js.map
;// CONCATENATED MODULE: ./lib/action/sync-mode.js
/**
 * The Action's `sync` mode: makes Redis and QStash match the definitions file on a push to the
 * default branch. On a pull request it only plans (a PR must never change production schedules)
 * and shows the plan in the job summary.
 */









/** Events on which the Action only plans. */
const PLAN_ONLY_EVENTS = new Set(['pull_request', 'pull_request_target', 'merge_group']);
function missing(input, secret) {
    return new errors/* ConfigError */.xL(`input "${input}" is empty: add the repository secret ${secret} (Settings → Secrets and variables → Actions) ` +
        `and pass it to the step as \`${input}: \${{ secrets.${secret} }}\`.`);
}
function booleanInput(inputs, name) {
    const raw = (inputs[name] ?? '').toLowerCase();
    if (raw === '' || ['false', 'no', 'off', '0'].includes(raw))
        return false;
    if (['true', 'yes', 'on', '1'].includes(raw))
        return true;
    throw new errors/* ConfigError */.xL(`input "${name}" is "${inputs[name]}": use true or false`);
}
function setOutputs(plan, applied) {
    core/* setOutput */.uH('plan', JSON.stringify(plan ?? { items: [], counts: null }));
    core/* setOutput */.uH('created', plan?.counts.create ?? 0);
    core/* setOutput */.uH('updated', plan?.counts.update ?? 0);
    core/* setOutput */.uH('removed', plan?.counts.remove ?? 0);
    core/* setOutput */.uH('unchanged', plan?.counts.unchanged ?? 0);
    core/* setOutput */.uH('applied', applied);
}
async function writeSummary(markdown) {
    try {
        await core/* summary */.z.addRaw(markdown).write();
    }
    catch (error) {
        // summary.write() throws without GITHUB_STEP_SUMMARY (e.g. act or a runner shim): the log has the plan.
        core/* summary */.z.emptyBuffer();
        core/* debug */.Yz(`job summary not written: ${error.message}`);
    }
}
/** Runs the sync mode with the inputs read once by main.ts. */
async function syncMode(inputs) {
    const { context } = await __webpack_require__.e(/* import() */ 413).then(__webpack_require__.bind(__webpack_require__, 92413));
    const env = (0,adapters_env/* readEnv */.sx)();
    const eventName = context.eventName;
    const planOnlyEvent = PLAN_ONLY_EVENTS.has(eventName);
    const dryRun = booleanInput(inputs, 'dry-run') || planOnlyEvent;
    const repo = inputs.repo || env.GITHUB_REPOSITORY;
    if (!repo)
        throw new errors/* ConfigError */.xL('no repository: set the input "repo" (owner/name) or run inside GitHub Actions.');
    const configFile = inputs.config || definitions_file/* DEFAULT_CONFIG_PATH */.B;
    const loaded = await (0,definitions_file/* loadDefinitionsFile */.J)((0,external_node_path_.resolve)(configFile), repo);
    if (!loaded.ok) {
        for (const d of loaded.diagnostics) {
            core/* error */.z3(d.path ? `${d.path}: ${d.message}` : d.message, {
                title: 'HouseCat definitions',
                file: d.file,
                startLine: d.line,
                startColumn: d.column,
            });
        }
        const n = loaded.diagnostics.length;
        setOutputs(null, false);
        throw new errors/* ConfigError */.xL(`${configFile} has ${n} problem${n === 1 ? '' : 's'} (see the annotations above) — nothing was synced.`);
    }
    const redisUrl = inputs['upstash-redis-url'] || env.UPSTASH_REDIS_REST_URL;
    const redisToken = inputs['upstash-redis-token'] || env.UPSTASH_REDIS_REST_TOKEN;
    if (redisToken)
        core/* setSecret */.Pq(redisToken);
    if ((!redisUrl || !redisToken) && planOnlyEvent) {
        // Pull requests from forks get no secrets: the file is valid, the comparison must wait.
        core/* warning */.$e('HouseCat: no Upstash Redis credentials on this pull_request event (forks get no secrets): the file is valid, but the plan against production is skipped.');
        await writeSummary(`### HouseCat sync plan\n\n${loaded.tests.length} test(s) in ${configFile} are valid. The plan against production was skipped: this event has no Upstash Redis credentials.\n`);
        setOutputs(null, false);
        return;
    }
    if (!redisUrl)
        throw missing('upstash-redis-url', 'UPSTASH_REDIS_REST_URL');
    if (!redisToken)
        throw missing('upstash-redis-token', 'UPSTASH_REDIS_REST_TOKEN');
    const qstashToken = inputs['qstash-token'] || env.QSTASH_TOKEN;
    if (qstashToken)
        core/* setSecret */.Pq(qstashToken);
    if (!dryRun && !qstashToken)
        throw missing('qstash-token', 'QSTASH_TOKEN');
    const qstashUrl = inputs['qstash-url'] || env.QSTASH_URL;
    const store = (0,adapters_store/* createStore */.y$)({
        ...env,
        UPSTASH_REDIS_REST_URL: redisUrl,
        UPSTASH_REDIS_REST_TOKEN: redisToken,
    });
    if (store === null)
        throw missing('upstash-redis-url', 'UPSTASH_REDIS_REST_URL');
    try {
        const scheduler = dryRun || !qstashToken
            ? null
            : createQStashScheduler({
                token: qstashToken,
                ...(qstashUrl ? { baseUrl: qstashUrl } : {}),
                tokenSource: 'the input "qstash-token" (secret QSTASH_TOKEN)',
                urlSource: 'the input "qstash-url"',
            });
        const callbackUrl = inputs['callback-url'] || env.HOUSECAT_PUBLIC_URL;
        let planned = null;
        const outcome = await syncTests({
            store,
            scheduler,
            clock: ports/* systemClock */.m,
            logger: { info: core/* info */.pq, warn: core/* warning */.$e, error: core/* error */.z3 },
        }, {
            repo,
            tests: loaded.tests,
            dryRun,
            file: configFile,
            ...(callbackUrl ? { callbackUrl } : {}),
            onPlan: (plan) => {
                planned = plan;
                core/* info */.pq(renderPlanTable(plan));
            },
        }).catch(async (error) => {
            if (planned)
                await writeSummary(renderPlanMarkdown(planned, 'HouseCat sync failed — plan that was being applied'));
            throw error;
        });
        const why = planOnlyEvent
            ? `Plan only: a ${eventName} event never changes production schedules.`
            : dryRun
                ? 'Dry run: nothing was written.'
                : outcome.applied
                    ? 'Applied.'
                    : 'Nothing to do: production already matches the file.';
        core/* info */.pq(why);
        await writeSummary(`${renderPlanMarkdown(outcome.plan, 'HouseCat sync plan')}\n${why}\n`);
        setOutputs(outcome.plan, outcome.applied);
    }
    finally {
        await store.close();
    }
}
//# sourceMappingURL=sync-mode.js.map

/***/ })

};
