import { describe, expect, it } from 'vitest';
import { analyzeText, WORD_CLASS, type Sentence } from './nlp.ts';

function polarityOf(sentence: Sentence, word: string): number | undefined {
  return sentence.tokens.find((t) => t.lower === word)?.polarity;
}

function one(text: string, claimMode = false): Sentence {
  const s = analyzeText(text, { claimMode });
  expect(s).toHaveLength(1);
  return s[0] as Sentence;
}

describe('analyzeText: negation and reversal scopes', () => {
  it('denies what follows "not" up to the object, and leaves the circumstances affirmed', () => {
    const s = one('China will not impose its own sanctions on Russia over the war.');
    expect(polarityOf(s, 'impose')).toBe(-1);
    expect(polarityOf(s, 'sanctions')).toBe(-1);
    expect(polarityOf(s, 'war')).toBe(1);
  });

  it('lets a determiner "no" deny its verb too ("imposed no sanctions")', () => {
    const s = one('China has imposed no sanctions on Russia.');
    expect(polarityOf(s, 'imposed')).toBe(-1);
    expect(polarityOf(s, 'sanctions')).toBe(-1);
  });

  it('lets a negated subject deny the predicate ("No state-owned bank will connect...", "None of...")', () => {
    const bank = one("No major Chinese state-owned bank will connect to Russia's SPFS messaging system before 2025.", true);
    expect(polarityOf(bank, 'connect')).toBe(-1);
    expect(polarityOf(bank, 'spfs')).toBe(-1);
    expect(polarityOf(bank, 'will')).toBe(1);
    expect(polarityOf(bank, '2025')).toBe(1);
    const none = one('None of the US, Japanese or Australian leaders will travel to India for a Quad summit.', true);
    expect(polarityOf(none, 'travel')).toBe(-1);
    expect(polarityOf(none, 'summit')).toBe(1);
    const neither = one("Neither Hou of the Kuomintang nor Ko of the People's Party will quit the race.", true);
    expect(polarityOf(neither, 'quit')).toBe(-1);
    // A reported non-event: the verb itself is denied.
    const attended = one('MOSCOW, May 9 — No leader from a NATO country attended the parade on Red Square.');
    expect(polarityOf(attended, 'attended')).toBe(-1);
    expect(polarityOf(attended, 'square')).toBe(1);
    // Not a subject: "no" after the verb keeps its own rule; an interjection starts no scope over the clause.
    expect(polarityOf(one('China has imposed no sanctions on Russia.'), 'imposed')).toBe(-1);
    expect(polarityOf(one('No, the ministry said, the talks will go on.'), 'talks')).toBe(1);
  });

  it('reverses the object of cancel, halt, stop... and the subject of a passive one', () => {
    const active = one('China cancels all military exercises with Russia.');
    expect(active.tokens.find((t) => t.lower === 'cancels')?.cls).toBe(WORD_CLASS.reversal);
    expect(polarityOf(active, 'exercises')).toBe(-1);
    const passive = one('The joint drills were cancelled after the talks.');
    expect(polarityOf(passive, 'drills')).toBe(-1);
    expect(polarityOf(passive, 'talks')).toBe(1);
    const gerund = one('Three Chinese banks stopped accepting payments from Russian banks.');
    expect(polarityOf(gerund, 'payments')).toBe(-1);
  });

  it('cancels a reversal that is itself negated ("did not cancel the drills")', () => {
    const s = one('Beijing did not cancel the drills.');
    expect(polarityOf(s, 'cancel')).toBe(-1);
    expect(polarityOf(s, 'drills')).toBe(1);
  });

  it('reads "fail to", "refuse to" and, in a forecast, "keep X from" as denials', () => {
    expect(polarityOf(one('North Korea failed to reach orbit.'), 'reach')).toBe(-1);
    expect(polarityOf(one('Beijing refused to join the sanctions.'), 'join')).toBe(-1);
    expect(polarityOf(one('Western sanctions will keep China from shielding Russia.', true), 'shielding')).toBe(-1);
    expect(polarityOf(one('Western sanctions will keep China from shielding Russia.', false), 'shielding')).toBe(1);
  });

  it('lets a suspended ban, or no ban, leave what it governed affirmed', () => {
    const suspended = one('China suspends its ban on gallium exports to the United States.');
    expect(polarityOf(suspended, 'exports')).toBe(1);
    expect(polarityOf(suspended, 'china')).toBe(1);
    expect(polarityOf(one('China bans gallium exports to the United States.'), 'exports')).toBe(-1);
    expect(polarityOf(one('There is no ban on imports of Russian coal.'), 'imports')).toBe(1);
  });

  it('reads "end" and "lose" with an object as reversals, and not the noun "end"', () => {
    expect(polarityOf(one('OPEC+ agreed to start ending the voluntary cuts.'), 'cuts')).toBe(-1);
    expect(polarityOf(one('The coalition lost its majority in the lower house.'), 'majority')).toBe(-1);
    expect(polarityOf(one('Trade will reach $100 billion by the end of 2025.'), 'trade')).toBe(1);
    expect(one('The coalition lost its majority in the lower house.').tokens.find((t) => t.lower === 'lower')?.cls).toBe(WORD_CLASS.none);
  });

  it('reverses the subject of a failure verb without an object ("the motion failed", "talks broke down")', () => {
    expect(polarityOf(one('An attempt to impeach the president failed on Saturday.'), 'impeach')).toBe(-1);
    expect(polarityOf(one('Talks on a ceasefire broke down on Tuesday.'), 'ceasefire')).toBe(-1);
    expect(polarityOf(one('Gaza truce talks collapse as both sides trade blame'), 'truce')).toBe(-1);
    expect(polarityOf(one('North Korea failed to reach orbit.'), 'north')).toBe(1);
  });

  it('ends a scope at a new clause', () => {
    const s = one('Beijing did not join the sanctions, but it cut imports of Russian coal.');
    expect(polarityOf(s, 'join')).toBe(-1);
    expect(polarityOf(s, 'imports')).toBe(-1);
    expect(polarityOf(s, 'coal')).toBe(-1);
    expect(s.tokens.find((t) => t.lower === 'cut')?.cls).toBe(WORD_CLASS.decrease);
  });

  it('knows words of increase and decrease, including record highs and lows', () => {
    const s = one('Trade fell to a record low while oil imports hit an all-time high.');
    expect(s.tokens.find((t) => t.lower === 'fell')?.cls).toBe(WORD_CLASS.decrease);
    expect(s.tokens.find((t) => t.lower === 'low')?.cls).toBe(WORD_CLASS.decrease);
    expect(s.tokens.find((t) => t.lower === 'high')?.cls).toBe(WORD_CLASS.increase);
  });

  it('tags the actors a name stands for', () => {
    const s = one('Beijing and the Kremlin met in Minsk with Lukashenko.');
    expect(s.tokens.find((t) => t.lower === 'beijing')?.actor).toBe('CN');
    expect(s.tokens.find((t) => t.lower === 'kremlin')?.actor).toBe('RU');
    expect(s.tokens.find((t) => t.lower === 'lukashenko')?.actor).toBe('BY');
  });
});

