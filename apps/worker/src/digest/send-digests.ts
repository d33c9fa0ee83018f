/**
 * Sending the weekly digest exactly once per subscriber and ISO week, through an injected
 * nodemailer transport. The state lives in the database (digest_sends); see docs/digest.md for the
 * whole design and the one ambiguous case.
 */
import { createHash } from 'node:crypto';
import type { SendMailOptions } from 'nodemailer';
import {
  claimDigestSend,
  findLastDigestWindowEnd,
  getOrCreateSecret,
  listUnsubscribed,
  markDigestFailed,
  markDigestSending,
  markDigestSent,
  markDigestSkipped,
  noteDigestSend,
  recordDigestRoster,
  type Db,
} from '@signpost/db';
import { SCORER_ID } from '@signpost/scoring';
import {
  buildDigest,
  normaliseEmail,
  renderDigest,
  signUnsubscribeToken,
  unsubscribeUrl,
  weekWindow,
  UNSUBSCRIBE_SECRET_KEY,
  type Digest,
  type DigestRecipient,
  type RenderedDigest,
} from '@signpost/digest';
import { loadDigestInput } from './load-digest-input.ts';

const DAY = 86_400_000;

export class DigestError extends Error {
  override name = 'DigestError';
}

/** What sendDigests needs of a nodemailer transport (`nodemailer.createTransport(SMTP_URL)`). */
export interface DigestTransport {
  sendMail(mail: SendMailOptions): Promise<{ messageId?: string }>;
}

export type DigestOutcome =
  | 'sent'
  | 'failed'
  /** Nothing changed for this subscriber and skipWhenUnchanged is on. */
  | 'unchanged'
  | 'already-sent'
  | 'already-skipped'
  /** Another process holds the claim (its lease has not run out). */
  | 'in-progress'
  /** Failed earlier; the next attempt is not due yet. */
  | 'backoff'
  /** Failed too often; Signpost no longer tries (visible on the dashboard). */
  | 'gave-up'
  | 'unsubscribed';

export interface DigestSendResult {
  email: string;
  week: string;
  outcome: DigestOutcome;
  subject?: string;
  messageId?: string;
  window?: { start: Date; end: Date };
  /** SMTP attempts made for this (email, week) in total. */
  attempts?: number;
  error?: string;
  nextAttemptAt?: Date | null;
  /** The previous run died while handing this digest to the SMTP server; it was sent again with the same Message-ID. */
  resentAfterInterruption?: boolean;
}

export interface SendDigestsOptions {
  db: Db;
  transport: DigestTransport;
  /** Sender address (DIGEST_FROM). */
  from: string;
  subscribers: DigestRecipient[];
  /** The ISO week (YYYY-Www) the digest is for. */
  week: string;
  /** SIGNPOST_PUBLIC_URL: base of every link. */
  publicUrl: string;
  options?: { skipWhenUnchanged?: boolean; includeFeedHealth?: boolean };
  /** Scorer version whose judgments count (default: the current SCORER_ID). */
  scorer?: string;
  /** The clock (tests pass their own). */
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** Attempts within this run when the SMTP server fails transiently, with doubling delays. */
  retry?: { attempts?: number; baseDelayMs?: number };
  /** Later runs retry a failed digest after baseMs · 2^(attempts−1), at most maxMs, up to maxAttempts in all. */
  backoff?: { baseMs?: number; maxMs?: number; maxAttempts?: number };
  /** How long a claim keeps other processes off a row; after that the row counts as abandoned. */
  leaseMs?: number;
  /** A subscriber who missed digests gets one covering at most this many weeks. */
  maxCatchUpWeeks?: number;
  /** Only retry rows already in the ledger; claim no new (email, week) rows (the retry tick). */
  onlyExisting?: boolean;
  /** Called after each subscriber, for logs and progress. */
  onResult?: (result: DigestSendResult) => void;
}

export interface SendDigestsReport {
  week: string;
  results: DigestSendResult[];
  sent: number;
  failed: number;
}

export const DIGEST_DEFAULTS = {
  retry: { attempts: 3, baseDelayMs: 2_000 },
  backoff: { baseMs: 5 * 60_000, maxMs: 6 * 3600_000, maxAttempts: 12 },
  leaseMs: 10 * 60_000,
  maxCatchUpWeeks: 8,
} as const;

/**
 * A Message-ID that is the same for every attempt at one (address, week): a digest sent again
 * after an interrupted attempt carries the same ID, so receiving systems and the recipient's
 * client can recognise it as the same message.
 */
export function digestMessageId(email: string, week: string, publicUrl: string): string {
  let host = 'signpost.invalid';
  try {
    host = new URL(publicUrl).hostname || host;
  } catch {
    // keep the placeholder domain
  }
  const hash = createHash('sha256')
    .update(`${normaliseEmail(email)}\n${week}`)
    .digest('hex')
    .slice(0, 24);
  return `<digest.${week}.${hash}@${host}>`;
}

