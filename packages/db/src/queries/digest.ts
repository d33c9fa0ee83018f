/**
 * The digest's send ledger, unsubscribes and the articles a digest quotes. All the SQL of the weekly
 * digest lives here; `@signpost/digest` holds the logic (see docs/digest.md for the state machine).
 *
 * A row of digest_sends moves through: pending (claimed; nothing handed to SMTP yet) -> sending (the
 * message is being handed to the SMTP server) -> sent | failed (retry at next_attempt_at, or given up
 * when next_attempt_at is null) | skipped (nothing changed for this subscriber). While a row is
 * pending or sending, next_attempt_at is the claim's lease: another process leaves it alone until then.
 */
import { and, desc, eq, inArray, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../create-db.ts';
import { articles, articleSources, digestSends, feeds, unsubscribes } from '../schema.ts';

export type DigestSendRow = typeof digestSends.$inferSelect;
export type DigestSendStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';

/** Addresses are compared case-insensitively everywhere in the digest. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Where the next digest for `email` starts: the end of the newest sent (or skipped) digest window
 * that ends no later than `notAfter`, or null when none has been sent.
 */
export async function findLastDigestWindowEnd(db: Db, email: string, notAfter: Date): Promise<Date | null> {
  const [row] = await db
    .select({ end: sql<Date | string | null>`max(${digestSends.windowEnd})` })
    .from(digestSends)
    .where(
      and(
        eq(digestSends.email, normaliseEmail(email)),
        inArray(digestSends.status, ['sent', 'skipped']),
        lte(digestSends.windowEnd, notAfter),
      ),
    );
  return row?.end ? new Date(row.end) : null;
}

/**
 * Writes the week's roster before anything is sent: a `pending` row, due at once and with no
 * window yet, for each address that has none. A run that dies part-way so leaves everyone it had
 * not reached in the ledger, where the next check (listDigestWeeksToRetry) finds them; without it,
 * the week would look started and they would never get that week's digest.
 */
export async function recordDigestRoster(db: Db, input: { week: string; emails: readonly string[]; now: Date }): Promise<void> {
  const emails = [...new Set(input.emails.map(normaliseEmail))];
  if (emails.length === 0) return;
  await db
    .insert(digestSends)
    .values(emails.map((email) => ({ email, week: input.week, status: 'pending', nextAttemptAt: input.now, createdAt: input.now })))
    .onConflictDoNothing();
}

export type DigestClaim =
  | { action: 'send'; row: DigestSendRow; /** The previous attempt was cut off mid-send (state `sending`). */ interrupted: boolean }
  | { action: 'skip'; row: DigestSendRow; reason: 'sent' | 'skipped' | 'in-progress' | 'backoff' | 'gave-up' };

/**
 * Claims the (email, week) row for sending, in one transaction with the row locked: creates it
 * (pending, with the proposed window) or takes over a failed row whose retry is due, or a
 * pending/sending row whose lease has run out (its process died). A row that is sent, skipped,
 * leased by a live process, waiting for its retry, or given up is left alone. The window of an
 * existing row is kept, so every retry sends the same content.
 */
export async function claimDigestSend(
  db: Db,
  input: { email: string; week: string; windowStart: Date; windowEnd: Date; now: Date; leaseMs: number; onlyExisting?: boolean },
): Promise<DigestClaim | null> {
  const email = normaliseEmail(input.email);
  return db.transaction(async (tx) => {
    if (!input.onlyExisting) {
      await tx
        .insert(digestSends)
        .values({
          email,
          week: input.week,
          status: 'pending',
          windowStart: input.windowStart,
          windowEnd: input.windowEnd,
          createdAt: input.now,
        })
        .onConflictDoNothing();
    }
    const [row] = await tx
      .select()
      .from(digestSends)
      .where(and(eq(digestSends.email, email), eq(digestSends.week, input.week)))
      .for('update');
    if (!row) return null;
    const status = row.status as DigestSendStatus;
    if (status === 'sent' || status === 'skipped') return { action: 'skip', row, reason: status };
    const due = row.nextAttemptAt === null || row.nextAttemptAt.getTime() <= input.now.getTime();
    if (status === 'failed' && row.nextAttemptAt === null) return { action: 'skip', row, reason: 'gave-up' };
    if (!due) return { action: 'skip', row, reason: status === 'failed' ? 'backoff' : 'in-progress' };
    const [claimed] = await tx
      .update(digestSends)
      .set({
        status: 'pending',
        nextAttemptAt: new Date(input.now.getTime() + input.leaseMs),
        windowStart: row.windowStart ?? input.windowStart,
        windowEnd: row.windowEnd ?? input.windowEnd,
      })
      .where(eq(digestSends.id, row.id))
      .returning();
    return { action: 'send', row: claimed!, interrupted: status === 'sending' };
  });
}

/**
 * Marks the row as being handed to the SMTP server, with the Message-ID it will carry, and counts
 * the attempt. From here until markDigestSent, a crash leaves the one ambiguous state.
 */
export async function markDigestSending(db: Db, id: number, input: { messageId: string; now: Date; leaseMs: number }): Promise<void> {
  await db
    .update(digestSends)
    .set({
      status: 'sending',
      messageId: input.messageId,
      attempts: sql`${digestSends.attempts} + 1`,
      nextAttemptAt: new Date(input.now.getTime() + input.leaseMs),
    })
    .where(eq(digestSends.id, id));
}

export async function markDigestSent(db: Db, id: number, input: { messageId: string; now: Date }): Promise<void> {
  await db
    .update(digestSends)
    .set({ status: 'sent', messageId: input.messageId, sentAt: input.now, nextAttemptAt: null, lastError: null })
    .where(eq(digestSends.id, id));
}

/** Records a failed attempt; `nextAttemptAt` null means Signpost has given up on this row. */
export async function markDigestFailed(db: Db, id: number, input: { error: string; nextAttemptAt: Date | null }): Promise<void> {
  await db
    .update(digestSends)
    .set({ status: 'failed', lastError: input.error.slice(0, 2000), nextAttemptAt: input.nextAttemptAt })
    .where(eq(digestSends.id, id));
}

/** Nothing changed for this subscriber: no mail, but the window counts as covered. */
export async function markDigestSkipped(db: Db, id: number, input: { reason: string; now: Date }): Promise<void> {
  await db
    .update(digestSends)
    .set({ status: 'skipped', lastError: input.reason, sentAt: input.now, nextAttemptAt: null })
    .where(eq(digestSends.id, id));
}

/** Keeps a note on the row without changing its state (e.g. that a resend follows an interrupted attempt). */
export async function noteDigestSend(db: Db, id: number, note: string): Promise<void> {
  await db
    .update(digestSends)
    .set({ lastError: note.slice(0, 2000) })
    .where(eq(digestSends.id, id));
}

/** The send ledger, newest week first, for the dashboard (failures with their errors included). */
export async function listDigestSends(
  db: Db,
  options: { week?: string; status?: DigestSendStatus; limit?: number } = {},
): Promise<DigestSendRow[]> {
  return db
    .select()
    .from(digestSends)
    .where(
      and(
        options.week ? eq(digestSends.week, options.week) : undefined,
        options.status ? eq(digestSends.status, options.status) : undefined,
      ),
    )
    .orderBy(desc(digestSends.week), digestSends.email)
    .limit(options.limit ?? 500);
}

/** Weeks holding rows whose retry is due, or whose claim's lease ran out (a process died mid-send). */
export async function listDigestWeeksToRetry(db: Db, now: Date): Promise<string[]> {
  const rows = await db
    .selectDistinct({ week: digestSends.week })
    .from(digestSends)
    .where(
      and(
        inArray(digestSends.status, ['failed', 'pending', 'sending']),
        sql`${digestSends.nextAttemptAt} is not null`,
        lte(digestSends.nextAttemptAt, now),
      ),
    )
    .orderBy(digestSends.week);
  return rows.map((r) => r.week);
}

/** Stops the digest for this address (idempotent). */
export async function recordUnsubscribe(db: Db, email: string, now = new Date()): Promise<void> {
  await db
    .insert(unsubscribes)
    .values({ email: normaliseEmail(email), createdAt: now })
    .onConflictDoNothing();
}

/** Every address that asked to stop receiving the digest, normalised. */
export async function listUnsubscribed(db: Db): Promise<Set<string>> {
  const rows = await db.select({ email: unsubscribes.email }).from(unsubscribes);
  return new Set(rows.map((r) => r.email));
}

export interface DigestArticleRow {
  id: number;
  title: string;
  url: string | null;
  publishedAt: Date;
  /** Titles (or URLs) of the feeds that carried it. */
  feeds: string[];
}

/** Title, link and sources of the given articles, for quoting them in a digest. */
export async function listDigestArticles(db: Db, ids: number[]): Promise<DigestArticleRow[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({
      id: articles.id,
      title: articles.title,
      url: articles.url,
      publishedAt: articles.publishedAt,
      feeds: sql<string[] | null>`array_remove(array_agg(coalesce(${feeds.title}, ${feeds.url}) order by ${feeds.id}), null)`,
    })
    .from(articles)
    .leftJoin(articleSources, eq(articleSources.articleId, articles.id))
    .leftJoin(feeds, eq(feeds.id, articleSources.feedId))
    .where(or(...chunk(ids, 1000).map((part) => inArray(articles.id, part))))
    .groupBy(articles.id);
  return rows.map((r) => ({ ...r, publishedAt: new Date(r.publishedAt), feeds: r.feeds ?? [] }));
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
