import { describe, expect, it } from 'vitest';
import type { WeekPoint } from '@signpost/ledger';
import { STATUSES, type Momentum } from '@signpost/vocabulary';
import { pageHtml } from '../context.tsx';
import type { ForecastView } from '../forecasts.ts';
import { OverviewPage } from './overview.tsx';

/**
 * The overview's size is what its throughput depends on (docs/dashboard.md: autocannon reads the
 * page on the same two cores as the server), so it has a budget, checked on a fixed page: twenty
 * forecasts with real-length statements, titles and links and records that move week by week over
 * lives of three to six years. Deterministic: no clock, no database.
 */

/** A deterministic pseudo-random sequence (an LCG), so that the page is the same on every run. */
function numbers(seed: number) {
  let r = seed;
  return () => {
    r = (r * 1103515245 + 12345) % 2147483648;
    return r / 2147483648;
  };
}

function isoWeek(start: number, i: number): string {
  const year = 2021 + Math.floor((start + i) / 52);
  return `${year}-W${String(((start + i) % 52) + 1).padStart(2, '0')}`;
}

/** A record that moves in a third of the weeks: busier than most real ones, so that the budget holds for them. */
function lifeLongSeries(n: number, weeks: number): WeekPoint[] {
  const next = numbers(n + 1);
  let balance = 0;
  return Array.from({ length: weeks }, (_, i) => {
    const [agree, disagree, discuss] = next() < 0.33 ? [Math.floor(next() * 4), Math.floor(next() * 3), Math.floor(next() * 3)] : [0, 0, 0];
    balance = Math.max(-1, Math.min(1, balance + (agree - disagree) * 0.04 * next()));
    return { week: isoWeek(n, i), agree, disagree, discuss, balance: Math.round(balance * 1000) / 1000, for: agree, against: disagree };
  });
}

function sampleViews(count: number): ForecastView[] {
  const momenta: Momentum[] = ['supports', 'mixed', 'undermines', 'quiet'];
  return Array.from({ length: count }, (_, n) => {
    const series = lifeLongSeries(n, 150 + ((n * 37) % 160));
    const sum = (k: 'agree' | 'disagree' | 'discuss') => series.reduce((s, p) => s + p[k], 0);
    const last = series.at(-1)!;
    const id = `forecast-number-${n}-on-china-russia-relations`;
    return {
      id,
      statement: `Forecast ${n}: China and Russia will deepen their economic partnership, moving trade settlement into yuan and rubles, while avoiding a formal military alliance.`,
      state: 'active',
      record: {
        id,
        authors: ['Andrew Latham', 'Mikhail Polianskii'],
        outlet: 'Russian International Affairs Council',
        published: '2022-03-24',
        publishedEstimated: n % 2 === 0,
        probability: 0.675,
        likelihood: 'likely',
        tags: ['trade', 'alliance', `tag-${n % 5}`],
      },
      resolution: { status: 'open' } as ForecastView['resolution'],
      standing: {
        status: STATUSES[n % STATUSES.length]!,
        balance: last.balance,
        counts: { agree: sum('agree'), disagree: sum('disagree'), discuss: sum('discuss') },
        record: { status: 'holding', balance: last.balance, weight: { agree: 3, disagree: 1 }, stories: { agree: 12, disagree: 4 } },
        momentum: { status: momenta[n % 4]!, balance: -0.42, weight: { agree: 1, disagree: 1 } },
        background: { agree: n % 3, disagree: 0, discuss: 1 },
        series,
        signposts: [],
        asOf: new Date('2026-11-20T12:00:00Z'),
      } as ForecastView['standing'],
      movement: 0.125,
      lastEvidence: {
        articleId: 1000 + n,
        stance: 'disagree',
        title: `Beijing and Moscow sign a new agreement on energy, payments and transport corridors, officials say (${n})`,
        url: `https://www.example-news-site.com/world/asia/2026/11/19/china-russia-agreement-${n}`,
        publishedAt: new Date('2026-11-19T08:00:00Z'),
      },
      updatedAt: new Date('2026-11-20T12:00:00Z'),
    } as ForecastView;
  });
}

function renderOverview(views: readonly ForecastView[]): string {
  return pageHtml({
    title: 'Forecasts',
    body: <OverviewPage views={views} filters={{ sort: 'movement' }} />,
    admin: false,
    adminEnabled: false,
  });
}

describe('the overview page size', () => {
  const views = sampleViews(20);
  const html = renderOverview(views);
  const bytes = Buffer.byteLength(html);

  it('stays within its budget for twenty forecasts with life-long records', () => {
    // When the budget was set this page was 33,224 bytes; the markup before it was slimmed (issue
    // #15: a point per 3 px in each line, presentation attributes, tooltips and data attributes on
    // every card) made 47,232 bytes of it. The budget leaves about 8 % for additions.
    expect(bytes).toBeLessThanOrEqual(36_000);
    // Everything is still there: each forecast's statement, status, momentum, counts and line.
    for (const v of views) expect(html).toContain(`<a href="/predictions/${v.id}">`);
    expect(html.match(/<li class="forecast">/g)).toHaveLength(20);
    expect(html.match(/<svg class="sparkline"/g)).toHaveLength(20);
    expect(html.match(/class="badge status-/g)!.length).toBeGreaterThanOrEqual(20);
    expect(html.match(/class="momentum momentum-/g)).toHaveLength(20);
  });

  it('spends at most 1,200 bytes of markup (its line among them) on a forecast beyond its own words', () => {
    const cards = html.match(/<li class="forecast">.*?<\/li>/g)!;
    for (const [i, card] of cards.entries()) {
      const v = views.find((x) => card.includes(`/predictions/${x.id}"`))!;
      // The forecast's own text: statement, byline, last evidence's title and link, its id in the link.
      const own = [v.statement, ...(v.record.authors ?? []), v.record.outlet ?? '', v.lastEvidence!.title, v.lastEvidence!.url!, v.id];
      const markup = Buffer.byteLength(card) - own.reduce((s, t) => s + Buffer.byteLength(t), 0);
      // 979 to 1,115 bytes when the budget was set.
      expect(markup, `card ${i}`).toBeLessThanOrEqual(1_200);
    }
  });
});
