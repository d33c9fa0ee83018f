/** A small hand-built ledger for route tests: three forecasts, two feeds, a few judged articles. */
import { refreshStandings } from '@signpost/ledger';
import {
  listScoringClaims,
  storeFeedItems,
  storeScoringBatch,
  syncFeeds,
  syncPredictions,
  type ArticleInput,
  type Db,
  type JudgmentInput,
} from '@signpost/db';

export const NOW = new Date('2026-03-20T12:00:00Z');
export const SCORER = 'test-scorer@1';
export const HOSTILE_TITLE =
  '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2"> <svg/onload="window.__pwned=5"> javascript:alert(1)';
export const HOSTILE_URL = 'javascript:window.__pwned=3';

const base = {
  quote: 'So, no, China will not impose sanctions on Moscow.',
  publishedEstimated: false,
  source: '000_seed.txt',
  kind: 'binary',
  horizon: 'the foreseeable future',
  hedge: 'will not',
  probabilitySource: 'likelihood',
  keywords: ['China', 'Russia'],
  entities: [],
  related: [],
};

export const FORECASTS = [
  {
    ...base,
    id: 'no-sanctions',
    statement: 'China will not sanction Russia <b>ever</b>',
    authors: ['Andrew Latham'],
    outlet: 'The Hill',
    published: '2022-03-24',
    likelihood: 'almost certain',
    probability: 0.97,
    signposts: [
      { text: 'China announces sanctions on Russian firms', direction: 'fails' },
      { text: 'Beijing rejects calls to join sanctions', direction: 'holds' },
    ],
    resolution: { status: 'open' },
    contradicts: ['sanctions-bite'],
    tags: ['sanctions', 'diplomacy'],
  },
  {
    ...base,
    id: 'sanctions-bite',
    statement: 'Western sanctions will blunt how far China aligns with Russia',
    authors: ['Иван Петров'],
    outlet: '环球时报',
    published: '2022-05-01',
    likelihood: 'unlikely',
    probability: 0.3,
    signposts: [{ text: 'Chinese banks cut Russia off', direction: 'holds' }],
    deadline: '2025-12-31',
    resolution: { status: 'true', date: '2025-01-10', note: 'Chinese banks turned away payments' },
    contradicts: [],
    tags: ['sanctions', 'trade'],
  },
  {
    ...base,
    id: 'trade-200b',
    statement: 'Russia–China trade will reach $200 billion by 2024',
    authors: ['Someone Else'],
    outlet: 'The Diplomat',
    published: '2022-06-01',
    likelihood: 'likely',
    probability: 0.7,
    signposts: [{ text: 'Trade passes $200 billion', direction: 'holds' }],
    resolution: { status: 'open' },
    contradicts: [],
    tags: ['trade'],
  },
];

const day = 86400000;
const article = (n: number, daysAgo: number, title: string, url: string | null): ArticleInput => ({
  key: `fixture:${n}`,
  url,
  title,
  titleKey: `fixture title ${n}`,
  publishedAt: new Date(NOW.getTime() - daysAgo * day),
  summary: `Summary ${n}`,
  text: `Text ${n}`,
  language: 'en',
});

export async function buildFixture(db: Db) {
  await syncPredictions(
    db,
    FORECASTS.map((f) => ({ id: f.id, statement: f.statement, record: f as unknown as Record<string, unknown> })),
    new Date(NOW.getTime() - 400 * day),
  );
  const feeds = await syncFeeds(
    db,
    [
      { url: 'https://news.example/rss', title: 'Новости 新闻' },
      { url: 'https://wire.example/rss', title: 'Wire' },
    ],
    NOW,
  );
  const [news, wire] = [feeds.find((f) => f.url.startsWith('https://news'))!, feeds.find((f) => f.url.startsWith('https://wire'))!];
  const a = (
    await storeFeedItems(
      db,
      news.id,
      [
        article(1, 40, 'Beijing rejects calls to join sanctions on Russia', 'https://news.example/1'),
        article(2, 20, 'China and Russia sign new deals', 'https://news.example/2'),
        article(3, 10, 'Chinese banks said to weigh Russia curbs', 'https://news.example/3'),
        article(4, 3, HOSTILE_TITLE, HOSTILE_URL),
      ],
      { nextCheckAt: NOW },
      NOW,
    )
  ).newIds;
  const b = (
    await storeFeedItems(
      db,
      wire.id,
      [article(5, 5, 'Chinese banks turn away Russian payments', 'https://wire.example/5')],
      { nextCheckAt: NOW },
      NOW,
    )
  ).newIds;
  const ids = { a1: a[0]!, a2: a[1]!, a3: a[2]!, hostile: a[3]!, b5: b[0]! };
  const claims = await listScoringClaims(db, SCORER);
  const hash = new Map(claims.map((c) => [c.predictionId, c.claimHash]));
  const j = (articleId: number, predictionId: string, stance: string, confidence: number, text: string): JudgmentInput => ({
    articleId,
    predictionId,
    scorer: SCORER,
    claimHash: hash.get(predictionId)!,
    stance,
    relevance: 0.9,
    confidence,
    evidence: [{ text, stance }],
    signposts: stance === 'agree' ? [{ index: 1, stance: 'agree' }] : [{ index: 0, stance: 'agree' }],
  });
  await storeScoringBatch(
    db,
    {
      scorer: SCORER,
      judgments: [
        j(ids.a1, 'no-sanctions', 'agree', 0.9, 'Beijing firmly opposes unilateral sanctions.'),
        j(ids.a2, 'no-sanctions', 'agree', 0.8, 'The two sides signed twelve agreements.'),
        j(ids.a3, 'no-sanctions', 'disagree', 0.5, 'Banks are weighing <curbs> on Russian clients.'),
        j(ids.hostile, 'no-sanctions', 'agree', 0.7, '<script>window.__pwned = 4</script>'),
        j(ids.b5, 'sanctions-bite', 'agree', 0.9, 'Several banks stopped accepting payments from Russia.'),
      ],
      progress: claims.map((c) => ({ predictionId: c.predictionId, claimHash: c.claimHash, throughArticleId: ids.b5 })),
    },
    NOW,
  );
  // As the worker does after storing judgments: the pages read stored standings.
  await refreshStandings(db, { scorer: SCORER, now: NOW });
  return { ids, feeds: { news: news.id, wire: wire.id } };
}
