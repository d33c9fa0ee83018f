/**
 * The one module that reads the environment (docs/contracts.md, "Configuration"): every command of
 * the worker, the dashboard it serves included, gets its settings from here, validated by zod, with
 * every problem listed at once. @signpost/dashboard reads none: it is given its values.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cron from 'node-cron';
import { z } from 'zod';
import { tokenWeakness } from './admin-token.ts';
import { normalizeAllowedHost } from './feeds/ssrf.ts';

/** The repository's data/ folder: the default SIGNPOST_DATA_DIR. */
export const defaultDataDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../data');

const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .default('')
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

/** What the dashboard and every command read (see docs/contracts.md, "Configuration"). */
export const baseEnvShape = {
  SIGNPOST_DATA_DIR: z.string().min(1).default(defaultDataDir),
  DATABASE_URL: z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || /^postgres(ql)?:\/\/./i.test(v) || v === 'memory://', {
      message: 'must be a postgres:// or postgresql:// URL (unset means the embedded database)',
    }),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  SIGNPOST_ADMIN_TOKEN: z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .superRefine((v, ctx) => {
      const weakness = v === undefined ? null : tokenWeakness(v);
      if (weakness) ctx.addIssue({ code: 'custom', message: weakness });
    }),
  SIGNPOST_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The largest config file read (predictions, feeds, digest), in bytes; a larger one is a problem, never read. */
  SIGNPOST_CONFIG_MAX_BYTES: z.coerce
    .number({ error: 'must be a number of bytes such as 1048576' })
    .int('must be a whole number of bytes')
    .min(1024, 'must be at least 1024 bytes')
    .default(1024 * 1024),
  SIGNPOST_ALLOW_PRIVATE_NETWORKS: flag,
  /** Behind a reverse proxy: take the client's address from the last X-Forwarded-For entry (failed logins are counted per address). */
  SIGNPOST_TRUST_PROXY: flag,
};

