/**
 * The import graph, read from the sources: core ← adapters ← app ← entries (action, bot, cli).
 * Fails naming the file and the import of every forbidden edge, and every cycle.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const src = join(root, 'src');
const ENTRIES = new Set(['action', 'bot', 'cli']);
/** Small pure libraries core may use (parsing definitions). */
const CORE_LIBS = new Set(['zod', 'yaml', 'js-yaml']);
/** The CLI's `serve` starts the bot through its public entry. */
const ALLOWED_ENTRY_EDGES = new Set(['cli/commands/serve.ts -> bot/index.ts']);

interface Edge {
  from: string;
  specifier: string;
  /** src-relative target for a relative import; undefined for a package. */
  to?: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): Edge[] {
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, '');
  const from = relative(src, file);
  const specifiers = [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g),
    ...text.matchAll(/(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g),
    ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1] as string);
  return specifiers.map((specifier) => {
    if (!specifier.startsWith('.')) return { from, specifier };
    const to = relative(src, resolve(dirname(file), specifier)).replace(/\.js$/, '.ts');
    return { from, specifier, to };
  });
}

function layerOf(path: string): string {
  const top = path.split('/')[0] ?? '';
  return ENTRIES.has(top) ? `entry:${top}` : top;
}

function isBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || builtinModules.includes(specifier);
}

function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
}

/** Why an edge is forbidden, or null. */
function forbidden(edge: Edge): string | null {
  const layer = layerOf(edge.from);
  if (edge.to === undefined) {
    if (isBuiltin(edge.specifier)) return null;
    const pkg = packageOf(edge.specifier);
    if (layer === 'core' && !CORE_LIBS.has(pkg)) return `core imports the package ${pkg}`;
    if (layer === 'app') return `app imports the package ${pkg} (use a port)`;
    return null;
  }
  const target = layerOf(edge.to);
  if (layer === 'core' && target !== 'core') return `core imports ${target}`;
  if (layer === 'adapters' && target !== 'core' && target !== 'adapters')
    return `an adapter imports ${target}`;
  if (layer === 'app' && target !== 'core' && target !== 'app') return `app imports ${target}`;
  if (layer.startsWith('entry:') && target.startsWith('entry:') && target !== layer) {
    if (ALLOWED_ENTRY_EDGES.has(`${edge.from} -> ${edge.to}`)) return null;
    return `entry point ${layer.slice(6)} imports entry point ${target.slice(6)}`;
  }
  return null;
}

/** Every cycle of the relative import graph, each as a list of files. */
function cycles(edges: Edge[]): string[][] {
  const graph = new Map<string, string[]>();
  for (const e of edges) if (e.to) graph.set(e.from, [...(graph.get(e.from) ?? []), e.to]);
  const found: string[][] = [];
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'active');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'active') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return found;
}

const edges = sourceFiles(src).flatMap(importsOf);

describe('the import graph', () => {
  it('reads the imports of src/', () => {
    expect(edges.length).toBeGreaterThan(100);
    expect(edges.some((e) => e.from === 'cli/commands/run.ts' && e.to === 'app/run-suite.ts')).toBe(true);
  });

  it('has no forbidden edge: core ← adapters ← app ← entries, and no entry imports another', () => {
    const problems = edges.flatMap((e) => {
      const why = forbidden(e);
      return why ? [`src/${e.from} imports '${e.specifier}': ${why}`] : [];
    });
    expect(problems).toEqual([]);
  });

  it('has no cycle', () => {
    expect(cycles(edges).map((c) => c.map((f) => `src/${f}`).join(' -> '))).toEqual([]);
  });

  it('finds a cycle through a type import and a lazy import alike', () => {
    const found = cycles([
      { from: 'action/main.ts', specifier: './run-mode.js', to: 'action/run-mode.ts' },
      { from: 'action/run-mode.ts', specifier: './main.js', to: 'action/main.ts' },
    ]);
    expect(found).toEqual([['action/main.ts', 'action/run-mode.ts', 'action/main.ts']]);
  });

  it('names the file and the import of a forbidden edge', () => {
    expect(forbidden({ from: 'core/x.ts', specifier: '../adapters/y.js', to: 'adapters/y.ts' })).toBe(
      'core imports adapters',
    );
    expect(forbidden({ from: 'app/x.ts', specifier: 'probot' })).toBe(
      'app imports the package probot (use a port)',
    );
    expect(forbidden({ from: 'action/x.ts', specifier: '../cli/y.js', to: 'cli/y.ts' })).toBe(
      'entry point action imports entry point cli',
    );
  });
});

