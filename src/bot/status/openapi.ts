/**
 * The OpenAPI 3.1 description of the public read API, served at `/api/v1/openapi.json`.
 */

const window = {
  type: 'object',
  required: [
    'uptime',
    'passed',
    'failed',
    'error',
    'skipped',
    'p50Ms',
    'p95Ms',
    'latenessP50Ms',
    'latenessP95Ms',
  ],
  properties: {
    uptime: {
      type: ['number', 'null'],
      description: 'passed / (passed + failed), 0..1; null without conclusive runs',
    },
    passed: { type: 'integer' },
    failed: { type: 'integer' },
    error: { type: 'integer', description: 'inconclusive runs: count for neither side of uptime' },
    skipped: { type: 'integer' },
    p50Ms: {
      type: ['integer', 'null'],
      description: 'median response time, as the upper edge of its histogram bucket (ms)',
    },
    p95Ms: {
      type: ['integer', 'null'],
      description: '95th percentile, as the upper edge of its histogram bucket (ms)',
    },
    latenessP50Ms: {
      type: ['integer', 'null'],
      description:
        'median lateness of scheduled runs (from the cron tick to the delivery; a retry counts from its first tick), as the upper edge of its bucket (ms); null without scheduled runs',
    },
    latenessP95Ms: {
      type: ['integer', 'null'],
      description: '95th percentile lateness of scheduled runs, as the upper edge of its bucket (ms)',
    },
  },
};

const maintenance = {
  type: 'object',
  required: ['since', 'until'],
  description: 'the maintenance window open now: scheduled runs inside it are recorded skipped',
  properties: {
    since: { type: 'string', format: 'date-time', description: 'when the window opened' },
    until: { type: 'string', format: 'date-time', description: 'when it closes' },
  },
};

const incident = {
  type: 'object',
  required: ['status', 'since'],
  properties: {
    status: { enum: ['open', 'acknowledged', 'resolved'] },
    since: { type: 'string', format: 'date-time' },
    resolvedAt: { type: 'string', format: 'date-time' },
    issueNumber: { type: 'integer', description: 'the GitHub issue of the incident' },
  },
};

const pastIncident = {
  type: 'object',
  required: ['slug', 'name', 'status', 'since'],
  properties: {
    slug: { type: 'string', description: "the test's slug (its id when the test was removed since)" },
    name: { type: 'string' },
    ...incident.properties,
    kind: { enum: ['missed'], description: 'opened because scheduled runs stopped coming' },
    lastReason: { type: 'string', description: 'only when the repository sets status_page.show_goals' },
  },
};

const test = {
  type: 'object',
  required: ['slug', 'name', 'state', 'status', 'lastRunAt', 'windows', 'incident', 'maintenance'],
  properties: {
    slug: { type: 'string' },
    name: { type: 'string' },
    state: { enum: ['passing', 'failing', 'unknown'], description: 'by the last conclusive run' },
    status: {
      enum: ['passing', 'failing', 'incident', 'unknown'],
      description: 'what the status badge says',
    },
    lastRunAt: { type: ['string', 'null'], format: 'date-time' },
    windows: {
      type: 'object',
      properties: {
        '24h': { $ref: '#/components/schemas/Window' },
        '7d': { $ref: '#/components/schemas/Window' },
        '30d': { $ref: '#/components/schemas/Window' },
      },
    },
    incident: { oneOf: [{ $ref: '#/components/schemas/Incident' }, { type: 'null' }] },
    maintenance: { oneOf: [{ $ref: '#/components/schemas/Maintenance' }, { type: 'null' }] },
    goal: { type: 'string', description: 'only when the repository sets status_page.show_goals' },
    lastReason: { type: 'string', description: 'only when the repository sets status_page.show_goals' },
  },
};

const notFound = {
  description:
    'No public status page here: the repository is not public (status_page.public) or does not exist.',
  content: { 'application/json': { schema: { type: 'object', properties: { error: { type: 'string' } } } } },
};

const repoParams = [
  { name: 'owner', in: 'path', required: true, schema: { type: 'string' } },
  { name: 'repo', in: 'path', required: true, schema: { type: 'string' } },
];

/** The answer of `/api/v1/status/{owner}/{repo}`. */
const repoStatus = {
  type: 'object',
  required: ['repo', 'title', 'overall', 'generatedAt', 'tests', 'openIncidents', 'history'],
  properties: {
    repo: { type: 'string' },
    title: { type: 'string' },
    overall: { enum: ['operational', 'degraded', 'outage', 'unknown'] },
    generatedAt: { type: 'string', format: 'date-time' },
    tests: { type: 'array', items: { $ref: '#/components/schemas/Test' } },
    openIncidents: { type: 'array', items: { $ref: '#/components/schemas/Incident' } },
    history: {
      type: 'array',
      description: 'open incidents, then those resolved in the last 90 days, newest first',
      items: { $ref: '#/components/schemas/PastIncident' },
    },
  },
};

/** One run in the answer of `/api/v1/status/{owner}/{repo}/{slug}`. */
const run = {
  type: 'object',
  properties: {
    status: { enum: ['passed', 'failed', 'error', 'skipped'] },
    startedAt: { type: 'string', format: 'date-time' },
    durationMs: { type: 'integer' },
    responseMs: { type: ['integer', 'null'] },
    reason: { type: 'string', description: 'only with status_page.show_goals' },
  },
};

/** The answer of `/api/v1/status/{owner}/{repo}/{slug}`. */
const testStatus = {
  type: 'object',
  required: ['repo', 'generatedAt', 'test', 'runs', 'range', 'hours'],
  properties: {
    repo: { type: 'string' },
    generatedAt: { type: 'string', format: 'date-time' },
    test: { $ref: '#/components/schemas/Test' },
    runs: { type: 'array', description: 'newest first, at most 100', items: run },
    range: { enum: ['24h', '7d', '30d'] },
    hours: {
      type: 'array',
      description: 'hours with runs, oldest first',
      items: {
        allOf: [
          { $ref: '#/components/schemas/Window' },
          { type: 'object', properties: { start: { type: 'string', format: 'date-time' } } },
        ],
      },
    },
  },
};

const repoStatusPath = {
  get: {
    summary: 'The tests of a repository with their state, uptime and response times',
    parameters: repoParams,
    responses: {
      200: { description: 'The repository status', content: { 'application/json': { schema: repoStatus } } },
      404: notFound,
    },
  },
};

const testStatusPath = {
  get: {
    summary: 'One test: its last 100 runs and its hourly buckets for a range',
    parameters: [
      ...repoParams,
      { name: 'slug', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'range', in: 'query', required: false, schema: { enum: ['24h', '7d', '30d'], default: '24h' } },
    ],
    responses: {
      200: { description: 'The test', content: { 'application/json': { schema: testStatus } } },
      400: { description: 'range is not one of 24h, 7d, 30d' },
      404: notFound,
    },
  },
};

/** The document; `serverUrl` is the app's public base URL. */
export function openApiDocument(serverUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'HouseCat status API',
      version: '1.0.0',
      description:
        'Read-only status of the end-to-end tests of repositories that publish a status page (status_page.public in housecat.yml).',
    },
    servers: [{ url: serverUrl }],
    paths: {
      '/api/v1/status/{owner}/{repo}': repoStatusPath,
      '/api/v1/status/{owner}/{repo}/{slug}': testStatusPath,
    },
    components: {
      schemas: {
        Window: window,
        Incident: incident,
        PastIncident: pastIncident,
        Test: test,
        Maintenance: maintenance,
      },
    },
  };
}
