/**
 * A small, realistic database state for digest tests: four forecasts (one added during the digest
 * week, one falling due in it), two feeds (one breaking during the week), and judged articles in
 * Russian, Chinese and English before and during 2026-W47 (16–22 Nov 2026).
 */
import {
  listScoringClaims,
  recordFeedError,
  schema,
  storeScoringBatch,
  syncFeeds,
  syncPredictions,
  type Db,
  type JudgmentInput,
} from '@signpost/db';

export const TEST_SCORER = 'digest-test@1';
export const WEEK = '2026-W47';
export const PUBLIC_URL = 'https://signpost.example.org/base';

const at = (iso: string) => new Date(iso);

const forecast = (id: string, statement: string, extra: Record<string, unknown> = {}) => ({
  id,
  statement,
  record: {
    id,
    statement,
    quote: `${statement} (quote)`,
    authors: ['Test Author'],
    outlet: 'Test Outlet',
    published: '2022-03-01',
    tags: ['test'],
    resolution: { status: 'open' },
    ...extra,
  },
});

export const FORECASTS = [
  forecast('china-no-sanctions-on-russia', 'China will not impose sanctions on Russia.', { tags: ['sanctions', 'china'] }),
  forecast('trade-200b-by-2024', 'China–Russia bilateral trade will reach $200 billion by 2024.', { tags: ['economy'] }),
  forecast('no-formal-alliance', 'China and Russia will not form a formal military alliance by 18 November 2026.', {
    tags: ['military'],
    deadline: '2026-11-18',
  }),
];
export const NEW_FORECAST = forecast('energy-pipeline-deal', '«Сила Сибири 2» (西伯利亚力量2号) will be signed by 2030.', {
  tags: ['energy'],
});

export const TITLES = {
  ru: 'Китай не присоединится к санкциям против России',
  zh: '中俄贸易额创历史新高',
  en: 'Chinese banks cut off "Russian" clients & tighten <checks>',
  en2: 'Beijing signals it may follow EU sanctions on dual-use exports',
  old: 'Xi and Putin reaffirm partnership',
  trade: 'Trade turnover grows again',
};

export const QUOTES = {
  ru: 'МИД КНР заявил, что Пекин не будет вводить санкции против Москвы.',
  zh: '海关总署数据显示，中俄双边贸易额再创新高。',
  en: 'Two of China’s largest state banks stopped processing payments for Russian clients this week.',
  en2: 'Officials said Beijing could align with the EU’s export restrictions.',
};

/** Seeds the database; returns the article ids by key. */
export async function seedDigestData(db: Db): Promise<Record<string, number>> {
  await syncPredictions(db, FORECASTS, at('2026-10-26T09:00:00Z'));
  // The fourth forecast is added during the digest week.
  await syncPredictions(db, [...FORECASTS, NEW_FORECAST], at('2026-11-17T09:00:00Z'));
  const [tass, xinhua] = await syncFeeds(
    db,
    [
      { url: 'https://tass.example/rss', title: 'ТАСС' },
      { url: 'https://xinhua.example/rss', title: '新华网' },
    ],
    at('2026-10-26T09:00:00Z'),
  );
  const item = (key: string, title: string, published: string) => ({
    key,
    url: `https://news.example/${key}?a=1&b=2`,
    title,
    titleKey: key,
    publishedAt: at(published),
  });
  const ids: Record<string, number> = {};
  // Rows are written directly (not through the feed pipeline's storeFeedItems) so these tests
  // depend only on the schema.
  const store = async (feedId: number, items: ReturnType<typeof item>[], now: string) => {
    for (const it of items) {
      const [row] = await db
        .insert(schema.articles)
        .values({ ...it, fetchedAt: at(now), createdAt: at(now) })
        .returning({ id: schema.articles.id });
      ids[it.key] = row!.id;
      await db.insert(schema.articleSources).values({ articleId: row!.id, feedId, url: it.url, firstSeenAt: at(now) });
    }
  };
  await store(
    tass!.id,
    [item('old', TITLES.old, '2026-11-04T08:00:00Z'), item('trade', TITLES.trade, '2026-11-10T08:00:00Z')],
    '2026-11-10T09:00:00Z',
  );
  await store(
    tass!.id,
    [
      item('ru', TITLES.ru, '2026-11-17T08:00:00Z'),
      item('en', TITLES.en, '2026-11-18T08:00:00Z'),
      item('en2', TITLES.en2, '2026-11-19T08:00:00Z'),
    ],
    '2026-11-19T09:00:00Z',
  );
  await store(xinhua!.id, [item('zh', TITLES.zh, '2026-11-18T10:00:00Z')], '2026-11-18T11:00:00Z');
  await db.update(schema.feeds).set({ status: 'ok', lastFetchedAt: at('2026-11-18T11:00:00Z'), lastSuccessAt: at('2026-11-18T11:00:00Z') });
  // Xinhua's feed works on the 18th, then breaks.
  await recordFeedError(
    db,
    xinhua!.id,
    { kind: 'http', message: 'feeds: HTTP 503 Service Unavailable', nextCheckAt: at('2026-11-21T00:00:00Z') },
    at('2026-11-20T12:00:00Z'),
  );

  const claims = new Map((await listScoringClaims(db, TEST_SCORER)).map((c) => [c.predictionId, c.claimHash]));
  const judge = (key: string, predictionId: string, stance: string, confidence: number, text: string): JudgmentInput => ({
    articleId: ids[key]!,
    predictionId,
    scorer: TEST_SCORER,
    claimHash: claims.get(predictionId)!,
    stance,
    relevance: 0.9,
    confidence,
    evidence: text ? [{ text, stance }] : [],
  });
  await storeScoringBatch(db, {
    scorer: TEST_SCORER,
    judgments: [
      judge('old', 'china-no-sanctions-on-russia', 'agree', 0.9, 'Xi said the partnership has no limits.'),
      judge('trade', 'trade-200b-by-2024', 'agree', 0.8, 'Turnover rose 20 % year on year.'),
      judge('ru', 'china-no-sanctions-on-russia', 'agree', 0.7, QUOTES.ru),
      judge('en', 'china-no-sanctions-on-russia', 'disagree', 0.95, QUOTES.en),
      judge('en2', 'china-no-sanctions-on-russia', 'disagree', 0.9, QUOTES.en2),
      judge('zh', 'trade-200b-by-2024', 'agree', 0.9, QUOTES.zh),
    ],
    progress: [],
  });
  return ids;
}
