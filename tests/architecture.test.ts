/**
 * The import graph, read from the sources: core ← adapters ← app ← entries (action, bot, cli).
 * Fails naming the file and the import of every forbidden edge, and every cycle.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const src = join(root, 'src');
const ENTRIES = new Set(['action', 'bot', 'cli']);
/** Small pure libraries core may use (parsing definitions). */
const CORE_LIBS = new Set(['zod', 'yaml', 'js-yaml']);
/** The CLI's `serve` starts the bot through its public entry. */
const ALLOWED_ENTRY_EDGES = new Set([
  'cli/commands/serve.ts -> bot/index.ts',
  // `up` starts the app's single-machine composition (src/bot/up/) through the same entry.
  'cli/commands/up.ts -> bot/index.ts',
  'cli/up-setup.ts -> bot/index.ts',
  'cli/up-launch.ts -> bot/index.ts',
]);

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

/**
 * The composition root: the only files that know every store is one Redis (adapters/compose*.ts).
 * Everywhere else takes the storage bundle's ports, so nothing downcasts the Store port or probes it.
 */
const COMPOSITION_ROOT = /^adapters\/compose(-[a-z-]+)?\.ts$/;

/** Each downcast (`instanceof RedisStore`) or member probe (`'x' in store`) in `text`, as written. */
function storeProbes(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, '');
  return [...code.matchAll(/\binstanceof\s+RedisStore\b|(['"`])\w+\1\s+in\s+[\w.]*[sS]tore\b/g)].map(
    (m) => m[0],
  );
}

describe('the composition root', () => {
  it('finds a downcast and a member probe, and nothing in a comment', () => {
    expect(storeProbes("if (store instanceof RedisStore) x();\nif ('takeSlot' in store) y();")).toEqual([
      'instanceof RedisStore',
      "'takeSlot' in store",
    ]);
    expect(storeProbes('const ok = "watchSnapshot" in deps.store;')).toEqual([
      '"watchSnapshot" in deps.store',
    ]);
    expect(storeProbes('// a store instanceof RedisStore was here\nconst n = 1;')).toEqual([]);
  });

  it('is the only place that downcasts the Store port or probes it for a method', () => {
    const problems = sourceFiles(src).flatMap((file) => {
      const path = relative(src, file);
      if (COMPOSITION_ROOT.test(path)) return [];
      return storeProbes(readFileSync(file, 'utf8')).map(
        (probe) =>
          `src/${path}: \`${probe}\` — take the port from the storage bundle (adapters/compose-storage.ts)`,
      );
    });
    expect(problems).toEqual([]);
  });
});

/** The run policy's exported names: which parts of a test run, in what order, and the deadline split. */
const RUN_POLICY_NAMES = ['runTestParts', 'goalTimeLimitMs'];
/** What only the policy writes: the checks' pass turned into a step, the AI part not run after them. */
const RUN_POLICY_MARKS = ['checks passed: ', 'not run: the checks'];

describe('the run policy', () => {
  const files = sourceFiles(src).map((file) => ({
    path: relative(src, file),
    text: readFileSync(file, 'utf8'),
  }));

  it('is defined in app/run-tests.ts only', () => {
    for (const name of RUN_POLICY_NAMES) {
      const definers = files.filter((f) => new RegExp(`(?:function|const|let)\\s+${name}\\b`).test(f.text));
      expect(
        definers.map((f) => f.path),
        name,
      ).toEqual(['app/run-tests.ts']);
    }
  });

  it('is not in the agent adapters: they only drive a browser or call an API', () => {
    const found = files.flatMap((f) =>
      f.path.startsWith('adapters/agent/')
        ? RUN_POLICY_MARKS.filter((mark) => f.text.includes(mark)).map((mark) => `src/${f.path}: "${mark}"`)
        : [],
    );
    expect(found).toEqual([]);
  });
});

/** Small helpers that had started to disagree as copies: each is defined in one file only. */
const ONE_COPY = [
  'describeStep',
  'percentile',
  'applyBaseUrl',
  'formatTime',
  'formatTimeSpan',
  'formatRunDuration',
  'emptyResult',
  'STATUS_ORDER',
  'countsOf',
];

describe('one copy of each helper', () => {
  const files = sourceFiles(src).map((file) => ({
    path: relative(src, file),
    text: readFileSync(file, 'utf8'),
  }));

  it('defines each shared helper in one file', () => {
    const copies = ONE_COPY.flatMap((name) => {
      const definers = files.filter((f) =>
        new RegExp(`^\\s*(?:export\\s+)?(?:async\\s+)?(?:function|const|let)\\s+${name}\\b`, 'm').test(
          f.text,
        ),
      );
      return definers.length === 1
        ? []
        : [`${name}: ${definers.map((f) => `src/${f.path}`).join(', ') || 'none'}`];
    });
    expect(copies).toEqual([]);
  });

  it('declares minutes, hours and days in milliseconds in core/time.ts only', () => {
    const declared = files.flatMap((f) =>
      f.path !== 'core/time.ts' && /^\s*(?:export\s+)?const\s+(?:MINUTE|HOUR|DAY)(?:_MS)?\s*=/m.test(f.text)
        ? [`src/${f.path}`]
        : [],
    );
    expect(declared).toEqual([]);
  });
});

/** The house limit: a function over this many lines needs a `// long: why` comment just above it. */
const MAX_FUNCTION_LINES = 80;

/**
 * Long functions not split yet, by `file#function`, with why (issue 24 emptied it). Prefer splitting
 * along the steps, or a `// long: <reason>` comment above the function when a split would read worse
 * (one table, one switch); the test fails for an entry that is no longer long.
 */
const LONG_FUNCTIONS_ALLOWED = new Map<string, string>([]);

interface LongFunction {
  key: string;
  lines: number;
  line: number;
}

/** Every function of `file` (src-relative) longer than the limit, without a `// long:` reason above it. */
function longFunctions(path: string, text: string): LongFunction[] {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const lines = text.split('\n');
  const found: LongFunction[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.end).line;
      const reasoned = lines.slice(Math.max(0, first - 3), first + 1).some((l) => l.includes('// long:'));
      if (last - first + 1 > MAX_FUNCTION_LINES && !reasoned) {
        const parent = node.parent;
        const name =
          node.name?.getText(source) ||
          ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) &&
            parent.name.getText(source)) ||
          '(anonymous)';
        found.push({ key: `${path}#${name}`, lines: last - first + 1, line: first + 1 });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('function length', () => {
  const long = sourceFiles(src).flatMap((file) =>
    longFunctions(relative(src, file), readFileSync(file, 'utf8')),
  );

  it(`has no function over ${MAX_FUNCTION_LINES} lines without a "// long:" reason, beyond the allow-list`, () => {
    const unexpected = long
      .filter((f) => !LONG_FUNCTIONS_ALLOWED.has(f.key))
      .map((f) => `src/${f.key.replace('#', `:${f.line} `)} is ${f.lines} lines: split it along its steps`);
    expect(unexpected).toEqual([]);
  });

  it('allow-lists only functions that are still long (delete the entry of one that was split)', () => {
    const stillLong = new Set(long.map((f) => f.key));
    expect([...LONG_FUNCTIONS_ALLOWED.keys()].filter((key) => !stillLong.has(key))).toEqual([]);
  });

  it('finds a long function and accepts one with a reason', () => {
    const body = Array.from({ length: MAX_FUNCTION_LINES }, (_, i) => `  const a${i} = ${i};`).join('\n');
    const fn = `function big() {\n${body}\n}\n`;
    expect(longFunctions('x.ts', fn).map((f) => f.key)).toEqual(['x.ts#big']);
    expect(longFunctions('x.ts', `// long: one table, read top to bottom\n${fn}`)).toEqual([]);
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
