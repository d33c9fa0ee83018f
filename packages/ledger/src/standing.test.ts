import { describe, expect, it } from 'vitest';
import { isoWeek, isoWeekStart, isoWeeksBetween } from './iso-week.ts';
import { STANDING_RULES, balanceOf, computeStanding, recordAtWeek, weighEvidence, weighRecord, type Evidence } from './standing.ts';

const now = new Date('2026-03-04T12:00:00Z'); // Wednesday of 2026-W10
const daysAgo = (d: number) => new Date(now.getTime() - d * 86400000);
let id = 0;
const ev = (stance: Evidence['stance'], days: number, extra: Partial<Evidence> = {}): Evidence => ({
  articleId: ++id,
  stance,
  confidence: 1,
  publishedAt: daysAgo(days),
  titleKey: `story ${id}`,
  ...extra,
});

describe('ISO weeks', () => {
  it('follows ISO 8601 at year boundaries', () => {
    expect(isoWeek(new Date('2026-01-01T00:00:00Z'))).toBe('2026-W01'); // a Thursday
    expect(isoWeek(new Date('2027-01-01T00:00:00Z'))).toBe('2026-W53'); // 2026 has 53 weeks
    expect(isoWeek(new Date('2024-12-30T00:00:00Z'))).toBe('2025-W01');
    expect(isoWeekStart('2026-W10').toISOString()).toBe('2026-03-02T00:00:00.000Z');
    expect(() => isoWeekStart('2025-W53')).toThrow(/does not exist/);
    expect(isoWeeksBetween(new Date('2026-02-20T00:00:00Z'), now)).toEqual(['2026-W08', '2026-W09', '2026-W10']);
  });
});

describe('standing', () => {
  it('has no evidence and no series before anything is judged', () => {
    const s = computeStanding([], { now });
    expect(s).toMatchObject({
      status: 'no-evidence',
      balance: 0,
      counts: { agree: 0, disagree: 0, discuss: 0 },
      momentum: { status: 'quiet' },
    });
    expect(s.series).toEqual([{ week: '2026-W10', agree: 0, disagree: 0, discuss: 0, balance: 0, for: 0, against: 0 }]);
  });

  it('is holding when support outweighs opposition, under pressure the other way, contested between', () => {
    expect(computeStanding([ev('agree', 1), ev('agree', 2), ev('disagree', 3, { confidence: 0.2 })], { now }).status).toBe('holding');
    expect(computeStanding([ev('disagree', 1), ev('disagree', 2), ev('agree', 3, { confidence: 0.2 })], { now }).status).toBe(
      'under-pressure',
    );
    expect(computeStanding([ev('agree', 1), ev('disagree', 2)], { now }).status).toBe('contested');
    // Discussion alone is not evidence either way.
    expect(computeStanding([ev('discuss', 1), ev('discuss', 2)], { now }).status).toBe('no-evidence');
  });

  it('keeps the record undecayed while the momentum halves every half-life', () => {
    const one = computeStanding([ev('agree', 0)], { now });
    expect(one.balance).toBeCloseTo(1 / (1 + STANDING_RULES.prior), 3);
    const old = computeStanding([ev('agree', STANDING_RULES.halfLifeDays)], { now });
    expect(old.momentum.weight.agree).toBeCloseTo(0.5, 3);
    expect(old.record.weight.agree).toBe(1);
    expect(computeStanding([ev('agree', 0, { confidence: 0.4 })], { now }).status).toBe('no-evidence');
  });

  it('says a forecast with 1 supporting and 11 undermining old stories is under pressure, however quiet the news is now', () => {
    // The Northern Sea Route case: the decayed balance was −0.01 and read "no recent evidence".
    const entries = [ev('agree', 700), ...Array.from({ length: 11 }, (_, i) => ev('disagree', 400 + i * 20, { confidence: 0.8 }))];
    const s = computeStanding(entries, { now, published: '2024-01-01' });
    expect(s.status).toBe('under-pressure');
    expect(s.record.balance).toBeLessThan(-0.7);
    expect(s.momentum.status).toBe('quiet');
    expect(Math.abs(s.momentum.balance)).toBeLessThan(0.1);
    expect(s.series[0]!.week).toBe('2024-W01');
    expect(s.series.at(-1)!.balance).toBe(s.record.balance);
  });

  it('lists evidence published before the forecast as background and does not count it', () => {
    const published = '2025-03-01';
    const before = ev('agree', 0, { publishedAt: new Date('2022-06-01T00:00:00Z') });
    const dayBefore = ev('agree', 0, { publishedAt: new Date('2025-02-28T23:59:59Z') });
    const sameDay = ev('disagree', 0, { publishedAt: new Date('2025-03-01T08:00:00Z') });
    const s = computeStanding([before, dayBefore, sameDay], { now, published });
    expect(s.background).toEqual({ agree: 2, disagree: 0, discuss: 0 });
    expect(s.counts).toEqual({ agree: 0, disagree: 1, discuss: 0 });
    expect(s.record.weight).toEqual({ agree: 0, disagree: 1 });
    expect(s.series[0]!.week).toBe('2025-W09');
    expect(s.series.reduce((n, p) => n + p.agree, 0)).toBe(0);
  });

  it('counts many reports of one story once, at their strongest', () => {
    const story = { titleKey: 'china refuses western sanctions on russia' };
    const syndicated = [
      ev('agree', 1, { ...story, confidence: 0.6 }),
      ev('agree', 2, { ...story, confidence: 0.9 }),
      ev('agree', 3, story),
    ];
    const s = computeStanding(syndicated, { now });
    expect(s.counts.agree).toBe(3);
    expect(s.record.weight.agree).toBe(1);
    expect(s.record.stories.agree).toBe(1);
    // The strongest report (here the oldest, at full confidence) stands for the story in the momentum.
    expect(s.momentum.weight.agree).toBeCloseTo(0.5 ** (3 / STANDING_RULES.halfLifeDays), 3);
    // Same title more than a week apart is a new story.
    const twice = computeStanding([ev('agree', 1, story), ev('agree', 20, story)], { now });
    expect(twice.record.weight.agree).toBe(2);
    expect(twice.momentum.weight.agree).toBeGreaterThan(1.5);
    // The same title on the other side is another story.
    expect(computeStanding([ev('agree', 1, story), ev('disagree', 2, story)], { now }).record.weight).toEqual({ agree: 1, disagree: 1 });
  });

  it('weighs by confidence in the record', () => {
    const s = computeStanding([ev('agree', 10, { confidence: 0.5 }), ev('disagree', 10, { confidence: 0.25 })], { now });
    expect(s.record.weight).toEqual({ agree: 0.5, disagree: 0.25 });
    expect(s.record.balance).toBeCloseTo(0.25 / 1.75, 3);
  });

  it('builds the weekly series with the record as it stood at each week end', () => {
    const s = computeStanding([ev('disagree', 16), ev('agree', 9), ev('agree', 8), ev('discuss', 1)], { now });
    expect(s.series.map((p) => [p.week, p.agree, p.disagree, p.discuss, p.for, p.against])).toEqual([
      ['2026-W08', 0, 1, 0, 0, 1],
      ['2026-W09', 2, 0, 0, 2, 1],
      ['2026-W10', 0, 0, 1, 2, 1],
    ]);
    expect(s.series[0]!.balance).toBeLessThan(0);
    expect(s.series[1]!.balance).toBeCloseTo(1 / 4, 3);
    expect(recordAtWeek(s.series, '2026-W08')).toMatchObject({ status: 'under-pressure', for: 0, against: 1 });
    expect(recordAtWeek(s.series, '2026-W07').status).toBe('no-evidence');
    expect(recordAtWeek(s.series, '2026-W11').balance).toBe(s.balance);
  });

  it('reports resolved forecasts by their resolution, and tallies each signpost as seen, contradicted or mentioned', () => {
    const entries = [
      ev('agree', 1, { signposts: [{ index: 0, stance: 'agree' }] }),
      ev('disagree', 2, {
        signposts: [
          { index: 1, stance: 'agree' },
          { index: 0, stance: 'discuss' },
        ],
      }),
      ev('disagree', 3, { signposts: [{ index: 0, stance: 'disagree' }] }),
    ];
    const s = computeStanding(entries, { now, resolution: 'true' });
    expect(s.status).toBe('resolved-true');
    expect(s.record.status).toBe('under-pressure');
    expect(s.signposts).toEqual([
      { index: 0, seen: 1, contradicted: 1, mentioned: 1 },
      { index: 1, seen: 1, contradicted: 0, mentioned: 0 },
    ]);
  });
});

