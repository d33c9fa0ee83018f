import { RESOLUTION_STATUSES, SIGNPOST_DIRECTIONS } from '@signpost/vocabulary';
import { z } from 'zod';
import { suggestClosest } from './did-you-mean.ts';
import { ICD203_WORDS, probabilityForHedge, type Icd203Term } from './icd203.ts';

/** Ids are short kebab-case slugs; they are permanent (evidence hangs on them). */
export const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const TAG_PATTERN = ID_PATTERN;

/** True when `text` is a real calendar date written YYYY-MM-DD (2022-02-30 is not). */
export function isValidIsoDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

export const isoDateSchema = z.string({ error: 'expected a date as YYYY-MM-DD' }).superRefine((value, ctx) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) ctx.addIssue({ code: 'custom', message: `"${value}" is not a date (expected YYYY-MM-DD)` });
  else if (!isValidIsoDate(value)) ctx.addIssue({ code: 'custom', message: `impossible date "${value}"` });
});

const text = z.string({ error: 'expected text' }).trim().min(1, 'must not be empty');
const slug = (what: string) =>
  z
    .string({ error: `expected a ${what}` })
    .regex(TAG_PATTERN, `must be a kebab-case ${what} (lowercase letters, digits and single hyphens)`);

export const PREDICTION_KINDS = ['binary', 'threshold', 'trend'] as const;

export const signpostSchema = z.strictObject({
  /** An observable event, phrased like a news headline. */
  text,
  /** `holds`: the event is evidence the forecast holds; `fails`: evidence it fails. */
  direction: z.enum(SIGNPOST_DIRECTIONS),
});

export const thresholdSchema = z.strictObject({
  metric: text,
  operator: z.enum(['>=', '>', '<=', '<']),
  value: z.number({ error: 'expected a number' }),
  unit: text,
});

export const resolutionSchema = z
  .strictObject({
    // YAML reads a bare `true`/`false` as a boolean; both spellings mean the same here.
    status: z.preprocess((v) => (typeof v === 'boolean' ? String(v) : v), z.enum(RESOLUTION_STATUSES)),
    date: isoDateSchema.optional(),
    note: text.optional(),
    /** Where the resolving figure or event is documented. */
    sources: z.array(text).optional(),
  })
  .superRefine((r, ctx) => {
    if (r.status === 'open') return;
    if (r.date === undefined) ctx.addIssue({ code: 'custom', path: ['date'], message: `required when status is ${r.status}` });
    if (r.note === undefined)
      ctx.addIssue({ code: 'custom', path: ['note'], message: `required when status is ${r.status} (say what settled it)` });
  });

// Probabilities may be given as 0.7 or "70%"; anything outside 0..1 is an error, not clamped.
const probabilitySchema = z
  .union([z.number(), z.string().regex(/^\s*\d+(\.\d+)?\s*%\s*$/)], {
    error: 'expected a number between 0 and 1 (or a percentage such as "70%")',
  })
  .transform((v) => (typeof v === 'string' ? Number(v.trim().replace(/\s*%$/, '')) / 100 : v))
  .superRefine((v, ctx) => {
    if (!(v >= 0 && v <= 1))
      ctx.addIssue({
        code: 'custom',
        message: `${v} is outside 0..1${Number.isInteger(v) && v > 1 && v <= 100 ? ` (write ${v / 100} or "${v}%")` : ''}`,
      });
  });

