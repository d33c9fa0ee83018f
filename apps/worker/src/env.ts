import cron from 'node-cron';
import { z } from 'zod';
import { baseEnvShape, parseEnv } from '@signpost/dashboard/env';

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
});
export type WorkerEnv = z.infer<typeof workerEnvSchema>;

export function loadWorkerEnv(source: NodeJS.ProcessEnv = process.env): WorkerEnv {
  return parseEnv(workerEnvSchema, source);
}
