import { lineForPath, sortProblems, suggestClosest, type ConfigProblem } from '@signpost/predictions';
import { z } from 'zod';
import { parseListFile } from './list-file.ts';

export const DIGEST_FILE = 'digest.yaml';

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** True when `zone` is an IANA time zone this runtime knows (Intl rejects the rest). */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const text = z.string({ error: 'expected text' }).trim().min(1, 'must not be empty');

export const subscriberSchema = z.strictObject({
  email: z.email({ error: 'expected an e-mail address' }),
  name: text.optional(),
  /** Forecast ids or tags to follow; unset means every forecast. */
  follow: z.array(text).min(1, 'needs at least 1 item (leave follow out to get every forecast)').optional(),
});

export const scheduleSchema = z.strictObject({
  day: z
    .string({ error: 'expected a weekday' })
    .transform((d) => d.trim().toLowerCase())
    .pipe(z.enum(WEEKDAYS))
    .default('monday'),
  hour: z
    .number({ error: 'expected an hour from 0 to 23' })
    .int('expected a whole hour from 0 to 23')
    .min(0, 'expected an hour from 0 to 23')
    .max(23, 'expected an hour from 0 to 23')
    .default(8),
  timezone: z
    .string({ error: 'expected an IANA time zone such as Europe/Berlin' })
    .refine(isValidTimeZone, {
      error: (issue) => `unknown time zone ${JSON.stringify(issue.input)} (expected an IANA name such as Europe/Berlin or UTC)`,
    })
    .default('UTC'),
});

export const digestOptionsSchema = z.strictObject({
  /** Send nothing in a week where no forecast's evidence changed. */
  skipWhenUnchanged: z.boolean({ error: 'expected true or false' }).default(true),
  /** Include a section on feeds that failed. */
  includeFeedHealth: z.boolean({ error: 'expected true or false' }).default(true),
});

export const digestFileSchema = z.strictObject({
  subscribers: z.array(z.unknown()).optional(),
  schedule: scheduleSchema.default({ day: 'monday', hour: 8, timezone: 'UTC' }),
  options: digestOptionsSchema.default({ skipWhenUnchanged: true, includeFeedHealth: true }),
});

export type Subscriber = z.output<typeof subscriberSchema>;
export type DigestSchedule = z.output<typeof scheduleSchema>;
export type DigestOptions = z.output<typeof digestOptionsSchema>;

export interface DigestConfig {
  subscribers: Subscriber[];
  schedule: DigestSchedule;
  options: DigestOptions;
}

/** The digest settings when digest.yaml is missing: nobody subscribed, Monday 08:00 UTC. */
export function defaultDigestConfig(): DigestConfig {
  return {
    subscribers: [],
    schedule: { day: 'monday', hour: 8, timezone: 'UTC' },
    options: { skipWhenUnchanged: true, includeFeedHealth: true },
  };
}

/**
 * Validates the text of digest.yaml. When `follow` is given (the forecast ids and tags that
 * exist), each subscriber's follow entries must match one of them. Pure.
 */
export function parseDigestFile(
  text: string,
  file: string,
  follow?: { ids: readonly string[]; tags: readonly string[] },
): { digest: DigestConfig; problems: ConfigProblem[] } {
  const parsed = parseListFile(text, file, {
    topSchema: digestFileSchema,
    listKey: 'subscribers',
    entrySchema: subscriberSchema,
    labelField: 'email',
    describe: 'subscribers, schedule and options',
  });
  const problems = [...parsed.problems];
  const defaults = defaultDigestConfig();
  const digest: DigestConfig = {
    subscribers: [],
    schedule: parsed.top?.schedule ?? defaults.schedule,
    options: parsed.top?.options ?? defaults.options,
  };
  const seen = new Map<string, number>();
  const known = follow ? new Set([...follow.ids, ...follow.tags]) : undefined;
  for (const { value, line, entry, index } of parsed.entries) {
    const key = value.email.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({ file, line, entry, field: 'email', message: `duplicate subscriber (first listed at ${file}:${first})` });
      continue;
    }
    seen.set(key, line);
    if (known && value.follow) {
      value.follow.forEach((item, i) => {
        if (known.has(item)) return;
        const suggestion = suggestClosest(item, [...known]);
        problems.push({
          file,
          line: lineForPath(parsed.source, ['subscribers', index, 'follow', i]) ?? line,
          entry,
          field: `follow[${i}]`,
          message: `"${item}" matches no forecast id or tag${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
        });
      });
    }
    digest.subscribers.push(value);
  }
  return { digest, problems: sortProblems(problems) };
}
