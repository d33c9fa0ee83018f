import path from 'node:path';

/**
 * One thing wrong with a config file. `line` is 1-based; `entry` names the list entry
 * (a forecast id, a feed URL, a subscriber e-mail, or `#N` when the entry has no usable name);
 * `field` is the path inside the entry (or the top-level key), e.g. `signposts[1].direction`.
 */
export interface ConfigProblem {
  file: string;
  line?: number;
  entry?: string;
  field?: string;
  message: string;
}

/**
 * Formats a problem as `FILE:LINE: entry <id>: field: message`, leaving out the parts that
 * do not apply:
 * - `FILE:LINE: entry <id>: field: message` (a field of a list entry)
 * - `FILE:LINE: entry <id>: message` (the entry as a whole, e.g. a duplicate or a non-map entry)
 * - `FILE:LINE: field: message` (a top-level key, e.g. `predictions: expected a list`)
 * - `FILE:LINE: message` (YAML syntax errors)
 * - `FILE: message` (the file as a whole: not found, unreadable)
 * FILE is shown relative to `cwd` (default: the current directory) when the file lies below it,
 * otherwise as stored.
 */
export function formatProblem(problem: ConfigProblem, options: { cwd?: string } = {}): string {
  const cwd = options.cwd ?? process.cwd();
  let file = problem.file;
  let message = problem.message;
  if (path.isAbsolute(file)) {
    const relative = path.relative(cwd, file);
    if (relative && !relative.startsWith('..') && !path.isAbsolute(relative)) {
      file = relative;
      // Messages may point at another place ("first defined at FILE:LINE"); shorten it the same way.
      message = message.split(cwd.endsWith(path.sep) ? cwd : cwd + path.sep).join('');
    }
  }
  let out = problem.line !== undefined ? `${file}:${problem.line}: ` : `${file}: `;
  if (problem.entry !== undefined) out += `entry ${problem.entry}: `;
  if (problem.field !== undefined) out += `${problem.field}: `;
  return out + message;
}

/** Sorts problems by file, then line, so output reads top to bottom. */
export function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  return [...problems].sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
}
