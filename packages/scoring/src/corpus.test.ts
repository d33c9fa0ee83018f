/**
 * Real-event cross pairs (datasets/real-events/cross-*.jsonl): an article against the forecasts written
 * for the set's other articles, unrelated unless a label says otherwise.
 */
import { describe, expect, it } from 'vitest';
import { CorpusError, parseRealEventCross, realEventPairs, type RealEvent } from './corpus.ts';

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
    expect(labelled.at(-1)?.forecast.statement).toBe('The pipeline contract will be signed by 2025.');
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
