import os from 'node:os';
import cron from 'node-cron';
import { z } from 'zod';
import { baseEnvShape, parseEnv } from '@signpost/dashboard/env';
import { normalizeAllowedHost } from './feeds/ssrf.ts';

export { EnvError, databaseUrl } from '@signpost/dashboard/env';

/** The worker's environment: everything the dashboard reads plus mail and scheduling settings. */
export const workerEnvSchema = z.object({
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
    .refine((v) => /^\s*\d+\s*$/.test(v) && Number(v) <= 256, { message: 'must be a whole number of threads from 0 (score on the main thread) to 256' })
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
      const entries = v.split(',').map((e) => e.trim()).filter(Boolean);
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
});
export type WorkerEnv = z.infer<typeof workerEnvSchema>;

export function loadWorkerEnv(source: NodeJS.ProcessEnv = process.env): WorkerEnv {
  return parseEnv(workerEnvSchema, source);
}
