import { Hono } from 'hono';
import { listFeedStates } from '@signpost/db';
import { STANCE_ADJECTIVES, STATUS_MEANINGS, type Status } from '@signpost/vocabulary';
import { Sparkline } from '../charts/sparkline.tsx';
import { cachedForecastViews, encodeBody, pageHtml, sendBytes, type DashboardContext, type DashboardEnv } from '../context.tsx';
import type { ForecastView } from '../forecasts.ts';
import {
  ExternalLink,
  MomentumNote,
  recordText,
  STATUS_ORDER,
  Stance,
  StatusBadge,
  formatDate,
  formatDateTime,
  percent,
  signed,
  statusLabel,
} from '../views/components.tsx';

export const SORTS = { movement: 'Recent movement', balance: 'Record', momentum: 'Momentum', newest: 'Newest forecast', id: 'Id' } as const;
export type SortKey = keyof typeof SORTS;

export interface OverviewFilters {
  tag?: string;
  status?: string;
  author?: string;
  sort: SortKey;
}

export function readFilters(query: Record<string, string | undefined>): OverviewFilters {
  const pick = (v: string | undefined) => (v && v.length <= 200 ? v : undefined);
  // Own keys only: `in` also finds "__proto__" and "constructor" (issue #14: /?sort=__proto__ was a 500).
  const sort = query.sort && Object.hasOwn(SORTS, query.sort) ? (query.sort as SortKey) : 'movement';
  return { tag: pick(query.tag), status: pick(query.status), author: pick(query.author), sort };
}

/** Filters and sorts forecast views as the overview's form asks. Pure. */
export function selectForecasts(views: readonly ForecastView[], f: OverviewFilters): ForecastView[] {
  const chosen = views.filter(
    (v) =>
      (!f.tag || (v.record.tags ?? []).includes(f.tag)) &&
      (!f.status || v.standing.status === f.status) &&
      (!f.author || (v.record.authors ?? []).includes(f.author)),
  );
  const by: Record<SortKey, (a: ForecastView, b: ForecastView) => number> = {
    movement: (a, b) =>
      Math.abs(b.movement) - Math.abs(a.movement) ||
      (b.lastEvidence?.publishedAt.getTime() ?? 0) - (a.lastEvidence?.publishedAt.getTime() ?? 0),
    balance: (a, b) => b.standing.balance - a.standing.balance,
    momentum: (a, b) => b.standing.momentum.balance - a.standing.momentum.balance,
    newest: (a, b) => (b.record.published ?? '').localeCompare(a.record.published ?? ''),
    id: () => 0,
  };
  return [...chosen].sort((a, b) => by[f.sort](a, b) || a.id.localeCompare(b.id));
}

/** Pairs of forecasts that contradict each other (either side may declare it), each pair once. */
export function contradictionPairs(views: readonly ForecastView[]): [ForecastView, ForecastView][] {
  const byId = new Map(views.map((v) => [v.id, v]));
  const seen = new Set<string>();
  const pairs: [ForecastView, ForecastView][] = [];
  for (const v of views) {
    for (const other of v.record.contradicts ?? []) {
      const w = byId.get(other);
      if (!w) continue;
      const key = [v.id, w.id].sort().join(' ');
      if (seen.has(key)) continue;
      seen.add(key);
      pairs.push(v.id < w.id ? [v, w] : [w, v]);
    }
  }
  return pairs;
}

function byline(v: ForecastView): string {
  const parts = [
    (v.record.authors ?? []).join(', '),
    v.record.outlet,
    v.record.published ? `${v.record.published}${v.record.publishedEstimated ? ' (est.)' : ''}` : undefined,
  ];
  return parts.filter(Boolean).join(' · ');
}

/**
 * One forecast on the overview. The page shows twenty or more of these and every byte is sent on
 * every view (the bench's throughput is set mostly by the page's size, docs/dashboard.md), so the
 * card leaves to the stylesheet what it can: layout and colours by position and element
 * (`.forecast .by`, `.counts>:nth-child(n)`, `small` for asides), the count symbols as generated
 * content, the statuses' meanings in the page's one legend rather than a tooltip on each badge.
 */
