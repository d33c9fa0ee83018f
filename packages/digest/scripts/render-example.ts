/**
 * Renders docs/digest-example.html and docs/digest-example.txt: the digest for 2025-W01 built from
 * the real forecasts in data/predictions.yaml and INVENTED example evidence (every article below
 * is made up for illustration, titled "[Example]", and links to example.org).
 *
 *   npx tsx packages/digest/scripts/render-example.ts [--out docs]
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPredictions } from '@signpost/config';
import { buildDigest, weekWindow, type DigestArticle, type DigestInput, type DigestLedgerEntry } from '../src/build-digest.ts';
import { renderDigest } from '../src/render-digest.tsx';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const WEEK = '2025-W01';
const PUBLIC_URL = 'https://signpost.example.org';

interface ExampleItem {
  forecast: string;
  stance: 'agree' | 'disagree' | 'discuss';
  confidence: number;
  published: string;
  title: string;
  feed: string;
  quote: string;
}

/** Invented evidence: a few weeks of background, then the example week. */
const ITEMS: ExampleItem[] = [
  // Background (before the week): establishes where each forecast stood.
  {
    forecast: 'china-no-sanctions-on-russia',
    stance: 'agree',
    confidence: 0.86,
    published: '2024-12-03T09:00:00Z',
    title: '[Example] Beijing again rules out joining sanctions on Moscow',
    feed: 'Example Wire',
    quote: 'The foreign ministry said China “has never joined and will not join” unilateral sanctions on Russia.',
  },
  {
    forecast: 'china-no-sanctions-on-russia',
    stance: 'agree',
    confidence: 0.74,
    published: '2024-12-17T09:00:00Z',
    title: '[Example] China and Russia sign payments agreement in yuan and roubles',
    feed: 'Example Wire',
    quote: 'Officials described the agreement as proof that bilateral trade will not bow to outside pressure.',
  },
  {
    forecast: 'sanctions-blunt-china-alignment',
    stance: 'discuss',
    confidence: 0.5,
    published: '2024-12-10T09:00:00Z',
    title: '[Example] Analysts split on how far Chinese banks will go',
    feed: 'Example Review',
    quote: '',
  },
  {
    forecast: 'joint-military-exercises-continue',
    stance: 'agree',
    confidence: 0.8,
    published: '2024-11-29T09:00:00Z',
    title: '[Example] Joint bomber patrol over the Sea of Japan',
    feed: 'Example Wire',
    quote: 'Russian and Chinese strategic bombers flew a joint patrol for the ninth time since 2019.',
  },
  // The example week, 30 Dec 2024 – 5 Jan 2025.
  {
    forecast: 'china-no-sanctions-on-russia',
    stance: 'disagree',
    confidence: 0.93,
    published: '2024-12-30T08:00:00Z',
    title: '[Example] Two large Chinese state banks stop accepting payments from Russian clients',
    feed: 'Example Financial Daily',
    quote: 'Both banks told Russian customers that transfers would be refused “in line with the bank’s sanctions compliance policy”.',
  },
  {
    forecast: 'china-no-sanctions-on-russia',
    stance: 'disagree',
    confidence: 0.88,
    published: '2025-01-02T08:00:00Z',
    title: '[Example] Beijing adds export licence rule for dual-use goods bound for Russia',
    feed: 'Example Wire',
    quote: 'The commerce ministry said exporters of listed dual-use items to Russia will need a licence from 1 February.',
  },
  {
    forecast: 'china-no-sanctions-on-russia',
    stance: 'agree',
    confidence: 0.62,
    published: '2025-01-03T08:00:00Z',
    title: '[Пример] МИД КНР: Пекин не присоединится к односторонним санкциям',
    feed: 'Пример Новости',
    quote:
      'Официальный представитель МИД КНР заявил, что Китай «не поддерживает односторонние санкции, не имеющие основы в международном праве».',
  },
  {
    forecast: 'sanctions-blunt-china-alignment',
    stance: 'agree',
    confidence: 0.9,
    published: '2024-12-30T08:00:00Z',
    title: '[Example] Two large Chinese state banks stop accepting payments from Russian clients',
    feed: 'Example Financial Daily',
    quote: 'Both banks told Russian customers that transfers would be refused “in line with the bank’s sanctions compliance policy”.',
  },
  {
    forecast: 'sanctions-blunt-china-alignment',
    stance: 'agree',
    confidence: 0.77,
    published: '2025-01-04T08:00:00Z',
    title: '[Example] Chinese exporters cut shipments of machine tools after US warning',
    feed: 'Example Review',
    quote:
      'Customs data show shipments of machine tools to Russia fell by a third in December after Washington warned of secondary sanctions.',
  },
  {
    forecast: 'joint-military-exercises-continue',
    stance: 'agree',
    confidence: 0.84,
    published: '2025-01-02T08:00:00Z',
    title: '[Пример] Флоты России и Китая проведут совместные учения «Морское взаимодействие»',
    feed: 'Пример Новости',
    quote: 'Министерство обороны России сообщило, что корабли двух стран проведут совместные учения в Японском море в январе.',
  },
  {
    forecast: 'russia-grows-dependent-on-china',
    stance: 'agree',
    confidence: 0.81,
    published: '2025-01-03T08:00:00Z',
    title: '[示例] 中国对俄汽车出口创历史新高',
    feed: '示例新闻',
    quote: '海关数据显示，2024年中国对俄罗斯汽车出口量同比增长超过百分之五十。',
  },
  {
    forecast: 'russia-grows-dependent-on-china',
    stance: 'discuss',
    confidence: 0.5,
    published: '2025-01-04T08:00:00Z',
    title: '[Example] What the yuan’s rise in Russia means',
    feed: 'Example Review',
    quote: '',
  },
];