describe('analyzeText: quantities', () => {
  it('reads money with multipliers and the year it belongs to', () => {
    const s = one('Trade reached $240.1 billion in 2023, up 26.3%.');
    expect(s.quantities).toEqual([
      { value: 240.1e9, unit: 'usd', index: expect.any(Number), bound: 0, year: 2023 },
      { value: 26.3, unit: 'percent', index: expect.any(Number), bound: 0, year: 2023 },
    ]);
  });

  it('reads volumes in barrels a day, cubic metres and tonnes', () => {
    const s = one('Russia shipped 2.14 million barrels per day, gas flows hit 38 bcm and coal 107 million tonnes.');
    expect(s.quantities.map((q) => [q.value, q.unit])).toEqual([
      [2.14e6, 'bpd'],
      [38e9, 'm3'],
      [107e6, 'tonne'],
    ]);
  });

  it('reads shares in words and bounds', () => {
    const s = one('Chinese brands held more than half of sales, their share falling below 50% since 2023.');
    expect(s.quantities.map((q) => [q.value, q.unit, q.bound])).toEqual([
      [50, 'percent', 1],
      [50, 'percent', -1],
    ]);
    // "since 2023" is a starting point, not the figures' year.
    expect(s.quantities.every((q) => q.year === undefined)).toBe(true);
  });

  it('does not take the number in a name for a quantity', () => {
    expect(one('Talks on Power of Siberia 2 could resume.').quantities).toEqual([]);
  });
});
