#!/usr/bin/env node
// The `housecat` command. The TypeScript sources are compiled to lib/ by `npm ci` (the `prepare`
// script); this file only points there and explains what to do when the build is missing.
import { existsSync } from 'node:fs';

const entry = new URL('../lib/cli/index.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    'housecat: the compiled CLI is missing (lib/cli/index.js) — run `npm ci` (or `npm ci --omit=dev`) in the clone first\n',
  );
  process.exit(2);
}
await import(entry.href);