/** Transient SMTP trouble (4xx replies, connection errors) is retried within the run; 5xx is not. */
export function isTransientSmtpError(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode;
  return !(typeof code === 'number' && code >= 500 && code < 600);
}

function describeError(error: unknown): string {
  const e = error as { message?: string; responseCode?: number; code?: string };
  const message = e?.message ?? String(error);
  return `digest: SMTP ${e.responseCode ? `${e.responseCode} ` : ''}${e.code && !message.includes(e.code) ? `${e.code} ` : ''}${message}`.trim();
}

/**
 * The window a digest for `week` covers for one address: from the end of the last digest sent (or
 * skipped) to that address, so missed weeks are caught up, but no more than `maxCatchUpWeeks`; a
 * new subscriber's first digest covers the week alone.
 */
export async function proposeDigestWindow(db: Db, email: string, week: string, maxCatchUpWeeks: number = DIGEST_DEFAULTS.maxCatchUpWeeks) {
  const { start: weekStart, end } = weekWindow(week);
  const last = await findLastDigestWindowEnd(db, email, end);
  if (!last || last.getTime() >= weekStart.getTime()) return { start: weekStart, end };
  const earliest = end.getTime() - maxCatchUpWeeks * 7 * DAY;
  return { start: new Date(Math.max(last.getTime(), earliest)), end };
}

/**
 * Sends the week's digest to every subscriber who has not had it, one at a time:
 * claim the (email, week) row (a transaction with the row locked) -> build and render -> mark it
 * `sending` with its deterministic Message-ID -> hand it to SMTP -> mark it `sent`. Transient SMTP
 * failures are retried within the run with doubling delays; a digest that still fails is marked
 * `failed` with the time of its next attempt, which a later run honours. Subscribers who
 * unsubscribed are left out. Never throws for an SMTP failure: see the report.
 */