function ForecastCard(props: { v: ForecastView }) {
  const { v } = props;
  const { standing } = v;
  const { counts, background } = standing;
  const before = background.agree + background.disagree + background.discuss;
  return (
    <li class="forecast">
      <div>
        <h3>
          <a href={`/predictions/${encodeURIComponent(v.id)}`}>{v.statement}</a>
        </h3>
        <p class="by">{byline(v)}</p>
        <p class="facts">
          <span>
            Author’s probability <strong>{percent(v.record.probability)}</strong>
            {v.record.likelihood ? <small> ({v.record.likelihood})</small> : null}
          </span>
          <span class="counts">
            <span>
              {counts.agree} {STANCE_ADJECTIVES.agree}
            </span>{' '}
            <span>
              {counts.disagree} {STANCE_ADJECTIVES.disagree}
            </span>{' '}
            <span>
              {counts.discuss} {STANCE_ADJECTIVES.discuss}
            </span>
            {before ? <small> (+{before} before publication, not counted)</small> : null}
          </span>
          <span>
            Record <strong>{recordText(standing.record)}</strong>
            {standing.record.status === 'no-evidence' ? null : <small> ({signed(v.movement)} in 4 weeks)</small>}
          </span>
        </p>
      </div>
      <div class="side">
        <StatusBadge status={standing.status} explained={false} />
        <MomentumNote momentum={standing.momentum} />
        <Sparkline series={standing.series} />
      </div>
      <p class="last">
        {v.lastEvidence ? (
          <>
            Last evidence: <Stance stance={v.lastEvidence.stance} />{' '}
            <ExternalLink href={v.lastEvidence.url}>{v.lastEvidence.title || '(untitled)'}</ExternalLink> (
            {formatDate(v.lastEvidence.publishedAt)})
          </>
        ) : (
          'No evidence since publication yet.'
        )}
      </p>
    </li>
  );
}

/** What the statuses on the page mean and what the counts count: said once here, not on every card. */
function Legend(props: { statuses: readonly Status[] }) {
  return (
    <details class="legend">
      <summary>What the statuses and counts mean</summary>
      <dl>
        {props.statuses.map((s) => (
          <>
            <dt>
              <StatusBadge status={s} explained={false} />
            </dt>
            <dd>{STATUS_MEANINGS[s]}</dd>
          </>
        ))}
      </dl>
      <p>
        The counts are of articles since the forecast was published: {STANCE_ADJECTIVES.agree}, {STANCE_ADJECTIVES.disagree} and{' '}
        {STANCE_ADJECTIVES.discuss} it. The line is the record week by week over the forecast’s life (−1 undermined, +1 supported), the dot
        its latest value.
      </p>
    </details>
  );
}

/** When the standings were last computed (the newest "as of" among them). */
export function asOfOf(views: readonly ForecastView[]): Date | null {
  let latest: Date | null = null;
  for (const v of views) if (v.standing.asOf && (!latest || v.standing.asOf > latest)) latest = v.standing.asOf;
  return latest;
}

