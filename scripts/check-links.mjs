// Offline link check of the documentation: every relative link in README.md, BENCHMARKS.md and docs/*.md
// must name a file of the repository, and every `#anchor` a heading of its target, slugged the way
// GitHub renders it. External links are not fetched (CI has no internet; they are not ours to keep).
// Usage: node scripts/check-links.mjs   (exit 1 with `file:line: link — problem` lines)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const docs = [
  'README.md',
  'BENCHMARKS.md',
  ...readdirSync(join(root, 'docs')).map((f) => `docs/${f}`),
].filter((f) => f.endsWith('.md'));

/** GitHub's heading ids: lower case, punctuation dropped, spaces to `-`, repeats numbered `-1`, `-2`. */
function anchorsOf(file) {
  const seen = new Map();
  const anchors = new Set();
  let fenced = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const heading = !fenced && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const text = heading[1].replace(/`/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  for (const [, id] of readFileSync(file, 'utf8').matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) anchors.add(id);
  return anchors;
}

const problems = [];
let checked = 0;
for (const doc of docs) {
  const path = join(root, doc);
  let fenced = false;
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      if (/^\s*```/.test(line)) fenced = !fenced;
      if (fenced) return;
      // Inline code is not a link: `[x](y)` inside backticks is an example.
      const prose = line.replace(/`[^`]*`/g, '');
      for (const [, target] of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
        checked++;
        const [file, anchor] = target.split('#');
        const resolved = file ? join(dirname(path), decodeURIComponent(file)) : path;
        const where = `${doc}:${index + 1}: ${target}`;
        if (!existsSync(resolved)) {
          problems.push(`${where} — no such file (${relative(root, resolved)})`);
          continue;
        }
        if (
          anchor &&
          statSync(resolved).isFile() &&
          resolved.endsWith('.md') &&
          !anchorsOf(resolved).has(anchor)
        ) {
          problems.push(`${where} — no heading with this anchor in ${relative(root, resolved)}`);
        }
      }
    });
}

if (problems.length > 0) {
  for (const p of problems) console.error(p);
  console.error(`check-links: ${problems.length} broken of ${checked} relative links`);
  process.exit(1);
}
console.log(`check-links: ${checked} relative links in ${docs.length} files resolve`);