export async function sendDigests(options: SendDigestsOptions): Promise<SendDigestsReport> {
  const { db, transport, week } = options;
  const clock = options.now ?? (() => new Date());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const retry = { ...DIGEST_DEFAULTS.retry, ...options.retry };
  const backoff = { ...DIGEST_DEFAULTS.backoff, ...options.backoff };
  const leaseMs = options.leaseMs ?? DIGEST_DEFAULTS.leaseMs;
  const scorer = options.scorer ?? SCORER_ID;
  if (!options.from) throw new DigestError('digest: no sender address (set DIGEST_FROM)');
  weekWindow(week); // a bad week fails here, before anything is claimed

  const unsubscribed = await listUnsubscribed(db);
  const secret = await getOrCreateSecret(db, UNSUBSCRIBE_SECRET_KEY);
  const digests = new Map<string, Digest>();
  const digestFor = async (window: { start: Date; end: Date }) => {
    const key = `${window.start.toISOString()}/${window.end.toISOString()}`;
    let digest = digests.get(key);
    if (!digest) {
      digest = buildDigest(await loadDigestInput(db, { week, window, scorer }));
      digests.set(key, digest);
    }
    return digest;
  };

  const results: DigestSendResult[] = [];
  const report = (result: DigestSendResult) => {
    results.push(result);
    options.onResult?.(result);
  };

  // Everyone due this week goes into the ledger first, so a run that dies part-way is resumed by
  // the retry check for the whole rest of the list, not only for the row it was sending.
  if (!options.onlyExisting) {
    const due = options.subscribers.map((s) => normaliseEmail(s.email)).filter((email) => !unsubscribed.has(email));
    await recordDigestRoster(db, { week, emails: due, now: clock() });
  }

  const seen = new Set<string>();
  for (const subscriber of options.subscribers) {
    const email = normaliseEmail(subscriber.email);
    if (seen.has(email)) continue;
    seen.add(email);
    if (unsubscribed.has(email)) {
      report({ email, week, outcome: 'unsubscribed' });
      continue;
    }
    const proposed = await proposeDigestWindow(db, email, week, options.maxCatchUpWeeks);
    const claim = await claimDigestSend(db, {
      email,
      week,
      windowStart: proposed.start,
      windowEnd: proposed.end,
      now: clock(),
      leaseMs,
      onlyExisting: options.onlyExisting,
    });
    if (!claim) continue;
    if (claim.action === 'skip') {
      const outcome = claim.reason === 'sent' ? 'already-sent' : claim.reason === 'skipped' ? 'already-skipped' : claim.reason;
      report({
        email,
        week,
        outcome,
        attempts: claim.row.attempts,
        error: claim.row.lastError ?? undefined,
        nextAttemptAt: claim.row.nextAttemptAt,
      });
      continue;
    }
    const row = claim.row;
    const window = { start: row.windowStart ?? proposed.start, end: row.windowEnd ?? proposed.end };
    const token = signUnsubscribeToken(secret, email);
    const link = unsubscribeUrl(options.publicUrl, token);
    let rendered: RenderedDigest;
    try {
      rendered = renderDigest(await digestFor(window), subscriber, {
        publicUrl: options.publicUrl,
        unsubscribeUrl: link,
        includeFeedHealth: options.options?.includeFeedHealth ?? true,
      });
    } catch (error) {
      // Not the SMTP server's fault: give the row back for the next run and stop, loudly.
      await markDigestFailed(db, row.id, {
        error: `digest: could not build the digest: ${(error as Error).message}`,
        nextAttemptAt: clock(),
      });
      throw error;
    }
    if (rendered.unchanged && (options.options?.skipWhenUnchanged ?? true)) {
      await markDigestSkipped(db, row.id, { reason: 'nothing changed in the forecasts followed', now: clock() });
      report({ email, week, outcome: 'unchanged', window });
      continue;
    }
    if (claim.interrupted) {
      await noteDigestSend(
        db,
        row.id,
        'a previous attempt was interrupted while handing the message to the SMTP server; sent again with the same Message-ID',
      );
    }

    const messageId = digestMessageId(email, week, options.publicUrl);
    const mail: SendMailOptions = {
      from: options.from,
      to: subscriber.name ? { name: subscriber.name, address: subscriber.email } : subscriber.email,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      messageId,
      list: { unsubscribe: link },
      headers: {
        // RFC 8058: mail clients may unsubscribe with one POST to the link, no page in between.
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        'Auto-Submitted': 'auto-generated',
        'X-Signpost-Week': week,
      },
    };

    let attempts = row.attempts;
    let lastError: unknown;
    let sent = false;
    for (let attempt = 1; attempt <= Math.max(1, retry.attempts); attempt++) {
      await markDigestSending(db, row.id, { messageId, now: clock(), leaseMs });
      attempts++;
      try {
        await transport.sendMail(mail);
        // The server has accepted the message: record it before anything else can go wrong.
        await markDigestSent(db, row.id, { messageId, now: clock() });
        sent = true;
        break;
      } catch (error) {
        lastError = error;
        if (!isTransientSmtpError(error) || attempt >= retry.attempts) break;
        await sleep(retry.baseDelayMs * 2 ** (attempt - 1));
      }
    }
    if (sent) {
      report({
        email,
        week,
        outcome: 'sent',
        subject: rendered.subject,
        messageId,
        window,
        attempts,
        resentAfterInterruption: claim.interrupted || undefined,
      });
      continue;
    }
    const error = describeError(lastError);
    const nextAttemptAt =
      attempts >= backoff.maxAttempts
        ? null
        : new Date(clock().getTime() + Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, attempts - 1)));
    await markDigestFailed(db, row.id, { error, nextAttemptAt });
    report({ email, week, outcome: 'failed', subject: rendered.subject, messageId, window, attempts, error, nextAttemptAt });
  }

  return {
    week,
    results,
    sent: results.filter((r) => r.outcome === 'sent').length,
    failed: results.filter((r) => r.outcome === 'failed').length,
  };
}

/**
 * The digest one subscriber would get for `week` (their catch-up window included), or with no
 * subscriber, the whole week's digest for every forecast. Sends nothing, claims nothing.
 */
export async function previewDigest(options: {
  db: Db;
  week: string;
  publicUrl: string;
  subscriber?: DigestRecipient;
  includeFeedHealth?: boolean;
  scorer?: string;
  maxCatchUpWeeks?: number;
}): Promise<RenderedDigest & { window: { start: Date; end: Date }; digest: Digest }> {
  const window = options.subscriber
    ? await proposeDigestWindow(options.db, options.subscriber.email, options.week, options.maxCatchUpWeeks)
    : weekWindow(options.week);
  const digest = buildDigest(await loadDigestInput(options.db, { week: options.week, window, scorer: options.scorer ?? SCORER_ID }));
  const recipient = options.subscriber ?? { email: 'preview@signpost.invalid', name: undefined };
  let link: string | undefined;
  if (options.subscriber) {
    const secret = await getOrCreateSecret(options.db, UNSUBSCRIBE_SECRET_KEY);
    link = unsubscribeUrl(options.publicUrl, signUnsubscribeToken(secret, options.subscriber.email));
  }
  const rendered = renderDigest(digest, recipient, {
    publicUrl: options.publicUrl,
    unsubscribeUrl: link,
    includeFeedHealth: options.includeFeedHealth ?? true,
  });
  return { ...rendered, window, digest };
}