function Select(props: { name: string; label: string; value?: string; options: [string, string][] }) {
  return (
    <label>
      {props.label}
      <select name={props.name}>
        {props.options.map(([value, text]) => (
          // An option's value defaults to its text: tags and authors need not say it twice.
          <option
            value={value === text && value === value.trim().replace(/\s+/g, ' ') ? undefined : value}
            selected={value === (props.value ?? '')}
          >
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

/** What the overview needs to know of the feeds: how many there are and which are failing or paused. */
export interface FeedSummary {
  active: number;
  failing: { title: string; since: Date | null }[];
  paused: number;
}

export function summarizeFeeds(
  feeds: readonly {
    active: boolean;
    status: string;
    title: string | null;
    url: string;
    lastSuccessAt: Date | null;
    createdAt: Date;
    pausedAt: Date | null;
  }[],
): FeedSummary {
  const active = feeds.filter((f) => f.active);
  return {
    active: active.length,
    // Failing since its last success; a feed that never worked, since it was added.
    failing: active.filter((f) => f.status === 'error').map((f) => ({ title: f.title ?? f.url, since: f.lastSuccessAt ?? f.createdAt })),
    paused: active.filter((f) => f.pausedAt).length,
  };
}

/** A banner on the overview when feeds fail: when all of them do, no new evidence can arrive, and the page must say so. */
export function FeedBanner(props: { feeds: FeedSummary }) {
  const { active, failing, paused } = props.feeds;
  if (active === 0 || (failing.length === 0 && paused === 0)) return null;
  const since = failing.reduce<Date | null>((m, f) => (f.since && (!m || f.since < m) ? f.since : m), null);
  const sinceText = since ? ` since ${formatDateTime(since)}` : '';
  const pausedText = paused ? ` ${paused} ${paused === 1 ? 'feed is' : 'feeds are'} paused.` : '';
  return (
    <p class="banner" role="status">
      {failing.length === active ? (
        <>
          <strong>No feed can be fetched:</strong> all {active} {active === 1 ? 'feed is' : 'feeds are'} failing{sinceText}, so no new
          evidence is arriving.{pausedText}{' '}
        </>
      ) : failing.length ? (
        <>
          <strong>
            {failing.length} of {active} feeds {failing.length === 1 ? 'is' : 'are'} failing
          </strong>
          {sinceText}.{pausedText}{' '}
        </>
      ) : (
        <>{pausedText.trim()} </>
      )}
      <a href="/feeds">See feed health</a>
    </p>
  );
}

export function OverviewPage(props: { views: readonly ForecastView[]; filters: OverviewFilters; feeds?: FeedSummary }) {
  const { views, filters } = props;
  const chosen = selectForecasts(views, filters);
  const tags = [...new Set(views.flatMap((v) => v.record.tags ?? []))].sort();
  const authors = [...new Set(views.flatMap((v) => v.record.authors ?? []))].sort((a, b) => a.localeCompare(b));
  const statuses = STATUS_ORDER.filter((s) => views.some((v) => v.standing.status === s));
  const chosenIds = new Set(chosen.map((v) => v.id));
  const pairs = contradictionPairs(views).filter(([a, b]) => chosenIds.has(a.id) || chosenIds.has(b.id));
  const tally = (s: Status) => views.filter((v) => v.standing.status === s).length;
  return (
    <>
      <h1>Forecasts</h1>
      {props.feeds ? <FeedBanner feeds={props.feeds} /> : null}
      <p class="muted">
        {views.length} forecasts: {statuses.map((s) => `${tally(s)} ${statusLabel(s).toLowerCase()}`).join(', ')}. The status is each
        forecast's <em>record</em> (all evidence since it was published); beside it, the <em>momentum</em> (recent news).{' '}
        {asOfOf(views)
          ? `As of ${formatDateTime(asOfOf(views))} (the last cycle).`
          : 'Standings appear once the worker has run its first cycle.'}
      </p>
      {statuses.length > 0 ? <Legend statuses={statuses} /> : null}
      <form class="filters" method="get" action="/" role="search" aria-label="Filter forecasts">
        <Select name="tag" label="Tag" value={filters.tag} options={[['', 'All tags'], ...tags.map((t) => [t, t] as [string, string])]} />
        <Select
          name="status"
          label="Status"
          value={filters.status}
          options={[['', 'Any status'], ...statuses.map((s) => [s, statusLabel(s)] as [string, string])]}
        />
        <Select
          name="author"
          label="Author"
          value={filters.author}
          options={[['', 'All authors'], ...authors.map((a) => [a, a] as [string, string])]}
        />
        <Select name="sort" label="Sort by" value={filters.sort} options={Object.entries(SORTS) as [string, string][]} />
        <button type="submit">Apply</button>
        {filters.tag || filters.status || filters.author ? <a href="/">Clear filters</a> : null}
      </form>
      {views.length === 0 ? (
        <p class="empty">
          No forecasts yet. Add one to data/predictions.yaml and run <code>signpost check</code>.
        </p>
      ) : chosen.length === 0 ? (
        <p class="empty">No forecast matches these filters.</p>
      ) : (
        <ol class="forecasts" aria-label={`${chosen.length} forecasts`}>
          {chosen.map((v) => (
            <ForecastCard v={v} />
          ))}
        </ol>
      )}
      {pairs.length > 0 ? (
        <section aria-labelledby="contradictions">
          <h2 id="contradictions">Forecasts that contradict each other</h2>
          <div class="pairs">
            {pairs.map(([a, b]) => (
              <div class="pair">
                {[a, b].map((v) => (
                  <div>
                    <a href={`/predictions/${encodeURIComponent(v.id)}`}>{v.statement}</a>
                    <div class="muted small">{byline(v)}</div>
                    <StatusBadge status={v.standing.status} explained={false} />{' '}
                    <span class="small">record {recordText(v.standing.record)}</span>
                  </div>
                ))}
              </div>
            ))}
          </div>
        </section>
      ) : null}
    </>
  );
}

export function createOverviewRoutes(ctx: DashboardContext) {
  const app = new Hono<DashboardEnv>();
  app.get('/', async (c) => {
    const filters = readFilters(c.req.query());
    const admin = !!c.get('admin');
    const key = `overview:${admin}:${filters.tag ?? ''}\u0000${filters.status ?? ''}\u0000${filters.author ?? ''}\u0000${filters.sort}`;
    const html = await ctx.cache.get(key, async () =>
      encodeBody(
        pageHtml({
          title: 'Forecasts',
          body: (
            <OverviewPage views={await cachedForecastViews(ctx)} filters={filters} feeds={summarizeFeeds(await listFeedStates(ctx.db))} />
          ),
          admin,
          adminEnabled: ctx.auth.enabled,
        }),
      ),
    );
    return sendBytes(c, html, 'html');
  });
  return app;
}
