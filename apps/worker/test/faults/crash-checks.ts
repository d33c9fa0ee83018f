// Fault-suite helper (crash-loop.test.ts): what "consistent" means after a kill, as SQL over the
// database plus what the test's own farm and SMTP server saw. Used only by test/faults.
import type { Db } from '@signpost/db';
import { capMatches, createScorer, SCORER_ID, type PreparedArticle } from '@signpost/scoring';
import { toScorableClaim } from '../../src/pipeline/score-articles.ts';
import type { AcceptedMessage } from './crash-smtp.ts';

/** Articles per scoring transaction in the worker (scorePendingArticles' default batch). */
const SCORE_BATCH = 200;

/** Runs one SQL text (the checks are plain SQL on purpose: they must not trust the app's queries). */
async function rows<T>(db: Db, query: string): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

export interface Figures {
  articles: number;
  /** Articles the dashboard had reported as stored just before the kill (all must have survived). */
  confirmed: number;
  feedsStored: number;
  judgments: number;
  /** Active forecasts whose watermark is below the newest article (a backfill is unfinished). */
  claimsBehind: number;
  /** Digest rows by status, e.g. {sent: 5, pending: 15}. */
  ledger: Record<string, number>;
  /** Messages the SMTP server accepted, and recipients who got two messages for one week. */
  emails: number;
  doubleEmails: number;
  /** Recipients who got the same Message-ID twice (the documented at-least-once case, docs/digest.md). */
  repeatedMessageIds: number;
  /** Digests the server accepted while the ledger says `sending` (the process died before recording it). */
  ambiguous: number;
}

export interface CheckResult {
  figures: Figures;
  violations: string[];
}

/** What a check needs to know besides the database. */
export interface CheckContext {
  /** Item links of every feed the farm serves, by feed URL. */
  farm: Map<string, string[]>;
  /** Messages the SMTP server accepted so far. */
  accepted: readonly AcceptedMessage[];
  subscribers: readonly string[];
  /** Article counts per feed URL that the dashboard reported before the kill (committed data). */
  committed: Map<string, number> | null;
  /** The final check, after a clean run to completion: everything must be complete too. */
  final: boolean;
}

/**
 * Checks one database state and carries what must never go backwards (stored articles, watermarks)
 * from one check to the next. Expected judgments come from scoring every article against every
 * claim in this process, without batches: a clean re-score.
 */
