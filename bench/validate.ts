/**
 * Validation speed: parse and validate a generated 1,000-test housecat.yml (goal: under 300 ms).
 * Prints the median and worst of several runs, in-process, and the wall time of `housecat validate`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDefinitions } from '../src/core/config/parse.js';

function generate(count: number): string {
  const lines = ['version: 1', 'defaults:', '  schedule: "*/15 * * * *"', '  retries: 1', 'tests:'];
  for (let i = 0; i < count; i++) {
    lines.push(
      `  - name: Test number ${i}`,
      `    url: https://app${i % 17}.example.com/page/${i}?q=${i}`,
      `    goal: Log in with the demo account, open report ${i} and check that the total is shown`,
      `    schedule: "${i % 60} */${(i % 12) + 1} * * MON-FRI"`,
      '    allowed_hosts: [auth.example.com, "*.cdn.example.com"]',
      '    secrets: [DEMO_PASSWORD]',
      '    expect:',
      '      status: 200',
      `      text: ["Report ${i}", Total]`,
      '      max_ms: 3000',
    );
  }
  return `${lines.join('\n')}\n`;
}

const source = generate(1000);
const runs: number[] = [];
for (let i = 0; i < 12; i++) {
  const start = performance.now();
  const outcome = parseDefinitions(source, { file: 'housecat.yml', repo: 'acme/shop' });
  runs.push(performance.now() - start);
  if (!outcome.ok || outcome.tests.length !== 1000) throw new Error('generated file did not validate');
}
const warm = runs.slice(2).sort((a, b) => a - b);
console.log(`file: 1,000 tests, ${(Buffer.byteLength(source) / 1024).toFixed(0)} KiB`);
console.log(
  `in-process parse+validate: first ${runs[0]!.toFixed(0)} ms, median ${warm[Math.floor(warm.length / 2)]!.toFixed(0)} ms, worst warm ${warm.at(-1)!.toFixed(0)} ms (goal < 300 ms)`,
);

const dir = mkdtempSync(join(tmpdir(), 'housecat-bench-'));
const file = join(dir, 'housecat.yml');
writeFileSync(file, source);
const bin = join(import.meta.dirname, '../bin/housecat.js');
const walls: number[] = [];
for (let i = 0; i < 5; i++) {
  const start = performance.now();
  const result = spawnSync(process.execPath, [bin, 'validate', '--config', file, '--repo', 'acme/shop'], {
    encoding: 'utf8',
  });
  walls.push(performance.now() - start);
  if (result.status !== 0) throw new Error(`housecat validate failed: ${result.stderr}`);
}
walls.sort((a, b) => a - b);
console.log(`housecat validate (whole process, incl. Node start-up): median ${walls[2]!.toFixed(0)} ms`);
