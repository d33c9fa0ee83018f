import { describe, expect, it } from 'vitest';
import { STATUSES, isResolved, statusLabel, statusWord, type Status } from '@signpost/vocabulary';
import { buildDigest, weekWindow, type DigestEvidence } from './build-digest.ts';
import { renderDigest } from './render-digest.tsx';
import { recordText, statusChangeSentence } from './sentences.ts';

const open = STATUSES.filter((s) => !isResolved(s));
const item = (n: number): DigestEvidence => ({
  articleId: n,
  title: `T${n}`,
  url: null,
  publishedAt: new Date(0),
  feeds: [],
  confidence: 0.8,
  quote: '',
  overridden: false,
  alsoFor: [],
});
const balances: Record<Status, number> = {
  holding: 0.4,
  contested: 0.05,
  'under-pressure': -0.4,
  'no-evidence': 0.29,
  'resolved-true': 0,
  'resolved-false': 0,
  ambiguous: 0,
};

describe('the digest’s sentence for every status transition', () => {
  for (const before of open) {
    for (const after of open) {
      for (const [supporting, undermining] of [
        [0, 0],
        [1, 0],
        [0, 2],
        [1, 1],
      ] as const) {
        it(`${before} → ${after} with ${supporting} supporting and ${undermining} undermining articles reads consistently`, () => {
          const f = {
            before: { status: before, balance: balances[before] },
            after: { status: after, balance: balances[after], counts: { agree: supporting, disagree: undermining, discuss: 0 } },
            supporting: Array.from({ length: supporting }, (_, i) => item(i)),
            undermining: Array.from({ length: undermining }, (_, i) => item(10 + i)),
            discussing: 0,
          };
          const { label, detail } = statusChangeSentence(f);
          const text = `${label} ${detail}`;
          if (before === after) {
            // "Still" only when nothing changed status, and it names that status.
            expect(detail.startsWith(`Still ${statusWord(after)}`)).toBe(true);
            expect(text).not.toContain('→ ' + statusLabel(after));
          } else {
            expect(label).toBe(`${statusLabel(before)} → ${statusLabel(after)}`);
            // Both statuses named, in order, in the dashboard's words.
            const was = detail.indexOf(statusWord(before));
            const now = detail.indexOf(statusWord(after), was + statusWord(before).length);
            expect(was).toBeGreaterThanOrEqual(0);
            expect(now).toBeGreaterThan(was);
            expect(detail).toMatch(/^(Was|Had) /);
            expect(text).not.toMatch(/\bstill\b/i);
          }
          // Never "no evidence yet" beside a balance: a status without enough evidence shows no number.
          const nowPart = detail.slice(detail.indexOf(before === after ? 'Still' : ', now') + 1);
          if (after === 'no-evidence') expect(nowPart).not.toMatch(/record [+−±]\d/);
          if (before === 'no-evidence') expect(detail).not.toMatch(/no evidence yet \(record/);
          if (before === 'no-evidence' && after === 'no-evidence') expect(detail).not.toMatch(/[+−±]\d/);
          // The evidence named is the evidence given.
          if (supporting + undermining === 0) expect(detail).toContain('no new evidence this week');
          if (supporting) expect(detail).toContain(`${supporting} supporting`);
          if (undermining) expect(detail).toContain(`${undermining} undermining`);
          expect(detail).not.toMatch(/\b0 (supporting|undermining)/);
        });
      }
    }
  }

  it('shows no balance for a forecast with too little evidence', () => {
    expect(recordText({ status: 'no-evidence', balance: 0.29 })).toBe('too little evidence to judge');
    expect(recordText({ status: 'holding', balance: 0.4 })).toBe('record +0.40');
  });
});

describe('an article that bears on several forecasts', () => {
  it('is shown with the other forecasts it counts for, in both parts', () => {
    const window = weekWindow('2026-W47');
    const at = new Date('2026-11-18T00:00:00Z');
    const e = (predictionId: string, stance: 'agree' | 'disagree') => ({
      predictionId,
      articleId: 7,
      stance,
      confidence: 0.9,
      publishedAt: at,
      titleKey: 'one story',
      evidence: [{ text: 'The one sentence.', stance }],
    });
    const digest = buildDigest({
      week: '2026-W47',
      window,
      forecasts: ['a', 'b', 'c', 'd'].map((id) => ({ id, statement: `Forecast ${id.toUpperCase()} holds.` })),
      ledger: [e('a', 'agree'), e('b', 'agree'), e('c', 'disagree'), e('d', 'agree')],
      articles: [{ id: 7, title: 'The only story', url: 'https://n.example/7', publishedAt: at, feeds: ['Wire'] }],
      revisions: [],
      feeds: [],
    });
    const a = digest.forecasts.find((f) => f.id === 'a')!;
    expect(a.supporting[0]!.alsoFor.map((x) => [x.id, x.stance])).toEqual([
      ['b', 'agree'],
      ['c', 'disagree'],
      ['d', 'agree'],
    ]);
    const out = renderDigest(digest, { email: 'x@example.org' }, { publicUrl: 'https://s.example' });
    expect(out.text).toContain(
      'The same article is also counted for “Forecast B holds.” (supports), “Forecast C holds.” (undermines), “Forecast D holds.” (supports).',
    );
    expect(out.html).toContain('The same article is also counted for');
    // Each judgment links to where an analyst can correct it.
    expect(out.text).toContain('Wrong? https://s.example/predictions/a#evidence-7');
    // Narrowed to one subscriber's forecasts, the note names only those.
    const mine = renderDigest(digest, { email: 'y@example.org', follow: ['a', 'c'] }, { publicUrl: 'https://s.example' });
    expect(mine.text).toContain('The same article is also counted for “Forecast C holds.” (undermines).');
  });
});
