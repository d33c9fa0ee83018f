import { z } from 'zod';
import { RESOLUTION_STATUSES, SIGNPOST_DIRECTIONS } from '@signpost/vocabulary';
import { PREDICTION_KINDS, type Prediction } from './schema.ts';
import { ICD203_TERMS, type Icd203Term } from './icd203.ts';

/**
 * A forecast as the database holds it: the validated `Prediction` that the worker's config sync
 * wrote (predictions.record). Read back with this schema rather than cast: id and statement are
 * required, every other field is optional (a record written by an older version, or a test's
 * partial one, still reads) but must have its type when present. Unknown fields are dropped.
 */
export const storedPredictionSchema = z.object({
  id: z.string(),
  statement: z.string(),
  quote: z.string().optional(),
  authors: z.array(z.string()).optional(),
  outlet: z.string().optional(),
  published: z.string().optional(),
  publishedEstimated: z.boolean().optional(),
  source: z.string().optional(),
  url: z.string().optional(),
  kind: z.enum(PREDICTION_KINDS).optional(),
  threshold: z.object({ metric: z.string(), operator: z.enum(['>=', '>', '<=', '<']), value: z.number(), unit: z.string() }).optional(),
  deadline: z.string().optional(),
  horizon: z.string().optional(),
  hedge: z.string().optional(),
  likelihood: z.enum(ICD203_TERMS as [Icd203Term, ...Icd203Term[]]).optional(),
  probability: z.number().optional(),
  probabilitySource: z.enum(['stated', 'likelihood', 'hedge']).optional(),
  signposts: z.array(z.object({ text: z.string(), direction: z.enum(SIGNPOST_DIRECTIONS) })).optional(),
  keywords: z.array(z.string()).optional(),
  entities: z.array(z.string()).optional(),
  resolution: z
    .object({
      status: z.enum(RESOLUTION_STATUSES),
      date: z.string().optional(),
      note: z.string().optional(),
      sources: z.array(z.string()).optional(),
    })
    .optional(),
  related: z.array(z.string()).optional(),
  contradicts: z.array(z.string()).optional(),
  tags: z.array(z.string()).optional(),
  notes: z.string().optional(),
});

/** A stored forecast: every field of `Prediction`, id and statement sure, the rest where the record has them. */
export type StoredPrediction = z.output<typeof storedPredictionSchema>;

// A field added to Prediction must be added above too: this line stops compiling otherwise.
const _everyFieldRead: Required<StoredPrediction> extends Required<Prediction>
  ? Required<Prediction> extends Required<StoredPrediction>
    ? true
    : never
  : never = true;
void _everyFieldRead;

export class StoredPredictionError extends Error {
  override name = 'StoredPredictionError';
}

/** Reads a stored record; throws a StoredPredictionError naming the forecast and the field when it does not fit. */
export function parseStoredPrediction(record: unknown): StoredPrediction {
  const result = storedPredictionSchema.safeParse(record);
  if (result.success) return result.data;
  const id = typeof (record as { id?: unknown } | null)?.id === 'string' ? (record as { id: string }).id : '?';
  const issues = result.error.issues.map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`).join('; ');
  return fail(`predictions: stored forecast ${id} does not read as a forecast: ${issues}`);
}

function fail(message: string): never {
  throw new StoredPredictionError(message);
}
