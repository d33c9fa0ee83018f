/**
 * Real-event cross pairs (datasets/real-events/cross-*.jsonl): an article against the forecasts written
 * for the set's other articles, unrelated unless a label says otherwise.
 */
import { describe, expect, it } from 'vitest';
import { createScorer } from './scorer.ts';
import {
  CorpusError,
  forecastRecord,
  judgeCorpusPairs,
  parseRealEventCross,
  parseRealEventShipped,
  realEventPairs,
  shippedRealEventPairs,
  type Corpus,
  type CorpusArticle,
  type CorpusForecast,
  type CorpusPair,
  type RealEvent,
} from './corpus.ts';

const body = 'Body text.';
const events: RealEvent[] = [
  {
    id: 'a',
    article: { title: 'Pipeline deal signed', body },
    forecasts: [
      { want: 'confirming', shape: 'deadline', statement: 'The pipeline contract will be signed by 2025.' },
      { want: 'unrelated', shape: 'positive', statement: 'Grain exports will rise in 2024.' },
    ],
  },
  {
    id: 'b',
    article: { title: 'Gas flows rise', body },
    forecasts: [{ want: 'refuting', shape: 'trend', statement: 'Gas flows will fall in 2024.' }],
  },
];

describe('real-event cross pairs', () => {
  it('pair every article with every other article’s forecasts, unrelated unless labelled', () => {
    const cross = parseRealEventCross(
      'cross-dev.jsonl',
      '{"article":"b","forecast":"a#0","stance":"discuss","labeller":"first"}\n',
      events,
    );
    const all = realEventPairs(events, cross, 'all');
    expect(all.map((p) => `${p.event.id} ${p.ref} ${p.gold} ${p.own}`)).toEqual([
      'a a#0 agree true',
      'a a#1 unrelated true',
      'b b#0 disagree true',
      'a b#0 unrelated false',
      'b a#0 discuss false',
      'b a#1 unrelated false',
    ]);
    const labelled = realEventPairs(events, cross, 'labelled');
    expect(labelled.map((p) => `${p.event.id} ${p.ref} ${p.gold}`)).toEqual([
      'a a#0 agree',
      'a a#1 unrelated',
      'b b#0 disagree',
      'b a#0 discuss',
    ]);
    expect(labelled.at(-1)?.claim.statement).toBe('The pipeline contract will be signed by 2025.');
  });

  it('reject a line that names no pair of the set, the article’s own forecast, a bad stance or a pair twice', () => {
    const bad = (line: string, message: RegExp) =>
      expect(() => parseRealEventCross('cross-dev.jsonl', line + '\n', events)).toThrow(message);
    bad('{"article":"c","forecast":"a#0","stance":"agree","labeller":"first"}', /cross-dev.jsonl:1: unknown article "c"/);
    bad('{"article":"b","forecast":"a#5","stance":"agree","labeller":"first"}', /cross-dev.jsonl:1: unknown forecast "a#5"/);
    bad('{"article":"a","forecast":"a#1","stance":"agree","labeller":"first"}', /is the article's own forecast/);
    bad(
      '{"article":"b","forecast":"a#0","stance":"supports","labeller":"first"}',
      /stance must be one of agree, disagree, discuss, unrelated/,
    );
    expect(() =>
      parseRealEventCross(
        'cross-dev.jsonl',
        '{"article":"b","forecast":"a#0","stance":"agree","labeller":"first"}\n{"article":"b","forecast":"a#0","stance":"discuss","labeller":"first"}\n',
        events,
      ),
    ).toThrow(CorpusError);
  });
});

describe('real-event articles against the product’s own forecasts', () => {
  const shipped = [
    {
      id: 'pipeline',
      statement: 'China and Russia will build new gas routes.',
      signposts: [{ text: 'A new pipeline contract is signed', direction: 'holds' as const }],
      keywords: ['gas'],
    },
    { id: 'drills', statement: 'China and Russia will keep holding joint drills.' },
  ];
  const ids = new Set(shipped.map((f) => f.id));

  it('pair every labelled article with every forecast as a record, unrelated unless listed', () => {
    const labels = parseRealEventShipped(
      'shipped-dev.jsonl',
      '{"article":"b","labels":{},"labeller":"first"}\n{"article":"a","labels":{"pipeline":"agree"},"labeller":"first"}\n',
      events,
      ids,
    );
    const pairs = shippedRealEventPairs(events, labels, shipped);
    expect(pairs.map((p) => `${p.event.id} ${p.ref} ${p.gold} ${p.own}`)).toEqual([
      'b shipped:pipeline unrelated false',
      'b shipped:drills unrelated false',
      'a shipped:pipeline agree false',
      'a shipped:drills unrelated false',
    ]);
    expect(pairs[0]?.claim).toEqual({
      statement: 'China and Russia will build new gas routes.',
      signposts: [{ text: 'A new pipeline contract is signed', direction: 'holds' }],
      keywords: ['gas'],
    });
    expect(pairs[1]?.claim).toEqual({ statement: 'China and Russia will keep holding joint drills.' });
  });

  it('reject an unknown article or forecast, a bad stance, labels that are not an object, or an article twice', () => {
    const bad = (text: string, message: RegExp) =>
      expect(() => parseRealEventShipped('shipped-dev.jsonl', text, events, ids)).toThrow(message);
    bad('{"article":"c","labels":{}}', /shipped-dev.jsonl:1: unknown article "c"/);
    bad('{"article":"a","labels":{"tariffs":"agree"}}', /shipped-dev.jsonl:1: unknown forecast "tariffs"/);
    bad(
      '{"article":"a","labels":{"drills":"supports"}}',
      /shipped-dev.jsonl:1: "drills": stance must be one of agree, disagree, discuss, unrelated/,
    );
    bad('{"article":"a","labels":["drills"]}', /shipped-dev.jsonl:1: labels must be an object/);
    bad('{"article":"a","labels":{}}\n{"article":"a","labels":{}}', /shipped-dev.jsonl:2: article "a" is labelled twice/);
  });
});

describe('judging corpus pairs', () => {
  const forecast = (id: string, statement: string, signposts?: CorpusForecast['signposts']): CorpusForecast => ({
    id,
    statement,
    ...(signposts ? { signposts } : {}),
    split: 'dev',
    family: id,
    domain: 'trade',
    shape: 'positive',
    topic: 'trade',
    published: '2024-01-01',
    deadline: null,
  });
  const article = (id: string, title: string, text: string): CorpusArticle => ({
    id,
    title,
    body: text,
    published: '2024-06-01',
    outlet: 'Example',
    framing: 'western',
    source_url: 'https://example.org',
    kind: 'report',
    period: 'early',
  });
  const corpus: Corpus = {
    forecasts: new Map([
      [
        'f1',
        forecast('f1', 'China will buy more Russian oil in 2024.', [
          { text: 'Chinese imports of Russian crude rise', direction: 'holds' },
          { text: 'China cuts Russian crude purchases', direction: 'fails' },
        ]),
      ],
      ['f2', forecast('f2', 'Germany will restart its nuclear reactors.')],
    ]),
    articles: new Map([
      [
        'a1',
        article(
          'a1',
          'China cuts purchases of Russian crude',
          'Chinese refiners cut purchases of Russian crude by a fifth in June, customs data showed.',
        ),
      ],
      ['a2', article('a2', 'Berlin rules out nuclear return', 'The German government said the closed reactors will stay shut.')],
    ]),
    pairs: [],
  };
  const pair = (f: string, a: string): CorpusPair => ({ forecast: f, article: a, stance: 'unrelated', split: 'dev', source: 'test' });
  const pairs = [pair('f1', 'a1'), pair('f2', 'a1'), pair('f2', 'a2'), pair('f1', 'a2')];

  it('prepare each article once and judge each forecast as a record or from its statement alone', () => {
    const scorer = createScorer();
    const prepared: string[] = [];
    const counting = {
      prepareArticle: (a: Parameters<typeof scorer.prepareArticle>[0]) => (prepared.push(a.title ?? ''), scorer.prepareArticle(a)),
      score: scorer.score,
    };
    const records = judgeCorpusPairs(counting, corpus, pairs);
    expect(prepared).toEqual(['China cuts purchases of Russian crude', 'Berlin rules out nuclear return']);
    const statements = judgeCorpusPairs(scorer, corpus, pairs, 'statement');
    pairs.forEach((p, i) => {
      const f = corpus.forecasts.get(p.forecast)!;
      const a = scorer.prepareArticle(corpus.articles.get(p.article)!);
      expect(records[i], `${p.forecast} ${p.article}`).toEqual(scorer.score(forecastRecord(f), a, { claimKind: 'forecast' }));
      expect(statements[i], `${p.forecast} ${p.article}`).toEqual(scorer.score({ statement: f.statement }, a, { claimKind: 'forecast' }));
    });
    // The signposts count: f1 judged as a record differs from its statement alone on the article they name.
    expect(records[0]).not.toEqual(statements[0]);
  });

  it('reject a pair that names an unknown forecast or article', () => {
    expect(() => judgeCorpusPairs(createScorer(), corpus, [pair('f9', 'a1')])).toThrow(CorpusError);
    expect(() => judgeCorpusPairs(createScorer(), corpus, [pair('f1', 'a9')])).toThrow(/f1 \/ a9 names an unknown forecast or article/);
  });
});
