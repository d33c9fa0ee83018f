import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
/** A required reference to an article or a forecast: the row goes when what it refers to goes. */
const articleRef = () =>
  bigint('article_id', { mode: 'number' })
    .notNull()
    .references(() => articles.id, { onDelete: 'cascade' });
const predictionRef = () =>
  text('prediction_id')
    .notNull()
    .references(() => predictions.id, { onDelete: 'cascade' });

/**
 * Feeds as configured in feeds.yaml plus their fetch state. Robustness lives in these columns
 * (after miniflux): a restart loses nothing and the dashboard can show all of it.
 */
export const feeds = pgTable(
  'feeds',
  {
    id: serial('id').primaryKey(),
    url: text('url').notNull(),
    title: text('title'),
    siteUrl: text('site_url'),
    language: text('language'),
    tags: jsonb('tags').$type<string[]>().notNull().default([]),
    /** Per-feed settings from config (interval, fullText). */
    settings: jsonb('settings').$type<{ intervalMinutes?: number; fullText?: boolean }>().notNull().default({}),
    /** false once the feed is removed from feeds.yaml; its articles stay. */
    active: boolean('active').notNull().default(true),
    etag: text('etag'),
    lastModified: text('last_modified'),
    bodyHash: text('body_hash'),
    ttlMinutes: integer('ttl_minutes'),
    /** ok | error | new */
    status: text('status').notNull().default('new'),
    lastFetchedAt: timestamp('last_fetched_at', { withTimezone: true }),
    lastSuccessAt: timestamp('last_success_at', { withTimezone: true }),
    lastError: text('last_error'),
    lastErrorKind: text('last_error_kind'),
    errorCount: integer('error_count').notNull().default(0),
    nextCheckAt: timestamp('next_check_at', { withTimezone: true }).notNull().defaultNow(),
    /** Lease held by the worker fetching this feed; another worker skips it until it expires. */
    leaseOwner: text('lease_owner'),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    /** GUIDs and URLs of the last fetch, to notice feeds whose GUIDs change on every fetch. */
    lastItems: jsonb('last_items').$type<{ guid: string | null; url: string | null }[]>(),
    guidsBroken: boolean('guids_broken').notNull().default(false),
    /** What the last successful fetch fixed or left out (cut fields, skipped items, invalid UTF-8); shown on the dashboard. */
    warnings: jsonb('warnings').$type<string[]>().notNull().default([]),
    /**
     * Paused feeds are not fetched on schedule. Set by an admin from the dashboard, or by the worker
     * when a feed keeps answering 404/410 (`auto`); a paused feed is still probed once a day and
     * flagged on the dashboard, never silently dropped.
     */
    pausedAt: timestamp('paused_at', { withTimezone: true }),
    /** admin | gone (repeated 404/410) */
    pausedBy: text('paused_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('feeds_url_key').on(t.url), index('feeds_next_check_idx').on(t.nextCheckAt)],
);

/** One story, possibly seen in several feeds (see articleSources). */
export const articles = pgTable(
  'articles',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** Identity: GUID, canonical URL or title+date hash, namespaced by kind (see the feed pipeline). */
    key: text('key').notNull(),
    url: text('url'),
    title: text('title').notNull().default(''),
    /** Normalised title, for recognising the same story in several feeds. */
    titleKey: text('title_key').notNull().default(''),
    author: text('author'),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull(),
    /** true when the feed gave no date or a future one and publishedAt is the fetch time. */
    publishedEstimated: boolean('published_estimated').notNull().default(false),
    fetchedAt: timestamp('fetched_at', { withTimezone: true }).notNull().defaultNow(),
    summary: text('summary'),
    text: text('text'),
    language: text('language'),
    contentHash: text('content_hash'),
    /** none | extracted | failed | skipped */
    fullTextStatus: text('full_text_status').notNull().default('none'),
    fullTextError: text('full_text_error'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('articles_key_key').on(t.key),
    index('articles_published_idx').on(t.publishedAt),
    index('articles_title_key_idx').on(t.titleKey),
    // The feed pipeline looks stories up by URL too (the same story under another key).
    index('articles_url_idx').on(t.url),
  ],
);

export const articleSources = pgTable(
  'article_sources',
  {
    articleId: articleRef(),
    feedId: integer('feed_id')
      .notNull()
      .references(() => feeds.id, { onDelete: 'cascade' }),
    guid: text('guid'),
    url: text('url'),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.feedId] }), index('article_sources_feed_idx').on(t.feedId)],
);

