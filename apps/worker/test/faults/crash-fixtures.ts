// Fault-suite helper (crash-loop.test.ts): the config files of the crash loop's data dir.
// Used only by test/faults.
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';

/**
 * Five forecasts in the shape of data/predictions.yaml. They are narrow on the farm's synthetic
 * news (at most about 1 in 17 articles relate, some none), so the worker's per-batch cap never
 * drops a judgment and a clean re-score gives exactly the judgments the worker must have stored
 * (crash-checks.ts verifies that; a denser forecast such as sanctions-blunt-china-alignment fails it).
 * The loop rewords them (appending " (Revised wording N.)"), and under scorer 2.2.0 such words move
 * some claims' relatedness several-fold (issue #13); a new scorer may need a forecast narrowed again,
 * and the check names the one.
 */
export const CRASH_FORECASTS = [
  {
    // Narrower than the shipped china-undermines-russia-sanctions ("China will refuse to follow Western
    // sanctions on Russia and will help Russia work around them"), which scorer 2.2.0 relates to about
    // 1 in 7 of the farm's articles, too many for the exact gap check; this one stays at about 1 in 17.
    id: 'chinese-firms-supply-russia',
    statement: 'Chinese firms will keep supplying Russia with machine tools and microelectronics cut off by Western sanctions.',
    quote:
      'By not following – and perhaps offering Russia various workarounds – Chinese leaders are seeking to blunt what they perceive to be a US-designed effort.',
    author: 'Andrew Latham',
    outlet: 'The Hill',
    published: '2022-03-24',
    source: '000_cc776010734f0119.txt',
    kind: 'binary',
    horizon: 'for as long as Western sanctions on Russia last',
    hedge: 'perhaps',
    likelihood: 'roughly even chance',
    signposts: [
      { text: 'Chinese firms supply Russia with goods cut off by Western sanctions', direction: 'holds' },
      { text: 'Chinese banks halt payments for Russian clients to avoid secondary sanctions', direction: 'fails' },
    ],
    keywords: ['China', 'Russia', 'sanctions', 'evasion'],
    tags: ['sanctions'],
    resolution: { status: 'open' },
  },
  {
    id: 'joint-military-exercises-continue',
    statement: 'China and Russia will keep holding joint military exercises and joint patrols every year.',
    quote: 'Chinese troops traditionally join Russian military parades in Moscow, alongside joint military exercises.',
    author: 'John Ruehl',
    outlet: 'unknown',
    published: '2021-06-20',
    source: '003_bf261fb6437c4be2.txt',
    kind: 'trend',
    horizon: 'the coming years',
    hedge: 'traditionally',
    likelihood: 'likely',
    signposts: [
      { text: 'China and Russia hold joint naval exercise', direction: 'holds' },
      { text: 'China and Russia cancel joint military drills', direction: 'fails' },
    ],
    keywords: ['China', 'Russia', 'joint exercise', 'military drills'],
    tags: ['military'],
    resolution: { status: 'open' },
  },
  {
    id: 'russia-china-convergence-continues',
    statement:
      'Russia and China will keep converging in their opposition to the US-led world order, through trade, military cooperation and diplomatic support.',
    quote: 'There is little impetus or motivation to change this growing convergence of views.',
    author: 'John Ruehl',
    outlet: 'unknown',
    published: '2021-06-20',
    source: '003_bf261fb6437c4be2.txt',
    kind: 'trend',
    horizon: 'the coming years',
    hedge: 'little impetus or motivation to change',
    likelihood: 'likely',
    signposts: [
      { text: 'Russia and China sign new trade and military agreements', direction: 'holds' },
      { text: 'Russia and China take opposing sides in a UN vote', direction: 'fails' },
    ],
    keywords: ['Russia', 'China', 'world order', 'cooperation'],
    tags: ['diplomacy'],
    resolution: { status: 'open' },
  },
  {
    id: 'russia-china-trade-de-dollarises',
    statement:
      "Russia and China will keep cutting the US dollar's share of their bilateral trade settlements in favour of rubles and yuan.",
    quote: 'In 2019, Putin and Xi declared their intention to reduce the dominance of the US dollar in international trade.',
    author: 'John Ruehl',
    outlet: 'unknown',
    published: '2021-06-20',
    source: '003_bf261fb6437c4be2.txt',
    kind: 'trend',
    horizon: 'the coming years',
    hedge: 'declared their intention',
    likelihood: 'likely',
    signposts: [
      { text: 'Share of Russia–China trade settled in rubles and yuan rises', direction: 'holds' },
      { text: 'Russian and Chinese firms return to dollar settlements', direction: 'fails' },
    ],
    keywords: ['Russia', 'China', 'dollar', 'yuan', 'ruble'],
    tags: ['finance'],
    resolution: { status: 'open' },
  },
  {
    // A negated "no ... will" forecast. The fixture used to be "China will not impose its own
    // sanctions on Russia", but scorer 2.2.0 relates that one to about a fifth of the farm's
    // articles once the crash loop rewords it (issue #13: a claim's extra words move its
    // relatedness), too dense for the exact gap check; this one stays at about 1 in 18 however worded.
    id: 'chinese-banks-keep-russian-clients',
    statement: 'No large Chinese state bank will stop handling payments for Russian clients over US secondary sanctions.',
    quote: 'Chinese leaders are seeking to blunt what they perceive to be a US-designed effort.',
    author: 'Andrew Latham',
    outlet: 'The Hill',
    published: '2022-03-24',
    source: '000_cc776010734f0119.txt',
    kind: 'binary',
    horizon: 'for as long as Western sanctions on Russia last',
    hedge: 'will not',
    likelihood: 'roughly even chance',
    signposts: [{ text: 'A Chinese state bank stops accepting payments from sanctioned Russian banks', direction: 'fails' }],
    keywords: ['China', 'Russia', 'banks', 'secondary sanctions'],
    tags: ['sanctions'],
    resolution: { status: 'open' },
  },
] as const;

export type CrashForecast = (typeof CRASH_FORECASTS)[number];

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

/** The data dir's config: feeds, forecasts (some reworded) and a digest that is due now. */
export class CrashConfig {
  readonly feedUrls: string[] = [];
  /** Forecast id -> how many times it has been reworded. */
  readonly active = new Map<string, number>();

  constructor(
    readonly dataDir: string,
    readonly subscribers: string[],
  ) {}

  write(): void {
    fs.writeFileSync(
      path.join(this.dataDir, 'feeds.yaml'),
      stringify({ feeds: this.feedUrls.map((url, i) => ({ url, title: `News ${i}` })) }),
    );
    const predictions = CRASH_FORECASTS.filter((f) => this.active.has(f.id)).map((f) => {
      const revision = this.active.get(f.id)!;
      return { ...f, statement: revision ? `${f.statement} (Revised wording ${revision}.)` : f.statement };
    });
    fs.writeFileSync(path.join(this.dataDir, 'predictions.yaml'), stringify({ predictions }));
    // Due since midnight UTC today, whatever the day: the worker sends (or catches up) at once.
    const day = WEEKDAYS[new Date().getUTCDay()]!;
    fs.writeFileSync(
      path.join(this.dataDir, 'digest.yaml'),
      stringify({
        subscribers: this.subscribers.map((email, i) => ({ email, name: `Reader ${i + 1}` })),
        schedule: { day, hour: 0, timezone: 'UTC' },
        options: { skipWhenUnchanged: false, includeFeedHealth: true },
      }),
    );
  }
}
