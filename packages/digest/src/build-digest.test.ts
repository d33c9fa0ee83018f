import { describe, expect, it } from 'vitest';
import {
  buildDigest,
  lastCompleteWeek,
  selectForSubscriber,
  summarizeDigest,
  weekWindow,
  type DigestInput,
  type DigestLedgerEntry,
} from './build-digest.ts';

const W = weekWindow('2026-W47');
let nextId = 1;
const entry = (
  predictionId: string,
  stance: DigestLedgerEntry['stance'],
  published: string,
  confidence = 0.9,
  text = `sentence ${nextId}`,
): DigestLedgerEntry => ({
  predictionId,
  articleId: nextId++,
  stance,
  confidence,
  publishedAt: new Date(published),
  titleKey: `story ${nextId}`,
  evidence: [
    { text: 'an unrelated first sentence', stance: 'discuss' },
    { text, stance },
  ],
});

function input(overrides: Partial<DigestInput> = {}): DigestInput {
  return {
    week: '2026-W47',
    window: W,
    forecasts: [
      { id: 'a', statement: 'A holds.', tags: ['x'] },
      { id: 'b', statement: 'B holds.', tags: ['y'] },
    ],
    ledger: [],
    articles: [],
    revisions: [],
    feeds: [],
    ...overrides,
  };
}

describe('weeks', () => {
  it('gives an ISO week’s window and the last complete week', () => {
    expect(W).toEqual({ start: new Date('2026-11-16T00:00:00Z'), end: new Date('2026-11-23T00:00:00Z') });
    expect(lastCompleteWeek(new Date('2026-11-23T08:00:00Z'))).toBe('2026-W47');
    expect(lastCompleteWeek(new Date('2026-11-22T23:59:59Z'))).toBe('2026-W46');
    expect(lastCompleteWeek(new Date('2027-01-04T00:00:00Z'))).toBe('2026-W53');
    expect(() => weekWindow('2026-47')).toThrow(/ledger: not an ISO week/);
  });
});

