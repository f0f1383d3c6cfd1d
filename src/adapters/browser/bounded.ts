/**
 * Playwright calls that take no timeout (`page.evaluate`, `page.title`) wait for the page's
 * execution context: while a navigation is pending (a server that never answers), they wait for
 * ever. Everything HouseCat reads from a page for evidence goes through here.
 */

/** `promise`'s value, or `fallback` when it rejects or takes longer than `ms`. */
export async function within<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), Math.max(0, ms));
  });
  // The loser is left to settle on its own (it rejects when the context closes).
  promise.catch(() => undefined);
  try {
    return await Promise.race([promise.catch(() => fallback), late]);
  } finally {
    clearTimeout(timer);
  }
}
