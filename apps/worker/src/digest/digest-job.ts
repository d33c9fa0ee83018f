import type { DigestSchedule } from '@signpost/config';
import { listDigestSends, listDigestWeeksToRetry } from '@signpost/db';
import { lastCompleteWeek } from '@signpost/digest';
import type { Runtime } from '../runtime.ts';
import { createScheduler, type Scheduler } from '../scheduler.ts';
import { digestPublicUrl } from './public-url.ts';
import { sendDigests, type DigestSendResult, type DigestTransport, type SendDigestsReport } from './send-digests.ts';
import { createSmtpTransport } from './smtp-transport.ts';

const DAYS = { sunday: 0, monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6 } as const;

/** The node-cron expression for digest.yaml's schedule (minute 0 of the hour, on the weekday). */
export function digestCron(schedule: DigestSchedule): string {
  return `0 ${schedule.hour} * * ${DAYS[schedule.day]}`;
}

/**
 * True once this week's send time has passed in the schedule's time zone (weeks from Monday):
 * a worker that was down at the scheduled moment sends on its next check instead of a week late.
 */
export function isPastScheduledTime(schedule: DigestSchedule, now: Date): boolean {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: schedule.timezone,
    weekday: 'long',
    hour: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(now);
  const weekday = parts.find((p) => p.type === 'weekday')!.value.toLowerCase() as keyof typeof DAYS;
  const hour = Number(parts.find((p) => p.type === 'hour')!.value);
  const mondayBased = (d: number) => (d + 6) % 7;
  const today = mondayBased(DAYS[weekday]);
  const due = mondayBased(DAYS[schedule.day]);
  return today > due || (today === due && hour >= schedule.hour);
}

export interface DigestJob {
  /** Sends the last complete week's digest now (what the weekly tick does). */
  sendNow(): Promise<SendDigestsReport | null>;
  /** Retries due failures and catches up a missed scheduled send (what the frequent tick does). */
  checkNow(): Promise<void>;
  /** The weekly task's cron expression and time zone in force. */
  schedule(): string;
  stop(): Promise<void>;
}

/**
 * Schedules the weekly digest in the worker: one node-cron task at digest.yaml's day, hour and
 * time zone sends the last complete ISO week's digest; a second task (every 10 minutes) retries
 * sends whose backoff has passed or whose process died mid-send, and sends a week whose scheduled
 * time passed while the worker was down. What is due lives in digest_sends, so restarts lose
 * nothing. Without SMTP_URL and DIGEST_FROM it logs that once and schedules nothing.
 *
 * A changed day, hour or time zone in digest.yaml takes effect at the next 10-minute check.
 */
export function createDigestJob(
  runtime: Pick<Runtime, 'env' | 'logger' | 'database' | 'config'>,
  options: { transport?: DigestTransport; now?: () => Date; retryCron?: string } = {},
): DigestJob {
  const { env, logger, database } = runtime;
  const now = options.now ?? (() => new Date());
  if (!options.transport && (!env.SMTP_URL || !env.DIGEST_FROM)) {
    logger.warn(
      { missing: [!env.SMTP_URL && 'SMTP_URL', !env.DIGEST_FROM && 'DIGEST_FROM'].filter(Boolean) },
      'digest: not scheduled: SMTP_URL and DIGEST_FROM are needed to send it',
    );
    return { sendNow: async () => null, checkNow: async () => {}, schedule: () => '', stop: async () => {} };
  }
  const smtp = options.transport ? undefined : createSmtpTransport(env.SMTP_URL!);
  const transport = options.transport ?? smtp!;
  const from = env.DIGEST_FROM ?? 'signpost@localhost';
  const log = (r: DigestSendResult) => {
    if (r.outcome === 'sent') logger.info({ email: r.email, week: r.week, messageId: r.messageId, attempts: r.attempts }, 'digest sent');
    else if (r.outcome === 'failed')
      logger.warn({ email: r.email, week: r.week, error: r.error, attempts: r.attempts, nextAttemptAt: r.nextAttemptAt }, 'digest failed');
    else logger.debug({ email: r.email, week: r.week, outcome: r.outcome }, 'digest not sent');
  };

  const send = async (week: string, onlyExisting = false) => {
    const config = runtime.config.current();
    if (!config) {
      logger.warn({ week }, 'digest: no valid config yet; not sending');
      return null;
    }
    if (config.digest.subscribers.length === 0) return null;
    const report = await sendDigests({
      db: database.db,
      transport,
      from,
      subscribers: config.digest.subscribers,
      week,
      publicUrl: digestPublicUrl(env),
      options: config.digest.options,
      now,
      onlyExisting,
      onResult: log,
    });
    if (report.sent || report.failed) logger.info({ week, sent: report.sent, failed: report.failed }, 'digest run done');
    return report;
  };

  const sendNow = () => send(lastCompleteWeek(now()));
  const checkNow = async () => {
    for (const week of await listDigestWeeksToRetry(database.db, now())) await send(week, true);
    const config = runtime.config.current();
    const week = lastCompleteWeek(now());
    if (
      config &&
      isPastScheduledTime(config.digest.schedule, now()) &&
      (await listDigestSends(database.db, { week, limit: 1 })).length === 0
    ) {
      logger.info({ week }, 'digest: the scheduled send was missed; sending now');
      await send(week);
    }
  };

  // The weekly task follows digest.yaml: created now (default schedule until the config is
  // loaded) and replaced by the frequent check when the day, hour or time zone changes.
  let weekly: Scheduler | null = null;
  let weeklyKey = '';
  let stopped = false;
  const followSchedule = async () => {
    if (stopped) return;
    const schedule = runtime.config.current()?.digest.schedule ?? { day: 'monday' as const, hour: 8, timezone: 'UTC' };
    const key = `${digestCron(schedule)} ${schedule.timezone}`;
    if (key === weeklyKey) return;
    const previous = weekly;
    weeklyKey = key;
    weekly = createScheduler({
      name: 'digest',
      cron: digestCron(schedule),
      timezone: schedule.timezone,
      logger,
      job: async () => void (await sendNow()),
    });
    logger.info({ cron: digestCron(schedule), timezone: schedule.timezone }, 'digest scheduled');
    await previous?.stop();
  };
  void followSchedule();
  const retry: Scheduler = createScheduler({
    name: 'digest-retry',
    cron: options.retryCron ?? '*/10 * * * *',
    logger,
    job: async () => tick(),
  });
  async function tick() {
    // start.ts checks as soon as the runtime is open, before the config files have been read: without
    // this wait the catch-up found no config and stood down until the next tick, 10 minutes later.
    await runtime.config.ready();
    await followSchedule();
    await checkNow();
  }

  return {
    sendNow,
    checkNow: tick,
    schedule: () => weeklyKey,
    async stop() {
      stopped = true;
      await Promise.all([weekly?.stop(), retry.stop()]);
      smtp?.close();
    },
  };
}
