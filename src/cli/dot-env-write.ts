/**
 * Writes settings into a `.env` file the way a person would edit it: lines for other settings,
 * comments and blank lines stay as they were; a setting already there is replaced in place; new
 * ones are appended. The file holds secrets (the App's private key), so it is left readable by its
 * owner only (0600), whether it was created now or existed with wider permissions.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';

/** One `NAME=value` line; a value with newlines (a PEM key) is double-quoted with `\n` escapes. */
function line(name: string, value: string): string {
  return value.includes('\n') ? `${name}="${value.replace(/\r?\n/g, '\\n')}"` : `${name}=${value}`;
}

/** The setting a line assigns (`NAME=…` or `export NAME=…`), or null for comments and blanks. */
function nameOf(text: string): string | null {
  const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(text);
  return match ? match[1]! : null;
}

/**
 * Sets `settings` in `file` (created when missing), keeping every other line. A multi-line quoted
 * value of a replaced setting is dropped whole, so no half of an old key is left behind.
 */
export function mergeDotEnv(file: string, settings: Record<string, string>): void {
  let lines: string[] = [];
  try {
    lines = readFileSync(file, 'utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const out: string[] = [];
  const written = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    const name = nameOf(text);
    if (name === null || !(name in settings)) {
      out.push(text);
      continue;
    }
    // Skip the rest of a value quoted over several lines (`KEY="-----BEGIN…` up to the closing quote).
    const value = text.slice(text.indexOf('=') + 1).trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'") && !value.slice(1).includes(quote)) {
      while (i + 1 < lines.length && !lines[i + 1]!.includes(quote)) i++;
      i++;
    }
    if (!written.has(name)) out.push(line(name, settings[name]!));
    written.add(name);
  }
  for (const [name, value] of Object.entries(settings)) {
    if (!written.has(name)) out.push(line(name, value));
  }
  writeFileSync(file, `${out.join('\n')}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}