export async function renderExample(): Promise<{ subject: string; html: string; text: string }> {
  const loaded = await loadPredictions(path.join(repo, 'data'));
  if (loaded.problems.length)
    throw new Error(`digest example: data/predictions.yaml has ${loaded.problems.length} problem(s); run signpost check`);
  const window = weekWindow(WEEK);
  const articles: DigestArticle[] = [];
  const ledger: DigestLedgerEntry[] = [];
  const idByTitle = new Map<string, number>();
  for (const item of ITEMS) {
    let id = idByTitle.get(item.title);
    if (id === undefined) {
      id = articles.length + 1;
      idByTitle.set(item.title, id);
      articles.push({
        id,
        title: item.title,
        url: `https://news.example.org/example-${id}`,
        publishedAt: new Date(item.published),
        feeds: [item.feed],
      });
    }
    ledger.push({
      predictionId: item.forecast,
      articleId: id,
      stance: item.stance,
      confidence: item.confidence,
      publishedAt: new Date(item.published),
      titleKey: item.title.toLowerCase(),
      evidence: item.quote ? [{ text: item.quote, stance: item.stance }] : [],
    });
  }
  const input: DigestInput = {
    week: WEEK,
    window,
    forecasts: loaded.predictions,
    ledger,
    articles,
    // As if sino-russian-bloc-not-inevitable had been added to predictions.yaml during the week.
    revisions: [
      {
        predictionId: 'sino-russian-bloc-not-inevitable',
        change: 'added',
        changedAt: new Date('2025-01-02T10:00:00Z'),
        changedFields: [],
        record: {},
      },
    ],
    feeds: [
      {
        id: 1,
        url: 'https://feeds.example.org/example-wire.xml',
        title: 'Example Wire',
        active: true,
        status: 'ok',
        lastError: null,
        lastErrorKind: null,
        errorCount: 0,
        lastSuccessAt: new Date('2025-01-05T20:00:00Z'),
      },
      {
        id: 2,
        url: 'https://feeds.example.org/example-review.rss',
        title: 'Example Review',
        active: true,
        status: 'error',
        lastError: 'feeds: HTTP 503 Service Unavailable',
        lastErrorKind: 'http',
        errorCount: 9,
        lastSuccessAt: new Date('2025-01-04T09:00:00Z'),
      },
    ],
  };
  return renderDigest(
    buildDigest(input),
    { email: 'reader@example.org', name: 'Example Reader' },
    {
      publicUrl: PUBLIC_URL,
      unsubscribeUrl: `${PUBLIC_URL}/unsubscribe?token=EXAMPLE-TOKEN`,
      banner:
        'Example digest: the forecasts are real (data/predictions.yaml); every article, quote and feed below is invented for illustration.',
    },
  );
}

const isMain = process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const outIndex = process.argv.indexOf('--out');
  const outDir = path.resolve(outIndex > 0 ? process.argv[outIndex + 1]! : path.join(repo, 'docs'));
  const example = await renderExample();
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'digest-example.html'), example.html);
  fs.writeFileSync(path.join(outDir, 'digest-example.txt'), `Subject: ${example.subject}\n\n${example.text}`);
  process.stdout.write(`wrote ${path.join(outDir, 'digest-example.html')} and .txt\nSubject: ${example.subject}\n`);
}