describe('buildDigest', () => {
  it('compares the standing at the window’s start and end and lists the window’s evidence, strongest first', () => {
    const ledger = [
      entry('a', 'agree', '2026-11-05T00:00:00Z'),
      entry('a', 'disagree', '2026-11-17T00:00:00Z', 0.6, 'weaker'),
      entry('a', 'disagree', '2026-11-18T00:00:00Z', 0.95, 'stronger'),
      entry('a', 'discuss', '2026-11-18T00:00:00Z'),
      entry('a', 'agree', '2026-11-23T00:00:00Z'), // next week: not in this digest
    ];
    const articles = ledger.map((e) => ({
      id: e.articleId,
      title: `T${e.articleId}`,
      url: `https://n.example/${e.articleId}`,
      publishedAt: e.publishedAt,
      feeds: ['F'],
    }));
    const digest = buildDigest(input({ ledger, articles }));
    const a = digest.forecasts.find((f) => f.id === 'a')!;
    expect(a.before.status).toBe('holding');
    expect(a.after.status).toBe('contested');
    expect(a.after.balance).toBeLessThan(a.before.balance);
    expect(a.undermining.map((e) => e.quote)).toEqual(['stronger', 'weaker']);
    expect(a.undermining[0]).toMatchObject({
      title: `T${ledger[2]!.articleId}`,
      url: `https://n.example/${ledger[2]!.articleId}`,
      feeds: ['F'],
    });
    expect(a.supporting).toEqual([]);
    expect(a.discussing).toBe(1);
    const summary = summarizeDigest(digest);
    expect(summary.statusChanges.map((f) => f.id)).toEqual(['a']);
    expect(summary.unchanged).toBe(false);
    expect(summary.articles).toBe(3); // the two undermining articles and the one that discussed it
  });

  it('finds movers above the threshold, biggest first, without repeating status changes', () => {
    const ledger = [
      entry('a', 'agree', '2026-11-10T00:00:00Z', 0.8),
      entry('a', 'agree', '2026-11-18T00:00:00Z', 0.9),
      entry('b', 'agree', '2026-11-10T00:00:00Z', 0.8),
      entry('b', 'agree', '2026-11-10T00:00:00Z', 0.8),
      entry('b', 'agree', '2026-11-18T00:00:00Z', 0.3),
    ];
    const summary = summarizeDigest(buildDigest(input({ ledger })));
    expect(summary.statusChanges).toEqual([]);
    const moves = summary.movers.map((f) => f.after.balance - f.before.balance);
    expect(summary.movers.map((f) => f.id)).toEqual(['a']);
    expect(moves[0]).toBeGreaterThan(0.05);
  });

  it('reports new forecasts, deadlines that fell due and resolutions made during the window', () => {
    const digest = buildDigest(
      input({
        forecasts: [
          { id: 'due', statement: 'Due.', deadline: '2026-11-18' },
          { id: 'later', statement: 'Later.', deadline: '2026-11-23' },
          { id: 'dated', statement: 'Resolved by date.', resolution: { status: 'true', date: '2026-11-20', note: 'it happened' } },
          { id: 'edited', statement: 'Resolved by an edit.', resolution: { status: 'false', date: '2026-01-01', note: 'it did not' } },
          { id: 'old', statement: 'Resolved long ago.', resolution: { status: 'false', date: '2025-01-01', note: 'no' } },
          { id: 'new', statement: 'New.' },
        ],
        revisions: [
          {
            predictionId: 'edited',
            change: 'added',
            changedAt: new Date('2026-01-01T00:00:00Z'),
            changedFields: [],
            record: { resolution: { status: 'open' } },
          },
          {
            predictionId: 'edited',
            change: 'changed',
            changedAt: new Date('2026-11-19T00:00:00Z'),
            changedFields: ['resolution'],
            record: { resolution: { status: 'false' } },
          },
          { predictionId: 'new', change: 'added', changedAt: new Date('2026-11-17T00:00:00Z'), changedFields: [], record: {} },
        ],
      }),
    );
    const summary = summarizeDigest(digest);
    expect(summary.fellDue.map((f) => f.id)).toEqual(['due']);
    expect(summary.resolved.map((f) => [f.id, f.resolved?.status])).toEqual([
      ['dated', 'true'],
      ['edited', 'false'],
    ]);
    expect(summary.newForecasts.map((f) => f.id)).toEqual(['new']);
    const dated = digest.forecasts.find((f) => f.id === 'dated')!;
    expect([dated.before.status, dated.after.status]).toEqual(['no-evidence', 'resolved-true']);
    expect(digest.forecasts.find((f) => f.id === 'old')!.before.status).toBe('resolved-false');
    // A resolution is a status change too, but a new forecast is reported as new, not as a change.
    expect(summary.statusChanges.map((f) => f.id)).toEqual(['dated', 'edited']);
  });

  it('lists failing feeds, those that broke during the window first', () => {
    const feed = (id: number, status: string, lastSuccessAt: string | null, active = true) => ({
      id,
      url: `https://f${id}.example/rss`,
      title: id === 3 ? null : `Feed ${id}`,
      active,
      status,
      lastError: `error ${id}`,
      lastErrorKind: 'http',
      errorCount: id,
      lastSuccessAt: lastSuccessAt ? new Date(lastSuccessAt) : null,
    });
    const digest = buildDigest(
      input({
        feeds: [
          feed(1, 'ok', '2026-11-20T00:00:00Z'),
          feed(2, 'error', '2026-10-01T00:00:00Z'),
          feed(3, 'error', '2026-11-19T00:00:00Z'),
          feed(4, 'error', null, false),
        ],
      }),
    );
    expect(digest.feedProblems.map((f) => [f.title, f.brokeInWindow])).toEqual([
      ['https://f3.example/rss', true],
      ['Feed 2', false],
    ]);
    expect(summarizeDigest(digest).unchanged).toBe(true);
  });

  it('narrows to what a subscriber follows, by id or tag', () => {
    const digest = buildDigest(input());
    expect(selectForSubscriber(digest, ['y']).forecasts.map((f) => f.id)).toEqual(['b']);
    expect(selectForSubscriber(digest, ['a', 'y']).forecasts.map((f) => f.id)).toEqual(['a', 'b']);
    expect(selectForSubscriber(digest, undefined).forecasts).toHaveLength(2);
    expect(selectForSubscriber(digest, ['nothing']).forecasts).toEqual([]);
  });
});
