import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { suggestClosest } from './did-you-mean.ts';
import type { ConfigProblem } from './problem.ts';

export type PathSegment = string | number;

/** A parsed YAML file that remembers where each value came from. */
export interface YamlSource {
  file: string;
  doc: Document;
  lineCounter: LineCounter;
  /** The plain JS value; undefined when the file has syntax errors. */
  data: unknown;
  /** YAML syntax errors, one per error, with their line. */
  syntaxProblems: ConfigProblem[];
}

/**
 * How many alias expansions a document may make. A few anchors reused in a forecast file stay far
 * below; a "billion laughs" of nested aliases hits it at once instead of exhausting memory.
 */
export const MAX_ALIAS_COUNT = 100;

/**
 * Parses YAML text with line tracking. Syntax errors, an alias bomb and anything else the parser
 * throws become problems with a line, never exceptions: one bad file must not stop the others.
 */
export function parseYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    // Deep nesting can overflow the parser's stack; report it like a syntax error.
    const empty = parseDocument('', { lineCounter: new LineCounter() });
    return {
      file,
      doc: empty,
      lineCounter,
      data: undefined,
      syntaxProblems: [{ file, line: 1, message: `YAML syntax error: cannot parse the file (${(error as Error).message})` }],
    };
  }
  // After the first error the parser's later complaints are mostly echoes of it; duplicate keys
  // are independent of each other and all worth showing.
  const errors = doc.errors.filter((e, i) => i === 0 || e.code === 'DUPLICATE_KEY');
  const syntaxProblems: ConfigProblem[] = errors.map((error) => {
    if (error.code === 'BLOCK_AS_IMPLICIT_KEY' || error.code === 'MULTILINE_IMPLICIT_KEY') {
      const indented = overIndentedLine(text, lineCounter.linePos(error.pos[0]).line);
      if (indented) return { file, ...indented };
    }
    const offset = error.pos[0];
    const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    return { file, line: lineCounter.linePos(offset).line, message: `YAML syntax error: ${message}` };
  });
  let data: unknown;
  if (syntaxProblems.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      const aliases = error instanceof ReferenceError && /alias/i.test(error.message);
      syntaxProblems.push({
        file,
        line: (aliases ? firstAliasLine(doc, lineCounter) : undefined) ?? 1,
        message: aliases
          ? `YAML aliases expand too far (over ${MAX_ALIAS_COUNT} expansions, the first alias on this line): an alias bomb, or an anchor reused too often; file not read`
          : `YAML syntax error: cannot read the document (${(error as Error).message})`,
      });
      data = undefined;
    }
  }
  return { file, doc, lineCounter, data, syntaxProblems };
}

/**
 * The line an over-indented `key:` sits on, and what is wrong in plain words. The parser reports
 * the line above it (where the value it swallowed starts) in its own terms ("Nested mappings are not
 * allowed in compact mappings"); the reader needs the line to fix.
 */