/** A file's code without its comments (a comment may name a key or a port: it is not code). */
function codeOf(file: string): string {
  return readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|(^|[^:])\/\/.*$/gm, '$1');
}

/**
 * The first segments of the Redis key names adapters/store/keys.ts builds. A string or template
 * literal in app/ that starts with one followed by `:` (`lock:test:${id}`, 'results:') is a key name
 * written outside the store: app/ asks the store for names (Store.claimNames) instead.
 */
const KEY_PREFIXES = [
  'test',
  'tests',
  'results',
  'timing',
  'events',
  'incident',
  'incidents',
  'claim',
  'lock',
  'qstash',
  'outbox',
  'session',
  'access',
  'shot',
  'stats',
  'repo',
  'replay',
  'ratelimit',
];
const KEY_LITERAL = new RegExp(`['"\`](?:${KEY_PREFIXES.join('|')}):`);

function keyLiterals(code: string): string[] {
  return code
    .split('\n')
    .filter((line) => KEY_LITERAL.test(line))
    .map((line) => line.trim());
}

/**
 * A use case takes a port and writes through it. The ports reach code as `deps.store`,
 * `deps.tracker`, `deps.scheduler` (or a parameter of that name), so a call of a method on a value
 * named like a port (`store.saveIncident(`, `deps.tracker.comment(`, `outbox.commit(`) is a use case
 * at work. core/ may declare ports (their interfaces) but never call one: that approximation is
 * checkable from the text, and it is what moved core/incidents/evaluate.ts to app/ (issue 24).
 */
const PORT_CALL = /\b(?:store|tracker|scheduler|outbox|delivery)\.[a-zA-Z]+\s*\(/;

function portCalls(code: string): string[] {
  return code
    .split('\n')
    .filter((line) => PORT_CALL.test(line))
    .map((line) => line.trim());
}

describe('what lives where', () => {
  const inLayer = (layer: string) => sourceFiles(join(src, layer));

  it('app/ names no Redis key (the store adapter owns key names)', () => {
    const problems = inLayer('app').flatMap((file) =>
      keyLiterals(codeOf(file)).map((line) => `src/${relative(src, file)}: ${line}`),
    );
    expect(problems).toEqual([]);
  });

  it('core/ holds no use case: no function there calls a port', () => {
    const problems = inLayer('core').flatMap((file) =>
      portCalls(codeOf(file)).map((line) => `src/${relative(src, file)}: ${line}`),
    );
    expect(problems).toEqual([]);
  });

  it('catches a key name in app/ and a port call in core/', () => {
    expect(keyLiterals("const key = 'lock:test:' + id;\nconst ok = 'all good';")).toEqual([
      "const key = 'lock:test:' + id;",
    ]);
    expect(keyLiterals("logger.info('incident opened for ' + id)")).toEqual([]);
    expect(portCalls('await deps.store.saveIncident(incident);')).toHaveLength(1);
    expect(portCalls('const next = decideIncident({ test, current });')).toEqual([]);
  });

  it('keeps the Redis packing of hourly rollups in the store adapter', () => {
    const rollup = codeOf(join(src, 'core/status/rollup.ts'));
    expect(rollup).not.toMatch(/\bpackHour\b|\bunpackHour\b|Lua/);
  });
});
