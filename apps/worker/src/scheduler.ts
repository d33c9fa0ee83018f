import cron from 'node-cron';
import type { Logger } from '@signpost/log';

export interface Scheduler {
  /** Resolves once the job in progress (if any) has finished. */
  stop(): Promise<void>;
  /** Runs the job now unless a run is in progress; resolves when it ends. */
  trigger(): Promise<void>;
}

/**
 * node-cron only triggers work: what is due lives in the database. Runs never overlap, whether
 * triggered by the clock or by hand; a tick that finds a run in progress is skipped.
 */
export function createScheduler(options: {
  name: string;
  cron: string;
  timezone?: string;
  logger: Logger;
  job: () => Promise<void>;
}): Scheduler {
  if (!cron.validate(options.cron)) throw new Error(`scheduler: invalid cron expression for ${options.name}: "${options.cron}"`);
  let running: Promise<void> | null = null;
  let stopped = false;
  const run = () => {
    if (stopped) return Promise.resolve();
    if (running) {
      options.logger.debug({ job: options.name }, 'scheduler: previous run still in progress, tick skipped');
      return running;
    }
    running = (async () => {
      try {
        await options.job();
      } catch (error) {
        options.logger.error({ err: error, job: options.name }, 'scheduler: job failed');
      } finally {
        running = null;
      }
    })();
    return running;
  };
  const task = cron.schedule(options.cron, () => void run(), {
    name: options.name,
    timezone: options.timezone,
    noOverlap: true,
  });
  return {
    trigger: run,
    async stop() {
      stopped = true;
      await task.destroy();
      if (running) await running;
    },
  };
}
