import { sortProblems, type ConfigProblem } from '@signpost/predictions';
import { z } from 'zod';
import { parseListFile } from './list-file.ts';

export const FEEDS_FILE = 'feeds.yaml';

const text = z.string({ error: 'expected text' }).trim().min(1, 'must not be empty');

/** Parses "30m", "2h", "1h30m", "1d" or a plain number of minutes into minutes. */
export function parseIntervalMinutes(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 1 ? value : undefined;
  const m = /^\s*(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*$/i.exec(value);
  if (!m || (m[1] === undefined && m[2] === undefined && m[3] === undefined)) {
    return /^\s*\d+\s*$/.test(value) ? parseIntervalMinutes(Number(value)) : undefined;
  }
  const minutes = Number(m[1] ?? 0) * 1440 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
  return minutes >= 1 ? minutes : undefined;
}

const intervalSchema = z
  .union([z.number(), z.string()], { error: 'expected minutes (a whole number) or a duration such as "30m", "2h", "1h30m"' })
  .transform((value, ctx) => {
    const minutes = parseIntervalMinutes(value);
    if (minutes === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `${JSON.stringify(value)} is not an interval (use whole minutes such as 30, or "30m", "2h", "1h30m", "1d")`,
      });
      return z.NEVER;
    }
    return minutes;
  });

export const feedSchema = z.strictObject({
  url: z.string({ error: 'expected a URL' }).superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a URL` });
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      ctx.addIssue({ code: 'custom', message: `must be http or https (got ${url.protocol.slice(0, -1)})` });
    if (url.username || url.password) {
      ctx.addIssue({
        code: 'custom',
        message: 'must not hold a user name or password ("user:pass@"): the URL is shown on the dashboard, in /api/feeds and in logs',
      });
    }
  }),
  title: text.optional(),
  /** BCP 47 language tag, e.g. en, ru, zh-CN. */
  language: z
    .string({ error: 'expected a language tag such as en or zh-CN' })
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a language tag such as en or zh-CN')
    .optional(),
  tags: z.array(text).default([]),
  /** Minutes between fetches; written as minutes or "30m"/"2h". Unset: the worker's default. */
  interval: intervalSchema.optional(),
  /** Fetch each article's page for its full text (for feeds that carry only summaries). */
  fullText: z.boolean({ error: 'expected true or false' }).default(false),
});

export type FeedConfig = z.output<typeof feedSchema>;

export const feedsFileSchema = z.strictObject({
  feeds: z.array(z.unknown()).optional(),
});

/** A feed URL as problems name it: without the credentials it must not hold (they reach logs). */
function hideUserInfo(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi, '$1***@');
}

/** Validates the text of feeds.yaml. Pure. */
export function parseFeedsFile(text: string, file: string): { feeds: FeedConfig[]; problems: ConfigProblem[] } {
  const parsed = parseListFile(text, file, {
    topSchema: feedsFileSchema,
    listKey: 'feeds',
    entrySchema: feedSchema,
    labelField: 'url',
    describe: 'a "feeds" list',
  });
  const problems = parsed.problems.map((p) => ({
    ...p,
    ...(p.entry !== undefined ? { entry: hideUserInfo(p.entry) } : {}),
    message: hideUserInfo(p.message),
  }));
  const seen = new Map<string, number>();
  const feeds: FeedConfig[] = [];
  for (const { value, line, entry } of parsed.entries) {
    const key = new URL(value.url).href;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({ file, line, entry, field: 'url', message: `duplicate URL (first listed at ${file}:${first})` });
      continue;
    }
    seen.set(key, line);
    feeds.push(value);
  }
  return { feeds, problems: sortProblems(problems) };
}