export function createConsistencyChecker() {
  const scorer = createScorer();
  const prepared = new Map<number, PreparedArticle>();
  const expected = new Map<string, Map<number, boolean>>();
  let previousKeys = new Set<string>();
  const previousWatermarks = new Map<string, number>();

  const related = (claim: ClaimRow, article: ArticleRow): boolean => {
    let byArticle = expected.get(claim.claim_hash);
    if (!byArticle) expected.set(claim.claim_hash, (byArticle = new Map()));
    const id = Number(article.id);
    let hit = byArticle.get(id);
    if (hit === undefined) {
      let p = prepared.get(id);
      if (!p) {
        p = scorer.prepareArticle({
          title: article.title,
          body: article.text ?? article.summary ?? '',
          published: new Date(article.published_at).toISOString().slice(0, 10),
        });
        prepared.set(id, p);
      }
      hit =
        scorer.score(toScorableClaim({ predictionId: claim.id, statement: claim.statement, record: claim.record }), p).stance !==
        'unrelated';
      byArticle.set(id, hit);
    }
    return hit;
  };

  return async function check(db: Db, context: CheckContext): Promise<CheckResult> {
    const violations: string[] = [];
    const add = (v: string) => violations.push(v);

    // --- articles: no duplicates, every feed stored whole or not at all, nothing lost ---
    const articles = await rows<ArticleRow>(db, `select id, key, url, title, summary, text, published_at from articles order by id`);
    const dupKeys = await rows<{ key: string; n: number }>(
      db,
      `select key, count(*)::int as n from articles group by key having count(*) > 1`,
    );
    const dupUrls = await rows<{ url: string; n: number }>(
      db,
      `select url, count(*)::int as n from articles group by url having count(*) > 1`,
    );
    for (const d of dupKeys) add(`duplicate article key ${d.key} (${d.n} rows)`);
    for (const d of dupUrls) add(`duplicate article url ${d.url} (${d.n} rows)`);
    const perFeed = await rows<{ url: string; n: number }>(
      db,
      `select f.url, count(s.article_id)::int as n from feeds f left join article_sources s on s.feed_id = f.id group by f.url`,
    );
    const links = new Set([...context.farm.values()].flat());
    for (const a of articles) if (!links.has(a.url ?? '')) add(`article ${a.id} has a URL the farm never published: ${a.url}`);
    let feedsStored = 0;
    for (const f of perFeed) {
      const items = context.farm.get(f.url)?.length ?? 0;
      if (f.n === items && items > 0) feedsStored++;
      else if (f.n !== 0) add(`feed ${f.url}: ${f.n} of its ${items} items stored (a feed is stored in one transaction: all or none)`);
      const committed = context.committed?.get(f.url) ?? 0;
      if (f.n < committed)
        add(
          `feed ${f.url}: the dashboard showed ${committed} articles before the kill, the database holds ${f.n} (a committed write was lost)`,
        );
    }
    const keys = new Set(articles.map((a) => a.key));
    const lost = [...previousKeys].filter((k) => !keys.has(k));
    if (lost.length) add(`${lost.length} articles stored before this run are gone (e.g. ${lost[0]})`);
    previousKeys = keys;
    if (context.final) {
      const urls = new Set(articles.map((a) => a.url));
      const missing = [...links].filter((l) => !urls.has(l));
      if (missing.length) add(`final: ${missing.length} farm items never stored (e.g. ${missing[0]})`);
      const sources = await rows<{ n: number }>(db, `select count(*)::int as n from article_sources`);
      if (sources[0]!.n !== links.size) add(`final: ${sources[0]!.n} article sources for ${links.size} farm items`);
    }

    // --- judgments: unique, none beyond the watermark, none missing below it (clean re-score) ---
    const dupJudgments = await rows<{ article_id: number; prediction_id: string; n: number }>(
      db,
      `select article_id, prediction_id, count(*)::int as n from judgments group by article_id, prediction_id, scorer, claim_hash having count(*) > 1`,
    );
    for (const d of dupJudgments) add(`duplicate judgment: article ${d.article_id}, forecast ${d.prediction_id} (${d.n} rows)`);
    const claims = await rows<ClaimRow & { through: string | number | null }>(
      db,
      `select p.id, p.statement, p.record, p.claim_hash, sp.through_article_id as through
          from predictions p
          left join scoring_progress sp on sp.prediction_id = p.id and sp.scorer = ${literal(SCORER_ID)} and sp.claim_hash = p.claim_hash
          where p.state = 'active' order by p.id`,
    );
    const stored = await rows<{ article_id: string | number; prediction_id: string; claim_hash: string }>(
      db,
      `select article_id, prediction_id, claim_hash from judgments where scorer = ${literal(SCORER_ID)}`,
    );
    const maxId = articles.length ? Number(articles[articles.length - 1]!.id) : 0;
    let claimsBehind = 0;
    for (const claim of claims) {
      const through = Number(claim.through ?? 0);
      const key = `${claim.id} ${claim.claim_hash}`;
      if (through < (previousWatermarks.get(key) ?? 0))
        add(`forecast ${claim.id}: watermark went back from ${previousWatermarks.get(key)} to ${through}`);
      previousWatermarks.set(key, through);
      if (through < maxId) claimsBehind++;
      if (context.final && through !== maxId) add(`final: forecast ${claim.id} judged through article ${through} of ${maxId}`);
      const have = new Set(
        stored.filter((s) => s.prediction_id === claim.id && s.claim_hash === claim.claim_hash).map((s) => Number(s.article_id)),
      );
      for (const id of have) if (id > through) add(`forecast ${claim.id}: judgment for article ${id} beyond the watermark ${through}`);
      const covered = articles.filter((a) => Number(a.id) <= through);
      const hits = covered.map((a) => related(claim, a));
      covered.forEach((a, i) => {
        const id = Number(a.id);
        if (hits[i] && !have.has(id))
          add(`forecast ${claim.id}: article ${id} is below the watermark ${through} but has no judgment (a gap)`);
        if (!hits[i] && have.has(id)) add(`forecast ${claim.id}: article ${id} has a judgment a clean re-score does not give`);
      });
      const capped = firstCappedWindow(hits);
      if (capped)
        add(
          `fixture: forecast ${claim.id} relates to ${capped} — the per-batch cap could drop judgments, so the gap check would not be exact; choose a narrower forecast`,
        );
    }

    // --- digest: one e-mail per subscriber and week, the ledger agrees with the server ---
    const ledger = await rows<{ email: string; week: string; status: string; message_id: string | null; attempts: number }>(
      db,
      `select email, week, status, message_id, attempts from digest_sends order by email, week`,
    );
    const ledgerKeys = new Set<string>();
    for (const row of ledger) {
      const key = `${row.email} ${row.week}`;
      if (ledgerKeys.has(key)) add(`digest ledger: two rows for ${key}`);
      ledgerKeys.add(key);
    }
    const byRecipient = new Map<string, AcceptedMessage[]>();
    for (const m of context.accepted) {
      for (const to of m.to) {
        const key = `${to} ${m.week}`;
        byRecipient.set(key, [...(byRecipient.get(key) ?? []), m]);
      }
    }
    let doubleEmails = 0;
    let repeatedMessageIds = 0;
    for (const [key, messages] of byRecipient) {
      const ids = new Set(messages.map((m) => m.messageId));
      if (ids.size > 1) {
        doubleEmails++;
        add(`double e-mail: ${key} received ${ids.size} different digests`);
      } else if (messages.length > 1) repeatedMessageIds++;
    }
    let ambiguous = 0;
    for (const [key, messages] of byRecipient) {
      const row = ledger.find((r) => `${r.email} ${r.week}` === key);
      if (row?.status === 'sending') ambiguous++;
      else if (row?.status !== 'sent')
        add(`digest: the server accepted ${key} but the ledger says ${row?.status ?? 'nothing'}: it would be sent again`);
      else if (row.message_id !== messages[0]!.messageId)
        add(`digest: ${key} was accepted as ${messages[0]!.messageId} but the ledger records ${row.message_id}`);
    }
    for (const row of ledger) {
      if (row.status === 'sent' && !byRecipient.has(`${row.email} ${row.week}`))
        add(`digest: the ledger says ${row.email} ${row.week} was sent, the server never accepted it (a lost e-mail)`);
    }
    if (context.final) {
      const weeks = new Set(ledger.map((r) => r.week));
      if (weeks.size !== 1) add(`final: digest rows for ${weeks.size} weeks, expected 1`);
      for (const email of context.subscribers) {
        for (const week of weeks) {
          const got = new Set((byRecipient.get(`${email} ${week}`) ?? []).map((m) => m.messageId)).size;
          if (got !== 1) add(`final: ${email} received ${got} digests for ${week}, expected exactly 1`);
        }
      }
    }

    const statuses: Record<string, number> = {};
    for (const row of ledger) statuses[row.status] = (statuses[row.status] ?? 0) + 1;
    return {
      figures: {
        articles: articles.length,
        confirmed: [...(context.committed?.values() ?? [])].reduce((sum, n) => sum + n, 0),
        feedsStored,
        judgments: stored.length,
        claimsBehind,
        ledger: statuses,
        emails: context.accepted.length,
        doubleEmails,
        repeatedMessageIds,
        ambiguous,
      },
      violations,
    };
  };
}