export class EnvError extends Error {
  override name = 'EnvError';
  constructor(readonly problems: string[]) {
    super(`env: invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Validates the environment against a schema; throws an EnvError listing every problem. */
export function parseEnv<S extends z.ZodType>(schema: S, source: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  throw new EnvError(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
}

/** Where the database lives: DATABASE_URL, else a git-ignored folder under the data dir. */
export function databaseUrl(env: { DATABASE_URL?: string; SIGNPOST_DATA_DIR: string }): string {
  return env.DATABASE_URL ?? path.join(env.SIGNPOST_DATA_DIR, 'db');
}

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v?.trim() ? v.trim() : undefined));
const count = (example: string) =>
  z.coerce
    .number({ error: `must be a number such as ${example}` })
    .int('must be a whole number')
    .min(0, 'must be 0 or more');
const price = z.coerce
  .number({ error: 'must be a price in dollars per million tokens, such as 0.15' })
  .min(0, 'must be 0 or more')
  .optional();

/**
 * The optional language-model judge (issue #17): an OpenAI-compatible endpoint, its model, and what
 * a cycle may spend on it. Unset SIGNPOST_LLM_URL means no model: the built-in scorer alone.
 */
export const llmEnvShape = {
  /** OpenAI-compatible base URL: Ollama http://127.0.0.1:11434/v1, llama.cpp's server, vLLM, https://api.openai.com/v1. */
  SIGNPOST_LLM_URL: z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? v.trim() : undefined))
    .pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://127.0.0.1:11434/v1' }).optional()),
  SIGNPOST_LLM_MODEL: optionalText,
  /** Bearer token for hosted APIs; local servers need none. */
  SIGNPOST_LLM_API_KEY: optionalText,
  /** Pairs the model may judge per cycle; the rest wait in the queue for later cycles. */
  SIGNPOST_LLM_PAIRS_PER_CYCLE: count('200').default(200),
  /** Tokens (prompt + answer) the model may spend per cycle. */
  SIGNPOST_LLM_TOKENS_PER_CYCLE: count('500000').default(500_000),
  /** Requests in flight at once. */
  SIGNPOST_LLM_CONCURRENCY: count('2').min(1, 'must be at least 1').default(2),
  /** Per request, in milliseconds. */
  SIGNPOST_LLM_TIMEOUT_MS: count('60000').min(1000, 'must be at least 1000').default(60_000),
  /**
   * The built-in scorer's relevance from which a pair goes to the model: 0.03 keeps 99.5 % of the
   * related pairs of the forecast-stance corpus's dev split (docs/scoring.md).
   */
  SIGNPOST_LLM_MIN_RELEVANCE: z.coerce.number({ error: 'must be a number between 0 and 1' }).min(0).max(1).default(0.03),
  /** Dollars per million prompt / answer tokens, to print spend as money (eval, cycle log). */
  SIGNPOST_LLM_PRICE_INPUT: price,
  SIGNPOST_LLM_PRICE_OUTPUT: price,
  /** Whose judgment counts in the ledger, dashboard and digest: builtin (default) or llm (where it has judged). */
  SIGNPOST_JUDGE: z.enum(['builtin', 'llm'], { error: 'must be builtin or llm' }).default('builtin'),
};

/** The worker's environment: everything the dashboard reads plus mail and scheduling settings. */
export const workerEnvSchema = z
  .object({
    ...baseEnvShape,
    SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
    DIGEST_FROM: z.email().optional(),
    /** node-cron expression for the fetch-and-score cycle. */
    SIGNPOST_CYCLE_CRON: z
      .string()
      .default('*/5 * * * *')
      .refine((v) => cron.validate(v), { message: 'must be a cron expression such as */5 * * * *' }),
    /**
     * Threads that score articles (a pool beside the thread that owns the database and serves the
     * dashboard); 0 scores on that thread. Default: one per core (os.availableParallelism()).
     */
    SIGNPOST_SCORING_THREADS: z
      .string()
      .default(() => String(os.availableParallelism()))
      .refine((v) => /^\s*\d+\s*$/.test(v) && Number(v) <= 256, {
        message: 'must be a whole number of threads from 0 (score on the main thread) to 256',
      })
      .transform(Number),
    /**
     * Comma-separated `host:port` origins that feed and full-text fetches may reach although they are
     * loopback or private, while SIGNPOST_ALLOW_PRIVATE_NETWORKS stays off: one trusted local server,
     * without opening every private address (redirects from it are checked again).
     */
    SIGNPOST_ALLOW_PRIVATE_HOSTS: z
      .string()
      .default('')
      .transform((v, ctx) => {
        const entries = v
          .split(',')
          .map((e) => e.trim())
          .filter(Boolean);
        const out: string[] = [];
        for (const entry of entries) {
          try {
            out.push(normalizeAllowedHost(entry));
          } catch (error) {
            ctx.addIssue({ code: 'custom', message: (error as Error).message.replace(/^ssrf: /, '') });
          }
        }
        return out;
      }),
    /** The shared reference folder holding data/fnc-1 and data/emergent for `eval` (default: ../shared beside the repository). */
    SIGNPOST_SHARED_DIR: optionalText,
    ...llmEnvShape,
  })
  .superRefine((env, ctx) => {
    // A model is all or nothing: a URL without a model (or the reverse) is a mistake, not "off".
    if (env.SIGNPOST_LLM_URL && !env.SIGNPOST_LLM_MODEL)
      ctx.addIssue({
        code: 'custom',
        path: ['SIGNPOST_LLM_MODEL'],
        message: 'is required when SIGNPOST_LLM_URL is set (e.g. qwen2.5:7b-instruct)',
      });
    if (env.SIGNPOST_LLM_MODEL && !env.SIGNPOST_LLM_URL)
      ctx.addIssue({
        code: 'custom',
        path: ['SIGNPOST_LLM_URL'],
        message: 'is required when SIGNPOST_LLM_MODEL is set (e.g. http://127.0.0.1:11434/v1 for Ollama)',
      });
    if (env.SIGNPOST_JUDGE === 'llm' && !env.SIGNPOST_LLM_URL)
      ctx.addIssue({
        code: 'custom',
        path: ['SIGNPOST_JUDGE'],
        message: 'is llm but no model is configured (set SIGNPOST_LLM_URL and SIGNPOST_LLM_MODEL)',
      });
  });
export type WorkerEnv = z.infer<typeof workerEnvSchema>;

export function loadWorkerEnv(source: NodeJS.ProcessEnv = process.env): WorkerEnv {
  return parseEnv(workerEnvSchema, source);
}
