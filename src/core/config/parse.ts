/**
 * Parses and validates a definitions file, reporting every problem at once with its line, column
 * and field path. Pure: the caller reads the file (see adapters/definitions-file.ts).
 */
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import { type Document, LineCounter, parseDocument } from 'yaml';
import type { Diagnostic } from '../errors.js';
import type { StatusPageSettings } from '../ports.js';
import type { TestDefinition } from '../types.js';
import { crossChecks } from './cross-checks.js';
import { formatPath, locate } from './locate.js';
import { privateTargets } from './private-urls.js';
import { resolveTests } from './resolve.js';
import { fileSchema, type RawFile } from './schema.js';
import { describeValue, EXAMPLE_HINT, fromIssue, type Problem } from './zod-problems.js';

export { EXAMPLE_URL } from './zod-problems.js';

/**
 * A valid file's tests, with warnings that do not make it invalid (test targets on private
 * addresses), or every problem found.
 */
export type ParseOutcome =
  | { ok: true; tests: TestDefinition[]; warnings: Diagnostic[]; statusPage?: StatusPageSettings }
  | { ok: false; diagnostics: Diagnostic[] };

/** Largest definitions file accepted; anything bigger is a mistake or an attack. */
export const MAX_FILE_BYTES = 1024 * 1024;
/** Aliases a file may expand: enough for real reuse of `defaults`, far too few for a "billion laughs". */
const MAX_ALIAS_COUNT = 100;

/** Makes a diagnostic in the file being parsed. */
type At = (line: number, column: number, path: string, message: string) => Diagnostic;

/** A file the careful parser read: the document (for positions) and its plain data. */
interface ReadFile {
  ok: true;
  doc: Document;
  lines: LineCounter;
  data: Record<string, unknown>;
}

/** Parses `source` (the text of `file`) into resolved tests for `repo`, or every problem found. */
export function parseDefinitions(
  source: string,
  options: {
    file: string;
    repo: string;
    /** Skip the fast path (tests use it to show both paths agree). */
    careful?: boolean;
  },
): ParseOutcome {
  const { file } = options;
  const at: At = (line, column, path, message) => ({ file, line, column, path, message });
  const refused = refuseBeforeParsing(source, at);
  if (refused) return refused;
  const fast = options.careful ? null : parseFast(source, options.repo);
  if (fast) return fast;
  const read = readCarefully(source, at);
  return read.ok ? validate(read, options.repo, at) : read;
}

/** A file too big to read, or with nothing in it but blank lines and comments. */
function refuseBeforeParsing(source: string, at: At): ParseOutcome | null {
  if (Buffer.byteLength(source, 'utf8') > MAX_FILE_BYTES) {
    return {
      ok: false,
      diagnostics: [at(1, 1, '', `the file is larger than 1 MiB — split it or remove generated content`)],
    };
  }
  if (source.trim() === '' || source.split('\n').every((l) => l.trim() === '' || l.trim().startsWith('#'))) {
    return {
      ok: false,
      diagnostics: [at(1, 1, '', `the file is empty — add a \`tests:\` list (${EXAMPLE_HINT})`)],
    };
  }
  return null;
}

/**
 * Reads the YAML with positions, bounding alias expansion: a syntax error, an alias bomb or a file
 * that is not a mapping is reported here, before the schema sees it.
 */
function readCarefully(source: string, at: At): ReadFile | { ok: false; diagnostics: Diagnostic[] } {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      diagnostics: doc.errors.map((error) => {
        const pos = lines.linePos(error.pos[0]);
        const message =
          error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? 'invalid YAML';
        return at(pos.line, pos.col, '', `YAML syntax error: ${message}`);
      }),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const tooMany = error instanceof Error && /alias/i.test(error.message);
    const message = tooMany
      ? `too many YAML aliases (*refs) are expanded — the file looks like an "alias bomb"; write the values out instead`
      : `the YAML could not be read: ${(error as Error).message}`;
    return { ok: false, diagnostics: [at(1, 1, '', message)] };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    const message = `the file must be a mapping with a \`tests:\` list, not ${describeValue(data)} (${EXAMPLE_HINT})`;
    return { ok: false, diagnostics: [at(1, 1, '', message)] };
  }
  return { ok: true, doc, lines, data: data as Record<string, unknown> };
}

/**
 * Checks the read file against the schema and the cross-field rules, and reports every problem
 * sorted by position; a valid file gives its tests, with private-address warnings located.
 */
function validate(read: ReadFile, repo: string, at: At): ParseOutcome {
  const { doc, lines } = read;
  const problems: Problem[] = [];
  const settings = withoutExtensions(read.data);
  const parsed = fileSchema.safeParse(settings);
  if (!parsed.success) for (const issue of parsed.error.issues) problems.push(...fromIssue(issue, settings));
  for (const p of crossChecks(settings)) problems.push({ ...p, at: p.at ?? 'value' });

  if (problems.length > 0 || !parsed.success) {
    const diagnostics = problems.map((p) => {
      const pos = locate(doc, lines, p.path, p.at);
      return at(pos.line, pos.column, formatPath(p.path), p.message);
    });
    diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
    return { ok: false, diagnostics: dedupe(diagnostics) };
  }
  const warnings = privateTargets(parsed.data).map((w) => {
    const pos = locate(doc, lines, w.path, 'value');
    return at(pos.line, pos.column, formatPath(w.path), w.message);
  });
  return { ok: true, tests: resolveTests(parsed.data, repo), warnings, ...statusPageOf(parsed.data) };
}

/** Top-level `x-…` keys hold YAML anchors for reuse (as in Compose files); they are not settings. */
function withoutExtensions(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([key]) => !key.startsWith('x-')));
}

/** An anchor (`&name`) anywhere: such files take the careful path, which bounds alias expansion. */
const ANCHOR = /(?:^|[\s,[{:-])&[^\s,[\]{}]/;

/**
 * The fast path for the common case, a valid file without anchors: js-yaml parses about six times
 * faster than the position-tracking parser. It answers only when the file is valid and has nothing
 * to warn about; anything else (a syntax error, a problem or warning to report, anchors) returns `null`, and the careful path reports it
 * with lines and columns. Both use the YAML 1.2 core schema, reject duplicate keys and multiple
 * documents, so they agree on what a valid file means (tests/core/config/parse.test.ts checks it).
 */
function parseFast(source: string, repo: string): ParseOutcome | null {
  if (ANCHOR.test(source)) return null;
  let data: unknown;
  try {
    data = loadYaml(source, { schema: CORE_SCHEMA });
  } catch {
    return null;
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return null;
  const settings = withoutExtensions(data as Record<string, unknown>);
  const parsed = fileSchema.safeParse(settings);
  if (!parsed.success || crossChecks(settings).length > 0) return null;
  // Warnings need lines and columns: the careful path locates them.
  if (privateTargets(parsed.data).length > 0) return null;
  return { ok: true, tests: resolveTests(parsed.data, repo), warnings: [], ...statusPageOf(parsed.data) };
}

/** The `status_page:` block with its defaults applied; nothing when the file has none. */
function statusPageOf(file: RawFile): { statusPage?: StatusPageSettings } {
  const page = file.status_page;
  if (!page) return {};
  return {
    statusPage: {
      public: page.public ?? false,
      showGoals: page.show_goals ?? false,
      ...(page.title === undefined ? {} : { title: page.title.trim() }),
    },
  };
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.line}:${d.column}:${d.path}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