/** Forecasts as loaded from config. The full record is kept as JSON; the id is permanent. */
export const predictions = pgTable('predictions', {
  id: text('id').primaryKey(),
  statement: text('statement').notNull(),
  record: jsonb('record').$type<Record<string, unknown>>().notNull(),
  /** Hash of the record, to notice edits cheaply. */
  recordHash: text('record_hash').notNull(),
  /**
   * Hash of what the scorer reads (statement, keywords, signposts, and the adjustment below, after a
   * `+`): a change calls for re-scoring.
   */
  claimHash: text('claim_hash').notNull().default(''),
  /**
   * The forecast's correction learned from analysts' reviews by `signpost train` (relatedOffset,
   * stanceBias, reviewed); null when none. Cleared when the forecast's wording changes.
   */
  adjustment: jsonb('adjustment').$type<{ relatedOffset: number; stanceBias: [number, number, number]; reviewed: number }>(),
  revision: integer('revision').notNull().default(1),
  /** active | retired (removed from config; evidence kept) */
  state: text('state').notNull().default('active'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  retiredAt: timestamp('retired_at', { withTimezone: true }),
});

/** Every version a forecast has had, so a rewording keeps its history. */
export const predictionRevisions = pgTable(
  'prediction_revisions',
  {
    id: serial('id').primaryKey(),
    predictionId: predictionRef(),
    revision: integer('revision').notNull(),
    /** added | changed | retired | restored */
    change: text('change').notNull(),
    statement: text('statement').notNull(),
    record: jsonb('record').$type<Record<string, unknown>>().notNull(),
    /** Top-level fields that differ from the previous revision. */
    changedFields: jsonb('changed_fields').$type<string[]>().notNull().default([]),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('prediction_revisions_key').on(t.predictionId, t.revision)],
);

/** One scorer version's judgment of one article against one forecast. Old versions are kept. */
export const judgments = pgTable(
  'judgments',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    articleId: articleRef(),
    predictionId: predictionRef(),
    /** "<name>@<version>" */
    scorer: text('scorer').notNull(),
    /** The forecast's claim hash when judged: a reworded forecast is judged again, the old judgment kept. */
    claimHash: text('claim_hash').notNull().default(''),
    stance: text('stance').notNull(),
    relevance: real('relevance').notNull(),
    confidence: real('confidence').notNull(),
    evidence: jsonb('evidence').$type<{ text: string; stance: string }[]>().notNull().default([]),
    signposts: jsonb('signposts').$type<{ index: number; stance: string }[]>(),
    /** A language model's one-line reason (`llm:` scorers); null for the built-in scorer. */
    reason: text('reason'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('judgments_key').on(t.articleId, t.predictionId, t.scorer, t.claimHash),
    index('judgments_prediction_idx').on(t.predictionId, t.createdAt),
  ],
);

/** An analyst's correction of a judgment; survives re-scoring. */
export const overrides = pgTable(
  'overrides',
  {
    id: serial('id').primaryKey(),
    articleId: articleRef(),
    predictionId: predictionRef(),
    /** agree | disagree | discuss | unrelated (irrelevant) */
    stance: text('stance').notNull(),
    note: text('note'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('overrides_key').on(t.articleId, t.predictionId)],
);

/**
 * How far through the archive each forecast has been judged by a scorer version: every article with
 * id <= throughArticleId has been scored against the forecast's claim (claimHash). Judgments that are
 * `unrelated` are not stored, so this watermark is what says "scored". New articles, new or reworded
 * forecasts and new scorer versions are all handled by advancing it, one batch per transaction.
 */
export const scoringProgress = pgTable(
  'scoring_progress',
  {
    predictionId: predictionRef(),
    scorer: text('scorer').notNull(),
    claimHash: text('claim_hash').notNull(),
    throughArticleId: bigint('through_article_id', { mode: 'number' }).notNull().default(0),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.predictionId, t.scorer, t.claimHash] })],
);

