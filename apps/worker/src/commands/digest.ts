import { loadValidConfig, type DigestConfig } from '@signpost/config';
import { createDb, type Database } from '@signpost/db';
import { lastCompleteWeek } from '@signpost/digest';
import { DigestError, previewDigest, sendDigests, type DigestSendResult, type DigestTransport } from '../digest/send-digests.ts';
import { digestPublicUrl } from '../digest/public-url.ts';
import { createSmtpTransport } from '../digest/smtp-transport.ts';
import { databaseUrl, type WorkerEnv } from '../env.ts';
import { syncConfig } from '../runtime.ts';

export interface DigestCommandOptions {
  /** ISO week (YYYY-Www); default: the last complete week. */
  week?: string;
  out: NodeJS.WritableStream;
  err?: NodeJS.WritableStream;
  /** Tests hand in a database and a clock. */
  database?: Database;
  now?: Date;
  /** Tests hand in a transport; otherwise SMTP_URL. */
  transport?: DigestTransport;
}

/** Opens the database with the config's forecasts in it (a preview or send may come before any cycle). */
async function openWithConfig(
  env: WorkerEnv,
  options: DigestCommandOptions,
): Promise<{ database: Database; digest: DigestConfig; close(): Promise<void> }> {
  const config = await loadValidConfig(env.SIGNPOST_DATA_DIR, { maxBytes: env.SIGNPOST_CONFIG_MAX_BYTES });
  const database = options.database ?? (await createDb(databaseUrl(env)));
  try {
    await syncConfig(database, config);
  } catch (error) {
    if (!options.database) await database.close();
    throw error;
  }
  return { database, digest: config.digest, close: async () => void (options.database ? undefined : await database.close()) };
}

/** `signpost digest preview`: the week's digest for every forecast, as the text part, subject first. */
export async function digestPreviewCommand(env: WorkerEnv, options: DigestCommandOptions): Promise<number> {
  const week = options.week ?? lastCompleteWeek(options.now ?? new Date());
  const opened = await openWithConfig(env, options);
  try {
    const preview = await previewDigest({
      db: opened.database.db,
      week,
      publicUrl: digestPublicUrl(env),
      includeFeedHealth: opened.digest.options.includeFeedHealth,
    });
    options.out.write(`Subject: ${preview.subject}\n\n${preview.text}`);
    return 0;
  } finally {
    await opened.close();
  }
}

function describeResult(r: DigestSendResult): string {
  switch (r.outcome) {
    case 'sent':
      return `sent         ${r.email}: ${r.subject}${r.resentAfterInterruption ? ' (resent after an interrupted attempt, same Message-ID)' : ''}`;
    case 'failed':
      return `FAILED       ${r.email}: ${r.error} (attempt ${r.attempts}; ${r.nextAttemptAt ? `next try after ${new Date(r.nextAttemptAt).toISOString()}` : 'giving up'})`;
    case 'backoff':
      return `waiting      ${r.email}: failed before (${r.error}); next try after ${r.nextAttemptAt ? new Date(r.nextAttemptAt).toISOString() : '?'}`;
    case 'gave-up':
      return `gave up      ${r.email}: ${r.error}`;
    default:
      return `${r.outcome.padEnd(12)} ${r.email}`;
  }
}

/**
 * `signpost digest send`: sends the week's digest to every subscriber in digest.yaml over SMTP, once
 * per subscriber and week. Exit 0, or 1 if any send failed (a later run retries it).
 */
export async function digestSendCommand(env: WorkerEnv, options: DigestCommandOptions): Promise<number> {
  if (!env.DIGEST_FROM) throw new DigestError('digest: DIGEST_FROM is not set (the sender address of the digest)');
  if (!options.transport && !env.SMTP_URL)
    throw new DigestError('digest: SMTP_URL is not set (e.g. smtp://user:pass@mail.example.org:587)');
  if (!env.SIGNPOST_PUBLIC_URL) options.err?.write(`digest: SIGNPOST_PUBLIC_URL is not set; links point to ${digestPublicUrl(env)}\n`);
  const week = options.week ?? lastCompleteWeek(options.now ?? new Date());
  const opened = await openWithConfig(env, options);
  const smtp = options.transport ? undefined : createSmtpTransport(env.SMTP_URL!);
  try {
    if (opened.digest.subscribers.length === 0) {
      options.out.write(`digest ${week}: no subscribers in digest.yaml, nothing to send\n`);
      return 0;
    }
    const report = await sendDigests({
      db: opened.database.db,
      transport: options.transport ?? smtp!,
      from: env.DIGEST_FROM,
      subscribers: opened.digest.subscribers,
      week,
      publicUrl: digestPublicUrl(env),
      options: opened.digest.options,
      now: options.now ? () => options.now! : undefined,
      onResult: (r) => options.out.write(`${describeResult(r)}\n`),
    });
    options.out.write(
      `digest ${week}: ${report.sent} sent, ${report.failed} failed, ${report.results.length - report.sent - report.failed} not sent (already sent, unchanged, unsubscribed or waiting)\n`,
    );
    return report.failed ? 1 : 0;
  } finally {
    smtp?.close();
    await opened.close();
  }
}