describe('the weight sweep', () => {
  /** The rules written out naively: every report decayed to `at`, stories grouped greedily in time order. */
  function naive(entries: Evidence[], at: Date, decay = true) {
    const stories: { key: string; stance: string; first: number; weight: number }[] = [];
    for (const e of [...entries].sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime())) {
      if ((e.stance !== 'agree' && e.stance !== 'disagree') || e.publishedAt > at) continue;
      const t = e.publishedAt.getTime();
      const w = e.confidence * (decay ? 0.5 ** ((at.getTime() - t) / 86400000 / STANDING_RULES.halfLifeDays) : 1);
      const open = [...stories].reverse().find((s) => s.key === e.titleKey && s.stance === e.stance);
      if (e.titleKey && open && t - open.first <= STANDING_RULES.sameStoryDays * 86400000) open.weight = Math.max(open.weight, w);
      else stories.push({ key: e.titleKey, stance: e.stance, first: t, weight: w });
    }
    const sum = (s: string) => stories.filter((x) => x.stance === s).reduce((a, x) => a + x.weight, 0);
    return { agree: sum('agree'), disagree: sum('disagree') };
  }

  it('gives the same weights and weekly balances as the rules written out naively', () => {
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const stances: Evidence['stance'][] = ['agree', 'disagree', 'discuss', 'agree', 'disagree'];
    const entries = Array.from({ length: 300 }, (_, i) =>
      ev(stances[i % 5]!, Math.floor(random() * 400), { confidence: 0.2 + 0.8 * random(), titleKey: `story ${Math.floor(random() * 40)}` }),
    );
    for (const days of [0, 30, 200, 399]) {
      const at = daysAgo(days);
      const fast = weighEvidence(entries, at);
      const slow = naive(entries, at);
      expect(fast.agree).toBeCloseTo(slow.agree, 9);
      expect(fast.disagree).toBeCloseTo(slow.disagree, 9);
    }
    const standing = computeStanding(entries, { now });
    expect(standing.momentum.balance).toBeCloseTo(balanceOf(naive(entries, now)), 3);
    // The record is the naive sum without decay, week by week.
    const undecayed = (at: Date) => naive(entries, at, false);
    expect(standing.record.weight.agree).toBeCloseTo(undecayed(now).agree, 3);
    expect(weighRecord(entries, now).disagree).toBeCloseTo(undecayed(now).disagree, 9);
    expect(standing.series.length).toBeGreaterThan(50);
  });
});