function overIndentedLine(text: string, reportedLine: number): { line: number; message: string } | undefined {
  const lines = text.split(/\r?\n/);
  const above = lines[reportedLine - 1];
  if (above === undefined) return undefined;
  const indentOf = (l: string) => l.length - l.trimStart().length;
  const aboveKey = /^\s*(?:-\s+)?([^\s:#][^:#]*):/.exec(above)?.[1]?.trim();
  const aboveIndent = indentOf(above) + (/^\s*-\s+/.test(above) ? /^\s*-\s+/.exec(above)![0].length - indentOf(above) : 0);
  for (let i = reportedLine; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    const key = /^\s*([^\s:#][^:#]*):/.exec(line)?.[1]?.trim();
    if (indentOf(line) <= aboveIndent || !key) return undefined;
    return {
      line: i + 1,
      message: `"${key}:" is indented ${indentOf(line)} spaces, more than ${aboveKey ? `"${aboveKey}:" on the line above` : 'the line above'} (${aboveIndent}), so YAML reads it as part of that value; indent it by ${aboveIndent} spaces like the fields around it`,
    };
  }
  return undefined;
}

function firstAliasLine(doc: Document, lineCounter: LineCounter): number | undefined {
  let line: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      if (isAlias(node) && node.range) line = lineCounter.linePos(node.range[0]).line;
      return visit.BREAK;
    },
  });
  return line;
}

function lineOfNode(source: YamlSource, node: unknown): number | undefined {
  const range = (node as Node | undefined)?.range;
  return range ? source.lineCounter.linePos(range[0]).line : undefined;
}

/**
 * The 1-based line of the value at `path`, or of its nearest existing ancestor when the path
 * does not exist (a missing field is reported on its entry's line). With `key`, the line of the
 * map key `key` inside the node at `path` (used for unknown fields).
 */
export function lineForPath(source: YamlSource, path: readonly PathSegment[], key?: string): number | undefined {
  let node: unknown = source.doc.contents;
  let line = lineOfNode(source, node) ?? 1;
  for (const segment of path) {
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (pair) {
        line = lineOfNode(source, pair.key) ?? line;
        next = pair.value;
      }
    } else if (isSeq(node) && typeof segment === 'number') {
      next = node.items[segment];
    }
    if (next === undefined || next === null) return line;
    node = next;
    line = lineOfNode(source, node) ?? line;
  }
  if (key !== undefined && isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
    if (pair) return lineOfNode(source, pair.key) ?? line;
  }
  return line;
}

