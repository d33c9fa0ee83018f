import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { tokenWeakness } from './auth.ts';

/** The repository's data/ folder: the default SIGNPOST_DATA_DIR. */
export const defaultDataDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../data');

const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .default('')
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

/** Environment shared by every Signpost process (see docs/contracts.md, "Configuration"). */
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

export const dashboardEnvSchema = z.object(baseEnvShape);
export type DashboardEnv = z.infer<typeof dashboardEnvSchema>;

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
