import { sortProblems, type ConfigProblem } from './problem.ts';
import { predictionInputSchema, predictionsFileSchema, type Prediction } from './schema.ts';
import { entryLabel, lineForPath, parseYamlSource, problemsFromIssues, type YamlSource } from './yaml-source.ts';

export interface PredictionOrigin {
  file: string;
  line: number;
}

interface RawEntry {
  id?: string;
  entry: string;
  file: string;
  line: number;
  index: number;
  links: { field: 'related' | 'contradicts'; index: number; target: unknown; line: number }[];
  tags: string[];
}

/** One predictions file, checked on its own (cross-file checks come later). */
export interface ParsedPredictionsFile {
  file: string;
  /** False when the file has YAML syntax errors (its ids are then unknown). */
  readable: boolean;
  predictions: { prediction: Prediction; origin: PredictionOrigin }[];
  entries: RawEntry[];
  problems: ConfigProblem[];
}

/** Parses and validates one predictions file's text. Pure: no I/O. */
export function parsePredictionsFile(text: string, file: string): ParsedPredictionsFile {
  const source = parseYamlSource(text, file);
  const result: ParsedPredictionsFile = {
    file,
    readable: source.syntaxProblems.length === 0,
    predictions: [],
    entries: [],
    problems: [...source.syntaxProblems],
  };
  if (!result.readable || source.data === null || source.data === undefined) return result;
  if (typeof source.data !== 'object' || Array.isArray(source.data)) {
    result.problems.push({ file, line: 1, message: 'expected a map with a "predictions" list' });
    return result;
  }
  const top = predictionsFileSchema.safeParse(source.data);
  if (!top.success) {
    result.problems.push(...problemsFromIssues(top.error.issues, { source, schema: predictionsFileSchema, basePath: [] }));
  }
  const list = (source.data as { predictions?: unknown }).predictions;
  if (!Array.isArray(list)) return result;
  list.forEach((raw, index) => checkEntry(source, raw, index, result));
  return result;
}

function checkEntry(source: YamlSource, raw: unknown, index: number, result: ParsedPredictionsFile): void {
  const basePath = ['predictions', index];
  const entry = entryLabel(raw, index, 'id');
  const line = lineForPath(source, basePath) ?? 1;
  const rawEntry: RawEntry = { entry, file: source.file, line, index, links: [], tags: [] };
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    const obj = raw as Record<string, unknown>;
    if (typeof obj.id === 'string') rawEntry.id = obj.id;
    if (Array.isArray(obj.tags)) rawEntry.tags = obj.tags.filter((t): t is string => typeof t === 'string');
    for (const field of ['related', 'contradicts'] as const) {
      const targets = obj[field];
      if (Array.isArray(targets)) {
        targets.forEach((target, i) =>
          rawEntry.links.push({ field, index: i, target, line: lineForPath(source, [...basePath, field, i]) ?? line }),
        );
      }
    }
  } else {
    result.problems.push({ file: source.file, line, entry, message: 'expected a map of fields (id, statement, quote, ...)' });
    result.entries.push(rawEntry);
    return;
  }
  result.entries.push(rawEntry);
  const parsed = predictionInputSchema.safeParse(raw);
  if (!parsed.success) {
    result.problems.push(...problemsFromIssues(parsed.error.issues, { source, schema: predictionInputSchema, basePath, entry }));
    return;
  }
  result.predictions.push({ prediction: parsed.data, origin: { file: source.file, line } });
}

export interface PredictionSet {
  predictions: Prediction[];
  /** Where each forecast is defined, by id (kept apart from the record so that moving lines is not a change). */
  origins: Map<string, PredictionOrigin>;
  problems: ConfigProblem[];
  /** Every id written in the files, valid entry or not (for checking references from other files). */
  knownIds: string[];
  /** Every tag written in the files, valid entry or not. */
  knownTags: string[];
  /** False when a file had YAML syntax errors, so some ids may be missing from `knownIds`. */
  complete: boolean;
}

/**
 * Cross-file checks over parsed files: duplicate ids, links to unknown ids, resolution dates
 * in the future. Links are made symmetric: if A contradicts B, B contradicts A.
 */
export function checkPredictionSet(files: ParsedPredictionsFile[], options: { now?: Date } = {}): PredictionSet {
  const today = (options.now ?? new Date()).toISOString().slice(0, 10);
  const problems: ConfigProblem[] = files.flatMap((f) => f.problems);
  const firstById = new Map<string, RawEntry>();
  const duplicates = new Set<RawEntry>();
  for (const entry of files.flatMap((f) => f.entries)) {
    if (entry.id === undefined) continue;
    const first = firstById.get(entry.id);
    if (first) {
      duplicates.add(entry);
      problems.push({
        file: entry.file,
        line: entry.line,
        entry: entry.entry,
        field: 'id',
        message: `duplicate id (first defined at ${first.file}:${first.line})`,
      });
    } else firstById.set(entry.id, entry);
  }
  // A file with syntax errors hides its ids; reporting links to them as unknown would only add noise.
  if (files.every((f) => f.readable)) {
    for (const entry of files.flatMap((f) => f.entries)) {
      for (const link of entry.links) {
        if (typeof link.target === 'string' && link.target !== entry.id && !firstById.has(link.target)) {
          problems.push({
            file: entry.file,
            line: link.line,
            entry: entry.entry,
            field: `${link.field}[${link.index}]`,
            message: `links to unknown forecast "${link.target}"`,
          });
        }
      }
    }
  }
  const predictions: Prediction[] = [];
  const origins = new Map<string, PredictionOrigin>();
  for (const file of files) {
    for (const { prediction, origin } of file.predictions) {
      const raw = file.entries.find((e) => e.line === origin.line);
      if (raw && duplicates.has(raw)) continue;
      // A forecast cannot be published after today: a typo in the year, and its record would start in the future.
      if (prediction.published > today) {
        problems.push({
          file: origin.file,
          line: origin.line,
          entry: prediction.id,
          field: 'published',
          message: `publication date ${prediction.published} is in the future`,
        });
      }
      if (prediction.resolution.date !== undefined && prediction.resolution.date > today) {
        problems.push({
          file: origin.file,
          line: origin.line,
          entry: prediction.id,
          field: 'resolution.date',
          message: `resolution date ${prediction.resolution.date} is in the future`,
        });
      }
      predictions.push(prediction);
      origins.set(prediction.id, origin);
    }
  }
  const byId = new Map(predictions.map((p) => [p.id, p]));
  for (const p of predictions) {
    for (const field of ['related', 'contradicts'] as const) {
      p[field] = p[field].filter((target) => byId.has(target) || !firstById.has(target));
      for (const target of p[field]) {
        const other = byId.get(target);
        if (other && !other[field].includes(p.id)) other[field].push(p.id);
      }
    }
  }
  return {
    predictions,
    origins,
    problems: sortProblems(problems),
    knownIds: [...firstById.keys()],
    knownTags: [...new Set(files.flatMap((f) => f.entries.flatMap((e) => e.tags)))],
    complete: files.every((f) => f.readable),
  };
}
