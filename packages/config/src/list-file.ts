import { entryLabel, lineForPath, parseYamlSource, problemsFromIssues, type ConfigProblem, type YamlSource } from '@signpost/predictions';
import type { z } from 'zod';

export interface ListEntry<T> {
  value: T;
  index: number;
  line: number;
  entry: string;
}

export interface ParsedListFile<Top, T> {
  source: YamlSource;
  /** The top level, parsed (the list itself is checked entry by entry); undefined when invalid. */
  top: Top | undefined;
  entries: ListEntry<T>[];
  problems: ConfigProblem[];
}

/**
 * Parses a config file whose top level is a map holding one list (`feeds:`, `subscribers:`):
 * the top level is checked with `topSchema` (whose list field should accept any items), then
 * each list entry with `entrySchema`, so one bad entry does not hide the others.
 */
export function parseListFile<TopSchema extends z.ZodType, EntrySchema extends z.ZodType>(
  text: string,
  file: string,
  options: { topSchema: TopSchema; listKey: string; entrySchema: EntrySchema; labelField: string; describe: string },
): ParsedListFile<z.output<TopSchema>, z.output<EntrySchema>> {
  const source = parseYamlSource(text, file);
  const result: ParsedListFile<z.output<TopSchema>, z.output<EntrySchema>> = {
    source,
    top: undefined,
    entries: [],
    problems: [...source.syntaxProblems],
  };
  if (source.syntaxProblems.length) return result;
  const data = source.data ?? {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    result.problems.push({ file, line: 1, message: `expected a map with ${options.describe}` });
    return result;
  }
  const top = options.topSchema.safeParse(data);
  if (top.success) result.top = top.data;
  else result.problems.push(...problemsFromIssues(top.error.issues, { source, schema: options.topSchema, basePath: [] }));
  const list = (data as Record<string, unknown>)[options.listKey];
  if (!Array.isArray(list)) return result;
  list.forEach((raw, index) => {
    const basePath = [options.listKey, index];
    const entry = entryLabel(raw, index, options.labelField);
    const line = lineForPath(source, basePath) ?? 1;
    const parsed = options.entrySchema.safeParse(raw);
    if (parsed.success) result.entries.push({ value: parsed.data, index, line, entry });
    else if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
      result.problems.push({ file, line, entry, message: 'expected a map of fields' });
    else result.problems.push(...problemsFromIssues(parsed.error.issues, { source, schema: options.entrySchema, basePath, entry }));
  });
  return result;
}
