/**
 * What `npm run smoke:live` needs from the environment, each with what it is for. Without any of
 * the required ones it prints this list and exits 2 (a configuration error, as the CLI's).
 */

export interface SmokeVariable {
  name: string;
  purpose: string;
}

/** Required: the loop cannot be closed without each of them. */
export const REQUIRED: readonly SmokeVariable[] = [
  {
    name: 'UPSTASH_REDIS_REST_URL',
    purpose:
      'the Upstash Redis the app uses: sync writes the smoke test there, the app records its run there',
  },
  {
    name: 'UPSTASH_REDIS_REST_TOKEN',
    purpose: 'the token of that Redis (Upstash console, REST API section)',
  },
  {
    name: 'QSTASH_TOKEN',
    purpose:
      "creates the smoke test's schedule and publishes one signed delivery to the app (Upstash console, QStash tab)",
  },
  {
    name: 'HOUSECAT_PUBLIC_URL',
    purpose:
      "public base URL of a running HouseCat app (deployed, or `housecat serve` behind a tunnel) with the same Redis and this QStash account's signing keys; it receives the signed delivery",
  },
  { name: 'ANTHROPIC_API_KEY', purpose: 'the Claude goal test run here against a public page' },
  { name: 'GITHUB_TOKEN', purpose: 'a token that may open and close issues on HOUSECAT_SMOKE_REPO' },
  {
    name: 'HOUSECAT_SMOKE_REPO',
    purpose:
      'a scratch repository (owner/name): the smoke test belongs to it, and an issue is opened and closed there',
  },
];

/** Optional, with their defaults. */
export const OPTIONAL: readonly SmokeVariable[] = [
  {
    name: 'QSTASH_URL',
    purpose:
      'QStash region: default https://qstash.upstash.io (EU); https://qstash-us-east-1.upstash.io for a US account',
  },
  { name: 'HOUSECAT_SMOKE_PAGE', purpose: 'the public page of the goal test (default https://example.com/)' },
  {
    name: 'HOUSECAT_SMOKE_WAIT_S',
    purpose: 'how long to wait for the app to record the delivered run (default 300)',
  },
  {
    name: 'GITHUB_API_URL',
    purpose: 'GitHub API base (default https://api.github.com; GitHub Enterprise: its /api/v3)',
  },
  { name: 'ANTHROPIC_BASE_URL', purpose: 'Anthropic API base (default the public API)' },
  { name: 'HOUSECAT_REDIS_PREFIX', purpose: "the app's Redis key prefix, when it has one" },
];

/** The required variables that are unset or blank in `env`. */
export function missingVariables(env: NodeJS.ProcessEnv): SmokeVariable[] {
  return REQUIRED.filter((v) => !env[v.name]?.trim());
}

/** The message printed when variables are missing: every one, with what it is for. */
export function missingMessage(missing: readonly SmokeVariable[]): string {
  const width = Math.max(...[...REQUIRED, ...OPTIONAL].map((v) => v.name.length));
  const line = (v: SmokeVariable) => `  ${v.name.padEnd(width)}  ${v.purpose}`;
  return [
    `smoke:live runs HouseCat's whole loop against the real services and needs ${missing.length} more variable(s):`,
    ...missing.map(line),
    '',
    'Optional:',
    ...OPTIONAL.map(line),
    '',
    'Nothing was run. Set them (e.g. in an untracked .env you `source`) and run `npm run smoke:live` again.',
  ].join('\n');
}