/**
 * Pairs the scorer could not judge: the thread scoring them crashed, hung or threw twice (the chunk is
 * retried once). Recorded in the transaction that moves the watermark past them, so no pair is
 * dropped silently; a new scorer version or a reworded forecast judges them again (a new watermark).
 */
export const scoringFailures = pgTable(
  'scoring_failures',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    articleId: articleRef(),
    predictionId: predictionRef(),
    scorer: text('scorer').notNull(),
    claimHash: text('claim_hash').notNull(),
    /** What went wrong, last attempt's message (e.g. "scoring: a thread ran past 60000 ms on articles 40-90"). */
    error: text('error').notNull(),
    attempts: integer('attempts').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('scoring_failures_key').on(t.articleId, t.predictionId, t.scorer, t.claimHash),
    index('scoring_failures_prediction_idx').on(t.predictionId, t.createdAt),
  ],
);

/** The send ledger: one row per subscriber and ISO week, so a digest is sent once. */
export const digestSends = pgTable(
  'digest_sends',
  {
    id: serial('id').primaryKey(),
    email: text('email').notNull(),
    /** ISO week, YYYY-Www */
    week: text('week').notNull(),
    /** pending | sending | sent | failed | skipped (see packages/digest) */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    windowStart: timestamp('window_start', { withTimezone: true }),
    windowEnd: timestamp('window_end', { withTimezone: true }),
    messageId: text('message_id'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('digest_sends_key').on(t.email, t.week)],
);

export const unsubscribes = pgTable('unsubscribes', {
  email: text('email').primaryKey(),
  createdAt: createdAt(),
});

/** Runs of the cycle, for the dashboard and for `run`'s summary. */
export const cycleRuns = pgTable('cycle_runs', {
  id: serial('id').primaryKey(),
  startedAt: timestamp('started_at', { withTimezone: true })
    .notNull()
    .default(sql`now()`),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  summary: jsonb('summary').$type<Record<string, unknown>>(),
});

/** Small installation-wide values (e.g. the secret that signs unsubscribe links), created on first use. */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: updatedAt(),
});

/**
 * A resolution set by an analyst from the dashboard. It wins over the record's own `resolution`
 * (config stays the source of the forecast; this records the verdict without editing YAML).
 */
export const resolutionOverrides = pgTable('resolution_overrides', {
  predictionId: text('prediction_id')
    .primaryKey()
    .references(() => predictions.id, { onDelete: 'cascade' }),
  /** open | true | false | ambiguous */
  status: text('status').notNull(),
  /** YYYY-MM-DD */
  date: text('date'),
  note: text('note'),
  updatedAt: updatedAt(),
});

/**
 * Admin logins. The session cookie is signed (packages/dashboard/src/auth.ts); this row is what makes it
 * revocable: logging out marks it, and a cookie whose row is revoked, expired or gone is no session,
 * in every dashboard process that shares the database.
 */