const likelihoodSchema = z.string({ error: 'expected an ICD 203 term' }).transform((value, ctx) => {
  const found = probabilityForHedge(value);
  if (!found) {
    const suggestion = suggestClosest(value, ICD203_WORDS);
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not on the ICD 203 scale${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; use one of: ${ICD203_WORDS.join(', ')}`,
    });
    return z.NEVER;
  }
  return found.term;
});

/** One forecast as written in predictions.yaml. */
export const predictionInputSchema = z
  .strictObject({
    id: z.string({ error: 'expected an id' }).regex(ID_PATTERN, 'must be a kebab-case slug such as "china-no-sanctions-on-russia"'),
    /** The forecast restated so that it can be resolved true or false. */
    statement: text,
    /** The author's own sentence, verbatim. */
    quote: text,
    /** One name or a list of co-authors. `unknown` when the source names none. */
    author: z.union([text, z.array(text).min(1)], { error: 'expected a name or a list of names' }),
    outlet: text,
    published: isoDateSchema,
    /** True when `published` is a best estimate rather than the printed date. */
    publishedEstimated: z.boolean({ error: 'expected true or false' }).default(false),
    /** The source file the forecast was extracted from (e.g. a seed article). */
    source: text,
    url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
    kind: z.enum(PREDICTION_KINDS),
    threshold: thresholdSchema.optional(),
    deadline: isoDateSchema.optional(),
    /** The horizon in words ("the foreseeable future"), when there is no date or to explain it. */
    horizon: text.optional(),
    /** The author's hedge, verbatim ("is likely to", "certainly not"). */
    hedge: text,
    /** The ICD 203 term for the likelihood that `statement` holds. */
    likelihood: likelihoodSchema.optional(),
    /** A stated probability that `statement` holds; overrides the term's midpoint. */
    probability: probabilitySchema.optional(),
    signposts: z.array(signpostSchema).min(1),
    /** Names and terms an article must mention to be relevant. */
    keywords: z.array(text).min(1),
    entities: z.array(text).optional(),
    resolution: resolutionSchema.default({ status: 'open' }),
    related: z.array(z.string({ error: 'expected a forecast id' })).optional(),
    contradicts: z.array(z.string({ error: 'expected a forecast id' })).optional(),
    tags: z.array(slug('tag')).min(1),
    notes: text.optional(),
  })
  .superRefine((p, ctx) => {
    if (p.deadline === undefined && p.horizon === undefined) {
      ctx.addIssue({ code: 'custom', path: ['deadline'], message: 'required field is missing (give a deadline, a horizon, or both)' });
    }
    if (p.kind === 'threshold' && !p.threshold) {
      ctx.addIssue({ code: 'custom', path: ['threshold'], message: 'required when kind is threshold ({ metric, operator, value, unit })' });
    }
    if (p.kind !== 'threshold' && p.threshold) {
      ctx.addIssue({ code: 'custom', path: ['threshold'], message: `only allowed when kind is threshold (kind is ${p.kind})` });
    }
    if (p.deadline !== undefined && p.deadline < p.published) {
      ctx.addIssue({ code: 'custom', path: ['deadline'], message: `deadline ${p.deadline} is before the publication date ${p.published}` });
    }
    if (p.resolution.date !== undefined && p.resolution.date < p.published) {
      ctx.addIssue({
        code: 'custom',
        path: ['resolution', 'date'],
        message: `resolution date ${p.resolution.date} is before the publication date ${p.published}`,
      });
    }
    if (p.likelihood === undefined && p.probability === undefined && !probabilityForHedge(p.hedge)) {
      ctx.addIssue({
        code: 'custom',
        path: ['likelihood'],
        message: `required: the hedge "${p.hedge}" is not an ICD 203 term, so give likelihood (one of: ${ICD203_WORDS.join(', ')}) or probability`,
      });
    }
    if (p.likelihood !== undefined && p.probability !== undefined) {
      const band = probabilityForHedge(p.likelihood)!;
      if (p.probability < band.low || p.probability > band.high) {
        ctx.addIssue({
          code: 'custom',
          path: ['probability'],
          message: `probability ${p.probability} is outside the band of "${p.likelihood}" (${band.low}..${band.high})`,
        });
      }
    }
    for (const field of ['related', 'contradicts'] as const) {
      p[field]?.forEach((target, i) => {
        if (target === p.id) ctx.addIssue({ code: 'custom', path: [field, i], message: 'a forecast cannot link to itself' });
      });
    }
  })
  .transform((p) => {
    const scale = probabilityForHedge(p.likelihood ?? '') ?? probabilityForHedge(p.hedge);
    const { author, likelihood: _l, probability: stated, related, contradicts, entities, ...rest } = p;
    const prediction: Prediction = {
      ...rest,
      authors: typeof author === 'string' ? [author] : author,
      likelihood: (scale?.term ?? undefined) as Icd203Term | undefined,
      probability: stated ?? scale!.probability,
      probabilitySource: stated !== undefined ? 'stated' : p.likelihood !== undefined ? 'likelihood' : 'hedge',
      entities: entities ?? [],
      related: related ?? [],
      contradicts: contradicts ?? [],
    };
    if (prediction.likelihood === undefined) delete prediction.likelihood;
    return prediction;
  });

export type PredictionInput = z.input<typeof predictionInputSchema>;
export type PredictionKind = (typeof PREDICTION_KINDS)[number];
export type Signpost = z.output<typeof signpostSchema>;
export type Threshold = z.output<typeof thresholdSchema>;
export type Resolution = z.output<typeof resolutionSchema>;

/** A validated forecast, as the rest of Signpost sees it. */
export interface Prediction {
  id: string;
  statement: string;
  quote: string;
  authors: string[];
  outlet: string;
  published: string;
  publishedEstimated: boolean;
  source: string;
  url?: string;
  kind: PredictionKind;
  threshold?: Threshold;
  deadline?: string;
  horizon?: string;
  hedge: string;
  /** The ICD 203 term, when the forecast gives one or its hedge is one. */
  likelihood?: Icd203Term;
  /** Probability that `statement` holds, 0..1. */
  probability: number;
  /** Where `probability` came from: stated directly, the likelihood term, or the hedge word itself. */
  probabilitySource: 'stated' | 'likelihood' | 'hedge';
  signposts: Signpost[];
  keywords: string[];
  entities: string[];
  resolution: Resolution;
  related: string[];
  contradicts: string[];
  tags: string[];
  notes?: string;
}

/** The top level of predictions.yaml and predictions.d/*.yaml; entries are checked one by one. */
export const predictionsFileSchema = z.strictObject({
  predictions: z.array(z.unknown()).optional(),
});
