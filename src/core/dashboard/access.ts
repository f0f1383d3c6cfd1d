/**
 * Who may do what on a repository, by the permission GitHub reports for a person. One rule for the
 * `/housecat run` comment and the dashboard's Run now button.
 */

/** GitHub's repository permissions, weakest first. */
export type Permission = 'read' | 'triage' | 'write' | 'maintain' | 'admin';

const WRITE = new Set<string>(['admin', 'maintain', 'write']);
const READ = new Set<string>(['read', 'triage', 'write', 'maintain', 'admin']);

/** True when `permission` lets a person run tests (write access or more). */
export function canRunTests(permission: string | undefined): boolean {
  return permission !== undefined && WRITE.has(permission);
}

/** True when `permission` lets a person see a repository's tests. */
export function canRead(permission: string | undefined): boolean {
  return permission !== undefined && READ.has(permission);
}

/**
 * The permission of a `permissions` object as GitHub lists it for a repository
 * (`{ admin, maintain, push, triage, pull }`), or undefined when it grants nothing. Named apart from
 * the `permissionOf(repo, login)` lookup (adapters/github/installations.ts), which asks GitHub now.
 */
export function permissionFromFlags(
  flags: Partial<Record<string, boolean>> | undefined,
): Permission | undefined {
  if (!flags) return undefined;
  if (flags.admin) return 'admin';
  if (flags.maintain) return 'maintain';
  if (flags.push) return 'write';
  if (flags.triage) return 'triage';
  if (flags.pull) return 'read';
  return undefined;
}

/** A repository the app is installed on and the person can read, with their permission. */
export interface RepoAccess {
  /** `owner/name` as GitHub spells it. */
  repo: string;
  installationId: number;
  permission: Permission;
}

/** The person's access to `repo` (case-insensitive, like GitHub's names), or null. */
export function accessTo(list: RepoAccess[], repo: string): RepoAccess | null {
  const wanted = repo.toLowerCase();
  return list.find((a) => a.repo.toLowerCase() === wanted && canRead(a.permission)) ?? null;
}
