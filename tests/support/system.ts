/**
 * Checks for the system packages the suite needs. A missing package fails the test with the exact
 * install command: it never skips silently.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Finds an executable on PATH (or returns the absolute path given when it is executable). */
export function which(name: string): string | undefined {
  const candidates = name.includes('/')
    ? [name]
    : (process.env.PATH ?? '').split(delimiter).map((d) => join(d, name));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

/** Returns the path of a system program or throws an error naming the Debian package to install. */
export function requireProgram(program: string, debianPackage: string): string {
  const found = which(program);
  if (!found) {
    throw new Error(
      `${program} is not installed, and this test needs the real one.\n` +
        `Install it with:  apt-get update && apt-get install -y ${debianPackage}`,
    );
  }
  return found;
}

/** The Chromium the tests drive (HOUSECAT_CHROMIUM, else Debian's /usr/bin/chromium). */
export function requireChromium(): string {
  const configured = process.env.HOUSECAT_CHROMIUM;
  if (configured) return requireProgram(configured, 'chromium');
  return requireProgram('chromium', 'chromium');
}
