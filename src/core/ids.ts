/**
 * Test ids. One Redis serves many repositories, so an id is `{owner}--{repo}--{slug}`, lowercased.
 *
 * This mapping is injective: GitHub owners never contain `--`, slugs never contain `--`, so the
 * first `--` ends the owner and the last `--` starts the slug; whatever lies between is the repo
 * (which may itself contain `--`). Every character is URL-safe (`a-z 0-9 - . _`).
 */

/** A slug: lowercase letters and digits in words joined by single hyphens, at most 64 characters. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MAX = 64;

/** GitHub's rules: owner = letters, digits, single hyphens; repo = letters, digits, `.`, `_`, `-`. */
const OWNER_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const REPO_PATTERN = /^[A-Za-z0-9._-]{1,100}$/;

/** Turns a test name into a slug: "Login Flow (EU)" → "login-flow-eu". Empty when nothing usable is left. */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SLUG_MAX)
    .replace(/-+$/, '');
}

/** True when `slug` is a valid test slug (what a path segment must be to name a test). */
export function isSlug(slug: string): boolean {
  return slug.length <= SLUG_MAX && SLUG_PATTERN.test(slug);
}

/** True when `repo` is a valid `owner/name`. */
export function isRepoName(repo: string): boolean {
  const [owner, name, ...rest] = repo.split('/');
  return (
    rest.length === 0 &&
    owner !== undefined &&
    name !== undefined &&
    OWNER_PATTERN.test(owner) &&
    REPO_PATTERN.test(name) &&
    name !== '.' &&
    name !== '..'
  );
}

/** The globally unique id of a test: `testId('Acme/Shop', 'login-flow')` → `acme--shop--login-flow`. */
export function testId(repo: string, slug: string): string {
  if (!isRepoName(repo)) throw new Error(`not a repository name (owner/name): ${JSON.stringify(repo)}`);
  if (!SLUG_PATTERN.test(slug)) throw new Error(`not a slug: ${JSON.stringify(slug)}`);
  const [owner, name] = repo.toLowerCase().split('/') as [string, string];
  return `${owner}--${name}--${slug}`;
}

/** Splits an id made by {@link testId} back into its parts; `null` when it is not one. */
export function parseTestId(id: string): { owner: string; repo: string; slug: string } | null {
  const first = id.indexOf('--');
  const last = id.lastIndexOf('--');
  if (first <= 0 || last <= first + 2) return null;
  const owner = id.slice(0, first);
  const repo = id.slice(first + 2, last);
  const slug = id.slice(last + 2);
  if (!isRepoName(`${owner}/${repo}`) || !SLUG_PATTERN.test(slug)) return null;
  return { owner, repo, slug };
}

/** True when `id` is a well-formed test id (safe to put in a URL path or a Redis key). */
export function isTestId(id: string): boolean {
  return parseTestId(id) !== null;
}