/** Formats a path inside an entry as `signposts[1].direction`. */
export function formatFieldPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${segment}` : segment;
  }
  return out;
}

export function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let value = data;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PathSegment, unknown>)[segment];
  }
  return value;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return `"${value}"`;
  return `${typeof value} ${String(value)}`;
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

// zod 4 keeps each schema's definition under `_zod.def`; walking it gives the fields that an
// object at a given path accepts, which is what "did you mean" needs.
interface ZodDef {
  type: string;
  innerType?: ZodLike;
  in?: ZodLike;
  shape?: Record<string, ZodLike>;
  element?: ZodLike;
  options?: ZodLike[];
  getter?: () => ZodLike;
}
interface ZodLike {
  _zod: { def: ZodDef };
}

function unwrapSchema(schema: ZodLike): ZodLike {
  let current = schema;
  for (let i = 0; i < 20; i++) {
    const def = current._zod.def;
    if (WRAPPERS.has(def.type) && def.innerType) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else if (def.type === 'lazy' && def.getter) current = def.getter();
    else break;
  }
  return current;
}

function schemaAt(schema: ZodLike, path: readonly PathSegment[]): ZodLike | undefined {
  let current: ZodLike | undefined = unwrapSchema(schema);
  for (const segment of path) {
    if (!current) return undefined;
    const def: ZodDef = current._zod.def;
    let next: ZodLike | undefined;
    if (def.type === 'object') next = def.shape?.[String(segment)];
    else if (def.type === 'array') next = def.element;
    else if (def.type === 'union') {
      const wanted = typeof segment === 'number' ? 'array' : 'object';
      const option = def.options?.map(unwrapSchema).find((o) => o._zod.def.type === wanted);
      next = option ? schemaAt(option, [segment]) : undefined;
    }
    current = next ? unwrapSchema(next) : undefined;
  }
  return current;
}

/** The field names an object schema accepts at `path`, or [] when it is not an object. */
export function knownFieldsAt(schema: z.ZodType, path: readonly PathSegment[]): string[] {
  const target = schemaAt(schema as unknown as ZodLike, path);
  if (!target) return [];
  const def = target._zod.def;
  if (def.type === 'object') return Object.keys(def.shape ?? {});
  if (def.type === 'union') {
    const obj = def.options?.map(unwrapSchema).find((o) => o._zod.def.type === 'object');
    return obj ? Object.keys(obj._zod.def.shape ?? {}) : [];
  }
  return [];
}

const DEFAULT_MESSAGE = /^(Invalid|Too (big|small)|Unrecognized)/;

export interface IssueContext {
  source: YamlSource;
  /** The schema the value at `basePath` was parsed with. */
  schema: z.ZodType;
  /** Where the parsed value sits in the document, e.g. ['predictions', 3]. */
  basePath: PathSegment[];
  /** The entry's name for messages; undefined for top-level values. */
  entry?: string;
}

/**
 * Turns zod issues into problems with lines and readable messages: missing fields, unknown
 * fields with a "did you mean", wrong types, and enum values with a suggestion. Messages the
 * schema sets itself (refinements) are kept as written.
 */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[], context: IssueContext): ConfigProblem[] {
  const { source, schema, basePath, entry } = context;
  const problems: ConfigProblem[] = [];
  const suggested = new Set<string>();
  const value = valueAt(source.data, basePath);
  const push = (path: readonly PathSegment[], message: string, key?: string) => {
    const fieldPath = key === undefined ? path : [...path, key];
    const field = formatFieldPath(fieldPath);
    problems.push({
      file: source.file,
      line: lineForPath(source, [...basePath, ...path], key),
      ...(entry !== undefined ? { entry } : {}),
      ...(field ? { field } : {}),
      message,
    });
  };
  for (const issue of issues) {
    const path = issue.path.filter((s): s is PathSegment => typeof s !== 'symbol');
    const actual = valueAt(value, path);
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = knownFieldsAt(schema, path);
        for (const key of issue.keys) {
          const suggestion = suggestClosest(key, known);
          if (suggestion) suggested.add(formatFieldPath([...path, suggestion]));
          push(
            path,
            suggestion ? `unknown field (did you mean "${suggestion}"?)` : `unknown field (known fields: ${known.join(', ')})`,
            key,
          );
        }
        break;
      }
      case 'invalid_type':
        if (actual === undefined) push(path, 'required field is missing');
        else if (!DEFAULT_MESSAGE.test(issue.message)) push(path, issue.message);
        else
          push(
            path,
            `expected ${issue.expected === 'array' ? 'a list' : issue.expected === 'object' ? 'a map' : `a ${issue.expected}`}, got ${describeValue(actual)}`,
          );
        break;
      case 'invalid_value': {
        if (actual === undefined) {
          push(path, `required field is missing (one of: ${issue.values.map(String).join(', ')})`);
          break;
        }
        if (!DEFAULT_MESSAGE.test(issue.message)) {
          push(path, issue.message);
          break;
        }
        const allowed = issue.values.map(String);
        const suggestion = typeof actual === 'string' ? suggestClosest(actual, allowed) : undefined;
        push(path, `${describeValue(actual)} is not one of: ${allowed.join(', ')}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`);
        break;
      }
      case 'invalid_union':
        if (actual === undefined) push(path, 'required field is missing');
        else push(path, DEFAULT_MESSAGE.test(issue.message) ? `unexpected value ${describeValue(actual)}` : issue.message);
        break;
      case 'too_small':
        if (DEFAULT_MESSAGE.test(issue.message)) {
          if (issue.origin === 'array') push(path, `needs at least ${String(issue.minimum)} item${Number(issue.minimum) === 1 ? '' : 's'}`);
          else if (issue.origin === 'string') push(path, 'must not be empty');
          else push(path, `must be at least ${String(issue.minimum)} (got ${describeValue(actual)})`);
        } else push(path, issue.message);
        break;
      case 'too_big':
        if (DEFAULT_MESSAGE.test(issue.message)) push(path, `must be at most ${String(issue.maximum)} (got ${describeValue(actual)})`);
        else push(path, issue.message);
        break;
      default:
        push(path, issue.message);
    }
  }
  // "dedline: unknown field (did you mean "deadline"?)" already says what is wrong; a second
  // line saying deadline is missing would only repeat it.
  return problems.filter((p) => !(p.field && suggested.has(p.field) && p.message.startsWith('required field is missing')));
}

/** The label of a list entry for messages: its name field if it is a non-empty string, else `#N` (1-based). */
export function entryLabel(entry: unknown, index: number, nameField: string): string {
  const name = entry && typeof entry === 'object' ? (entry as Record<string, unknown>)[nameField] : undefined;
  return typeof name === 'string' && name.trim() ? name.trim() : `#${index + 1}`;
}