export const adminSessions = pgTable('admin_sessions', {
  /** sha256 of the cookie's random nonce (the nonce itself is never stored). */
  id: text('id').primaryKey(),
  createdAt: createdAt(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
});

/**
 * Each forecast's standing as the worker last computed it (a read model of the ledger, written when
 * judgments, overrides, resolutions or the forecast change; docs/standings.md). The dashboard and
 * the digest read these rows instead of recomputing every forecast from the whole ledger.
 * The JSON shapes are @signpost/ledger's `Standing` parts; this package only stores them.
 */
export const standings = pgTable('standings', {
  predictionId: text('prediction_id')
    .primaryKey()
    .references(() => predictions.id, { onDelete: 'cascade' }),
  /** The scorer version whose ledger this was computed from. */
  scorer: text('scorer').notNull(),
  /** The status shown first: the resolution when resolved, else the record's (holding, contested, …). */
  status: text('status').notNull(),
  /** The record: all evidence since publication, undecayed ({status, balance, weight, stories, counts, background}). */
  record: jsonb('record').$type<Record<string, unknown>>().notNull(),
  /** The momentum: recent evidence, decayed ({status, balance, weight}). */
  momentum: jsonb('momentum').$type<Record<string, unknown>>().notNull(),
  /** One point per ISO week over the forecast's life ({week, agree, disagree, discuss, balance, for, against}). */
  series: jsonb('series').$type<Record<string, unknown>[]>().notNull().default([]),
  /** Per signpost: {index, seen, contradicted, mentioned}. */
  signposts: jsonb('signposts').$type<Record<string, unknown>[]>().notNull().default([]),
  /** The newest counted article ({articleId, stance, title, url, publishedAt}) or null. */
  lastEvidence: jsonb('last_evidence').$type<Record<string, unknown>>(),
  /** The clock the standing was computed at (the momentum decays with it): the "as of" shown. */
  asOf: timestamp('as_of', { withTimezone: true }).notNull(),
  updatedAt: updatedAt(),
});

/**
 * Pairs waiting for the language model (issue #17): the built-in scorer's relevance picked them as
 * candidates; a cycle judges as many as its budget allows and leaves the rest here for later ones,
 * so a restart loses none. `queued` rows are work; `judged` rows have their judgment stored under
 * `scorer`; `fallback` rows got an unusable answer twice, and the built-in judgment stands.
 */
export const llmQueue = pgTable(
  'llm_queue',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    articleId: articleRef(),
    predictionId: predictionRef(),
    /** `llm:<model>@<prompt version>` */
    scorer: text('scorer').notNull(),
    /** The forecast's claim hash when queued: a reworded forecast is queued afresh. */
    claimHash: text('claim_hash').notNull(),
    /** The built-in scorer's relevance (the queue is worked most relevant and newest first). */
    relevance: real('relevance').notNull(),
    /** queued | judged | fallback */
    status: text('status').notNull().default('queued'),
    /** Times the endpoint failed to answer for this pair (it stays queued). */
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** Set while a worker is asking the model about this pair; another worker skips it until then. */
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('llm_queue_key').on(t.articleId, t.predictionId, t.scorer, t.claimHash),
    // The lease takes the newest articles first.
    index('llm_queue_work_idx').on(t.scorer, t.status, t.articleId),
  ],
);

/**
 * The model's answers by what it was shown: (claim key, article key, scorer), each key a sha256 of
 * the claim or article as the prompt lays it out. The same pair is never paid for twice, across
 * cycles, restarts, re-queued forecasts and the same story under two article ids.
 */
export const llmAnswers = pgTable(
  'llm_answers',
  {
    claimKey: text('claim_key').notNull(),
    articleKey: text('article_key').notNull(),
    scorer: text('scorer').notNull(),
    /** judged | invalid (the model failed the schema or quote check twice) */
    status: text('status').notNull(),
    stance: text('stance'),
    confidence: real('confidence'),
    evidence: jsonb('evidence').$type<string[]>().notNull().default([]),
    reason: text('reason'),
    promptTokens: integer('prompt_tokens').notNull().default(0),
    completionTokens: integer('completion_tokens').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.claimKey, t.articleKey, t.scorer] })],
);
