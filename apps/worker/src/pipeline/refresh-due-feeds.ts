import { claimDueFeeds, releaseFeedLeases, type Db } from '@signpost/db';
import { createKeyedLimiter, hostKey } from '../feeds/schedule.ts';
import { refreshFeed, type RefreshOptions, type RefreshOutcome } from './refresh-feed.ts';

export interface FeedsSummary {
  fetched: number;
  notModified: number;
  failed: number;
  newArticles: number;
  duplicates: number;
  outcomes: RefreshOutcome[];
}

export interface RefreshDueOptions extends Omit<RefreshOptions, 'now'> {
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
  onFeed?(outcome: RefreshOutcome, done: number, total: number): void;
}

/**
 * Fetches every due feed this worker can lease, a few at a time and at most `perHost` per host.
 * One feed's failure is recorded on that feed and never stops the others.
 */
export async function refreshDueFeeds(db: Db, options: RefreshDueOptions): Promise<FeedsSummary> {
  const now = options.now ?? (() => new Date());
  const feeds = await claimDueFeeds(db, { owner: options.owner, now: now(), all: options.all });
  const summary: FeedsSummary = { fetched: 0, notModified: 0, failed: 0, newArticles: 0, duplicates: 0, outcomes: [] };
  const perHost = createKeyedLimiter(options.perHost ?? 2);
  const queue = [...feeds];
  const skipped: number[] = [];
  const worker = async () => {
    for (let feed = queue.shift(); feed; feed = queue.shift()) {
      if (options.signal?.aborted) {
        skipped.push(feed.id);
        continue;
      }
      const f = feed;
      const outcome = await perHost.run(hostKey(f.url), () => refreshFeed(db, f, { ...options, now: now() }));
      summary.outcomes.push(outcome);
      if (outcome.status === 'fetched') {
        summary.fetched++;
        summary.newArticles += outcome.new;
        summary.duplicates += outcome.duplicate;
      } else if (outcome.status === 'not-modified') summary.notModified++;
      else summary.failed++;
      options.onFeed?.(outcome, summary.outcomes.length, feeds.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 6, feeds.length)) }, worker));
  await releaseFeedLeases(db, options.owner, skipped);
  return summary;
}