interface ArticleRow {
  id: string | number;
  key: string;
  url: string | null;
  title: string;
  summary: string | null;
  text: string | null;
  published_at: string | Date;
}

interface ClaimRow {
  id: string;
  statement: string;
  record: Record<string, unknown>;
  claim_hash: string;
}

/**
 * The worker caps how many of one batch's articles a forecast may claim (capMatches). Judgments
 * dropped by the cap would look like gaps, so the fixture's forecasts must be narrow enough that no
 * run of up to SCORE_BATCH consecutive articles (any batch the worker could have formed) exceeds
 * the cap. Returns a description of the first window that would, or null.
 */
function firstCappedWindow(hits: boolean[]): string | null {
  const prefix = [0];
  for (const h of hits) prefix.push(prefix[prefix.length - 1]! + (h ? 1 : 0));
  for (let start = 0; start < hits.length; start++) {
    const longest = Math.min(SCORE_BATCH, hits.length - start);
    if (prefix[start + longest]! - prefix[start]! <= smallestBindingCap()) continue;
    for (let n = 1; n <= longest; n++) {
      const r = prefix[start + n]! - prefix[start]!;
      if (r > capLimit(n)) return `${r} of ${n} consecutive articles (from the ${start + 1}th)`;
    }
  }
  return null;
}

/** The fewest related judgments the cap can ever cut down to (below it, no window needs a look). */
function smallestBindingCap(): number {
  if (bindingCap === undefined) {
    bindingCap = Infinity;
    for (let n = 1; n <= SCORE_BATCH; n++) if (capLimit(n) < n) bindingCap = Math.min(bindingCap, capLimit(n));
  }
  return bindingCap;
}
let bindingCap: number | undefined;

const capLimits = new Map<number, number>();
/** How many related judgments capMatches keeps in a batch of n judgments (asked of cap.ts itself). */
function capLimit(n: number): number {
  let limit = capLimits.get(n);
  if (limit === undefined) {
    const all = Array.from({ length: n }, () => ({
      stance: 'agree' as const,
      relevance: 1,
      confidence: 1,
      evidence: [],
      scorer: SCORER_ID,
    }));
    limit = capMatches(all).filter((j) => j.stance !== 'unrelated').length;
    capLimits.set(n, limit);
  }
  return limit;
}
