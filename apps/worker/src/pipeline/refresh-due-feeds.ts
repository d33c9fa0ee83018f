import pLimit from 'p-limit';
import {
  claimDueFeeds,
  countRecentEntriesByFeed,
  listLeaseOwners,
  recordFeedsNotModified,
  releaseFeedLeases,
  releaseLeasesOf,
  type Db,
} from '@signpost/db';
import { createKeyedLimiter, hostKey } from '../feeds/schedule.ts';
import { isLeaseOwnerGone } from './leases.ts';
import { refreshFeed, WEEK_MS, type NotModifiedEntry, type RefreshOptions, type RefreshOutcome } from './refresh-feed.ts';

const NOT_MODIFIED_BATCH = 50;

export interface FeedsSummary {
  fetched: number;
  notModified: number;
  failed: number;
  newArticles: number;
  duplicates: number;
  /** Items the database refused, each left out of an otherwise stored feed (warnings on the feed). */
  skippedItems: number;
  outcomes: RefreshOutcome[];
  /** Feeds whose lease, left by a worker that died, was taken over. */
  reclaimed: number;
}

export interface RefreshDueOptions extends Omit<RefreshOptions, 'now' | 'lastWeekEntries' | 'deferNotModified'> {
  /** Identifies this worker in feed leases. */
  owner: string;
  /** Every active feed, due or not (`run --all`). */
  all?: boolean;
  now?: () => Date;
  /** Feeds fetched at once, in all. */
  concurrency?: number;
  /** Feeds fetched at once from one host. */
  perHost?: number;
  signal?: AbortSignal;
  /** Decides that a lease owner is dead (default: same host, no such pid; see leases.ts). */
  isLeaseOwnerGone?: (owner: string) => boolean;
  onFeed?(outcome: RefreshOutcome, done: number, total: number): void;
}

/**
 * Fetches every due feed this worker can lease, a few at a time and at most `perHost` per host.
 * One feed's failure is recorded on that feed and never stops the others. Leases left by a worker
 * that died on this machine (killed mid-cycle) are taken over at once rather than after they expire.
 */
export async function refreshDueFeeds(db: Db, options: RefreshDueOptions): Promise<FeedsSummary> {
  const now = options.now ?? (() => new Date());
  const gone = options.isLeaseOwnerGone ?? isLeaseOwnerGone;
  const deadOwners = (await listLeaseOwners(db, now())).filter((o) => o !== options.owner && gone(o));
  const reclaimed = await releaseLeasesOf(db, deadOwners);
  const started = now();
  const feeds = await claimDueFeeds(db, { owner: options.owner, now: started, all: options.all });
  // One query for the publishing rate of every claimed feed, instead of one per feed.
  const recent = await countRecentEntriesByFeed(
    db,
    feeds.filter((f) => f.lastSuccessAt).map((f) => f.id),
    new Date(started.getTime() - WEEK_MS),
  );
  const summary: FeedsSummary = {
    fetched: 0,
    notModified: 0,
    failed: 0,
    newArticles: 0,
    duplicates: 0,
    skippedItems: 0,
    outcomes: [],
    reclaimed,
  };
  const perHost = createKeyedLimiter(options.perHost ?? 2);
  // "Not modified" needs no transaction of its own: such results are written in batches. One lost
  // in a crash only means the feed is asked again (and answers 304 again).
  let unchanged: NotModifiedEntry[] = [];
  let flushing: Promise<void> = Promise.resolve();
  const flushUnchanged = () => {
    const batch = unchanged;
    unchanged = [];
    flushing = flushing.catch(() => {}).then(() => recordFeedsNotModified(db, batch));
    return flushing;
  };
  const deferNotModified = (entry: NotModifiedEntry) => {
    unchanged.push(entry);
    // A batch that fails to write leaves its feeds leased; they are asked again once the lease ends.
    if (unchanged.length >= NOT_MODIFIED_BATCH) void flushUnchanged().catch(() => {});
  };
  const skipped: number[] = [];
  const refreshOne = async (f: (typeof feeds)[number]) => {
    if (options.signal?.aborted) {
      skipped.push(f.id);
      return;
    }
    const outcome = await perHost.run(hostKey(f.url), () =>
      refreshFeed(db, f, { ...options, now: now(), lastWeekEntries: f.lastSuccessAt ? (recent.get(f.id) ?? 0) : null, deferNotModified }),
    );
    summary.outcomes.push(outcome);
    if (outcome.status === 'fetched') {
      summary.fetched++;
      summary.newArticles += outcome.new;
      summary.duplicates += outcome.duplicate;
      summary.skippedItems += outcome.skipped;
    } else if (outcome.status === 'not-modified') summary.notModified++;
    else summary.failed++;
    options.onFeed?.(outcome, summary.outcomes.length, feeds.length);
  };
  try {
    // Feeds in claim order, `concurrency` at a time (and `perHost` per site).
    const limit = pLimit(Math.max(1, options.concurrency ?? 6));
    await Promise.all(feeds.map((f) => limit(() => refreshOne(f))));
  } finally {
    await flushUnchanged();
  }
  await releaseFeedLeases(db, options.owner, skipped);
  return summary;
}
