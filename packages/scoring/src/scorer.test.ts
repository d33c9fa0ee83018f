import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readJsonl } from '../scripts/datasets.ts';
import type { ScorerWeights } from './model.ts';
import { articleParts, createScorer, DIRECTION_CHECK, LONG_ARTICLE_WORDS, SCORER_ID, SYMMETRY_FLOOR } from './scorer.ts';
import type { ScorableArticle, ScorableClaim } from './types.ts';
import weights from './weights/model.json' with { type: 'json' };

const scorer = createScorer();

/** A forecast or an article of the committed forecast-stance corpus, by id. */
const corpusDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../datasets/forecast-stance');
function find<T extends { id: string }>(file: string, id: string): T {
  const found = readJsonl<T>(path.join(corpusDir, file)).find((x) => x.id === id);
  if (!found) throw new Error(`${file} has no ${id}`);
  return found;
}

const sanctionsArticle = {
  title: 'China says it will not join Western sanctions against Russia',
  body:
    'Beijing on Tuesday rejected calls to join sanctions on Russia over the war in Ukraine. ' +
    'Foreign ministry spokesman Wang Wenbin said China opposes unilateral sanctions and will keep normal trade with Russia. ' +
    'Chinese banks continue to process payments for Russian companies, officials said. ' +
    'Analysts said the decision shows how far Beijing is willing to go to support Moscow.',
};

const unrelatedArticle = {
  title: 'Heavy rain floods streets in Lisbon',
  body:
    'Torrential rain flooded streets in central Lisbon on Monday, forcing the closure of several metro stations. ' +
    'The weather service issued a red warning for the coast. Firefighters rescued dozens of drivers.',
};

describe('createScorer', () => {
  it('records the scorer name and version in every judgment', () => {
    const j = scorer.score({ statement: 'China will not sanction Russia' }, sanctionsArticle);
    expect(j.scorer).toBe(SCORER_ID);
    expect(scorer.id).toBe(SCORER_ID);
    expect(SCORER_ID).toMatch(/^signpost-stance-gbdt@\d+\.\d+\.\d+$/);
  });

  it('finds a related article and quotes one to three of its sentences with a stance', () => {
    const j = scorer.score({ statement: 'China will not impose sanctions on Russia' }, sanctionsArticle);
    expect(j.stance).not.toBe('unrelated');
    expect(j.relevance).toBeGreaterThan(0.5);
    expect(j.evidence.length).toBeGreaterThanOrEqual(1);
    expect(j.evidence.length).toBeLessThanOrEqual(3);
    for (const e of j.evidence) {
      expect(`${sanctionsArticle.title}. ${sanctionsArticle.body}`).toContain(e.text);
      expect(['agree', 'disagree', 'discuss']).toContain(e.stance);
    }
    expect(j.confidence).toBeGreaterThan(0);
    expect(j.confidence).toBeLessThanOrEqual(1);
  });

  it('calls an off-topic article unrelated with no evidence', () => {
    const j = scorer.score({ statement: 'China will not impose sanctions on Russia' }, unrelatedArticle);
    expect(j.stance).toBe('unrelated');
    expect(j.relevance).toBeLessThan(0.3);
    expect(j.evidence).toEqual([]);
    expect(j.confidence).toBeCloseTo(1 - j.relevance, 3);
  });

  it('does not confuse Russia with Ukraine, nor North with South Korea', () => {
    const ukraine = {
      body:
        'China will not impose sanctions on Ukraine, the foreign ministry said. Beijing and Kyiv agreed to keep grain trade open. ' +
        'Chinese officials said sanctions on Ukraine were not under discussion.',
    };
    const claim = { statement: 'China will not impose sanctions on Russia' };
    const right = scorer.score(claim, { body: ukraine.body.replaceAll('Ukraine', 'Russia').replaceAll('Kyiv', 'Moscow') });
    const wrong = scorer.score(claim, ukraine);
    expect(wrong.relevance).toBeLessThan(right.relevance * 0.3);
    expect(wrong.stance).toBe('unrelated');

    const korea = { statement: 'North Korea will conduct a nuclear test in 2023' };
    const south = scorer.score(korea, {
      body: 'South Korea will conduct a nuclear safety test in 2023 at its Kori plant, Seoul said. The test is routine.',
    });
    const north = scorer.score(korea, {
      body: 'North Korea will conduct a nuclear test in 2023, Pyongyang said. The test would be its seventh.',
    });
    expect(south.relevance).toBeLessThan(north.relevance * 0.3);
  });

  it('does not let a broad claim match every article that names both countries', () => {
    const claim = { statement: 'China and Russia will form a formal military alliance' };
    const trade = scorer.score(claim, {
      body: 'China and Russia reported record retail sales of consumer electronics this winter. Russian shoppers bought Chinese phones.',
    });
    const alliance = scorer.score(claim, {
      body: 'China and Russia signed a formal military alliance treaty on Monday. The alliance commits both to mutual defence.',
    });
    expect(trade.relevance).toBeLessThan(alliance.relevance);
    expect(trade.stance).toBe('unrelated');
  });

  it('reuses a prepared article and gives the same judgment as the raw article', () => {
    const prepared = scorer.prepareArticle(sanctionsArticle);
    const a = scorer.score({ statement: 'China will not sanction Russia' }, prepared);
    const b = scorer.score({ statement: 'China will not sanction Russia' }, sanctionsArticle);
    expect(a).toEqual(b);
  });

  it("reports each signpost the article covers, with the article's stance toward that event", () => {
    const claim = {
      statement: 'Chinese banks will keep processing payments for Russian companies',
      signposts: [
        { text: 'Chinese banks stop accepting payments from Russian companies', direction: 'fails' as const },
        { text: 'China and Russia launch a joint lunar station', direction: 'holds' as const },
      ],
    };
    const j = scorer.score(claim, {
      body:
        'Three of the largest Chinese banks stopped accepting payments from Russian companies in January, bankers said. ' +
        'Russian importers scrambled for other channels as transfers bounced back.',
    });
    expect(j.signposts).toEqual([{ index: 0, stance: 'agree' }]);
    expect(j.stance).toBe('disagree');
  });

  it('reads a negated forecast the other way round: reports of the event count against it, and no evidence sentence says agree', () => {
    const article = {
      title: 'China sanctions Russian firms over Ukraine war',
      body:
        'China announced sanctions on five Russian companies and two officials on Tuesday, citing the war in Ukraine. ' +
        'The commerce ministry said exports of dual-use goods to the firms would be banned. ' +
        'It is the first time Beijing has imposed sanctions on Russia since the invasion began.',
    };
    const negated = scorer.score({ statement: 'China will not impose sanctions on Russia' }, article);
    const affirmative = scorer.score({ statement: 'China will impose sanctions on Russia' }, article);
    expect(affirmative.stance).toBe('agree');
    expect(negated.stance).toBe('disagree');
    expect(negated.evidence.map((e) => e.stance)).toContain('disagree');
    expect(negated.evidence.map((e) => e.stance)).not.toContain('agree');
  });

  it('calls the same denial evidence for a negated forecast and against its affirmative twin', () => {
    const article = {
      title: 'China rejects calls to sanction Russia',
      body:
        'China has imposed no sanctions of its own on Russia and rejects calls to do so, the foreign ministry said on Tuesday. ' +
        'Spokeswoman Mao Ning said Beijing never takes part in unilateral sanctions and will keep normal trade with Moscow.',
    };
    expect(scorer.score({ statement: 'China will not impose its own sanctions on Russia' }, article).stance).toBe('agree');
    expect(scorer.score({ statement: 'China will impose its own sanctions on Russia' }, article).stance).toBe('disagree');
  });

  it('with the direction check asked for, turns a discuss verdict round when a stated lead plainly points one way, and gives the verdict the highest probability', () => {
    // The check is off by default since 2.4.1 (the models alone call the direction suites' plain
    // reversals right); this corpus pair is one its rules turn: "Heads of government agree to expand
    // Arctic cooperation" ("Russia and China have agreed to increase cooperation in the Arctic...") against
    // "Energy shipments from Russia to China via the Northern Sea Route will keep growing year after
    // year" (gold discuss: a plan to cooperate, not shipments; the rule reads only the lead's direction,
    // one reason it is off).
    const forecast = find<ScorableClaim & { id: string }>('forecasts.jsonl', 'enrg-nsr-energy-to-china-growth');
    const article = find<ScorableArticle & { id: string }>('articles.jsonl', 'geo-a237');
    const checked = createScorer({ directionCheck: DIRECTION_CHECK });
    const before = scorer.score(forecast, article);
    const after = checked.score(forecast, article);
    expect(before.stance).toBe('discuss');
    expect(after.stance).toBe('agree');
    const p = after.stanceProbabilities as { agree: number; disagree: number; discuss: number };
    expect(p.agree).toBe(before.stanceProbabilities?.discuss);
    expect(p.agree).toBeGreaterThanOrEqual(Math.max(p.disagree, p.discuss));
    expect(after.evidence.map((e) => e.stance)).toContain('agree');
  });

  it('judges a forecast the same however it says "will" ("is likely to", "is expected to", "is unlikely to")', () => {
    // dd-09 of the dev suite: its refuting article was called "agree" once the forecast said "is likely to".
    const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '../testdata/direction-dev.jsonl');
    const c = readJsonl<{ id: string; forecast: ScorableClaim } & Record<'confirming' | 'refuting', ScorableArticle>>(file).find(
      (x) => x.id === 'dd-09',
    );
    if (!c) throw new Error('direction-dev.jsonl has no dd-09');
    expect(c.forecast.statement).toMatch(/^Turkey's parliament will ratify/);
    for (const form of ['is likely to', 'is expected to', 'is set to']) {
      const statement = c.forecast.statement.replace('will', form);
      for (const article of [c.confirming, c.refuting]) {
        const plain = scorer.score(c.forecast, article);
        const rephrased = scorer.score({ ...c.forecast, statement }, article);
        expect(rephrased.stance, `${form}: ${article.title}`).toBe(plain.stance);
        expect(rephrased.stanceProbabilities).toEqual(plain.stanceProbabilities);
      }
    }
    const negated = scorer.score(
      { statement: "Turkey's parliament is unlikely to ratify Sweden's NATO membership before the end of 2023." },
      c.refuting,
    );
    expect(negated).toEqual(
      scorer.score({ statement: "Turkey's parliament will not ratify Sweden's NATO membership before the end of 2023." }, c.refuting),
    );
  });

  it('refuses weights trained for a different feature layout', () => {
    const w = weights as unknown as ScorerWeights;
    expect(() => createScorer({ weights: { ...w, stance: { ...w.stance, features: 3 } } })).toThrow(
      /scoring: the stance model expects 3 features but the code computes \d+; retrain/,
    );
  });

  it('rejects a claim without a statement with a clear error', () => {
    expect(() => scorer.score({ statement: '  ' }, sanctionsArticle)).toThrow(/scoring: claim.statement must be a non-empty string/);
  });
});

describe('a long article', () => {
  // A corpus article that refutes the forecast (Chinese and Russian bombers flying a joint patrol near
  // Alaska), followed by four articles labelled unrelated to it, as a full text or a round-up carries them.
  const forecast = find<ScorableClaim & { id: string }>('forecasts.jsonl', 'mil-no-ops-near-alaska');
  // Undated, as the round-up is: with its date (October 2024, over a year before the deadline) 2.23.0
  // called the article alone discuss by a hair (0.48 against 0.46; 2.24.0 calls it undermining), and this
  // test is about the parts.
  const { title, body } = find<ScorableArticle & { id: string }>('articles.jsonl', 'mil-a030');
  const own = { title, body };
  const others = ['geo-a103', 'geo-a104', 'geo-a105', 'geo-a108'].map(
    (id) => find<ScorableArticle & { id: string }>('articles.jsonl', id).body,
  );
  const long = { title: own.title, body: [own.body, ...others].join('\n\n') };
  const words = (t: string) => t.split(/\s+/).filter(Boolean).length;

  it('is cut at sentence ends into parts of even size that keep every sentence in order', () => {
    const doc = scorer.prepareArticle(long).data.doc;
    const parts = articleParts(doc, LONG_ARTICLE_WORDS);
    expect(parts).not.toBeNull();
    const sizes = parts!.map(words);
    expect(sizes.length).toBe(Math.ceil(words(long.body) / 200));
    for (const n of sizes) expect(n).toBeGreaterThan(130);
    for (const n of sizes) expect(n).toBeLessThan(270);
    const body = doc.sentences.filter((s) => !s.title).map((s) => s.sentence.text.trim());
    expect(parts!.join(' ')).toBe(body.join(' '));
    expect(articleParts(scorer.prepareArticle(own).data.doc, LONG_ARTICLE_WORDS)).toBeNull();
    expect(articleParts(doc, 0)).toBeNull();
    expect(articleParts(doc, LONG_ARTICLE_WORDS, 50, 3)).toHaveLength(3);
  });

  it('is judged by its most relevant part: the news in its first paragraph is found, and its evidence quoted from there', () => {
    const alone = scorer.score(forecast, own);
    const whole = createScorer({ longArticleWords: 0 }).score(forecast, long);
    const parts = scorer.score(forecast, long);
    expect(alone.stance).toBe('disagree');
    // Judged whole, the other news dilutes every match: the models never saw an article this long.
    expect(whole.stance).toBe('unrelated');
    // 2.25.0: 0.47 against 0.465 whole (the article alone 0.65): the part gains next to nothing with these
    // models. 2.24.0: 0.49 against 0.40 whole, a hair under the related threshold (0.5), so the verdict is
    // unrelated; 2.23.0: 0.54 against 0.48, across it (2.22.x: by more than 0.1). Taken as related, the part
    // is read as undermining, with its evidence from the first paragraph.
    expect(parts.relevance).toBeGreaterThan(whole.relevance);
    const asRelated = scorer.score(forecast, long, { assumeRelated: true });
    expect(asRelated.stance).toBe('disagree');
    expect(asRelated.evidence.length).toBeGreaterThan(0);
    for (const e of asRelated.evidence) expect(`${own.title}\n${own.body}`).toContain(e.text);
  });

  it('stays whole against a reported story (claimKind report), as the FNC-1 models were trained', () => {
    const options = { claimKind: 'report' } as const;
    expect(scorer.score(forecast, long, options)).toEqual(createScorer({ longArticleWords: 0 }).score(forecast, long, options));
  });
});

describe('evidence for every related verdict', () => {
  it('quotes the sentence closest to the forecast by its words where none covers its terms', () => {
    const forecast = { statement: 'Azerbaijan will recall its ambassador from Moscow in 2025.' };
    const article = {
      title: 'Baku scraps Russian cultural events',
      body: 'Azerbaijan on Sunday cancelled concerts and exhibitions organised by Russian bodies, the latest blow to relations with Moscow. Police in Yekaterinburg said the raids targeted a criminal group.',
      published: '2025-06-30',
    };
    const judgment = scorer.score(forecast, article, { assumeRelated: true });
    expect(judgment.stance).not.toBe('unrelated');
    expect(judgment.evidence).toEqual([
      {
        text: 'Azerbaijan on Sunday cancelled concerts and exhibitions organised by Russian bodies, the latest blow to relations with Moscow.',
        stance: judgment.stance,
      },
    ]);
  });
});

describe("a forecast's signposts", () => {
  // A statement too broad to name the events (both articles are judged unrelated to it alone); its
  // signposts say which event would confirm it and which would undermine it.
  const statement = 'Russia and China will deepen their energy partnership through 2027.';
  const signposts: NonNullable<ScorableClaim['signposts']> = [
    { text: 'Gazprom and CNPC sign a new long-term gas supply contract', direction: 'holds' },
    { text: 'China suspends purchases of Russian gas', direction: 'fails' },
  ];
  const swapped = signposts.map((s) => ({ ...s, direction: s.direction === 'holds' ? ('fails' as const) : ('holds' as const) }));
  const halted: ScorableArticle = {
    title: 'China halts Russian gas purchases',
    body: 'CNPC suspended purchases of Russian pipeline gas on Tuesday, citing a payment dispute with Gazprom. Chinese buyers have stopped taking cargoes since the start of the month.',
  };
  const signed: ScorableArticle = {
    title: 'Gazprom and CNPC sign 30-year gas supply deal',
    body: 'Gazprom and CNPC signed a new long-term contract on Tuesday to supply 10 billion cubic metres of gas a year to China, the companies said.',
  };
  const probs = (s: NonNullable<ScorableClaim['signposts']>, a: ScorableArticle) =>
    scorer.score({ statement, signposts: s }, a).stanceProbabilities!;

  it('make an article on their events more relevant than the statement alone does', () => {
    for (const a of [halted, signed])
      expect(scorer.score({ statement, signposts }, a).relevance).toBeGreaterThan(scorer.score({ statement }, a).relevance + 0.03);
  });

  it('steer the stance by their direction: an event that fails the forecast toward undermines, one that holds toward supports', () => {
    expect(probs(signposts, halted).disagree).toBeGreaterThan(probs(swapped, halted).disagree);
    expect(probs(signposts, halted).agree).toBeLessThan(probs(swapped, halted).agree);
    expect(probs(signposts, signed).agree).toBeGreaterThan(probs(swapped, signed).agree);
    expect(probs(signposts, signed).disagree).toBeLessThan(probs(swapped, signed).disagree);
  });
});

describe("an article's date against a forecast's deadline", () => {
  // Talks that drag on settle nothing while the deadline is years away, and undermine the forecast once
  // it has passed: the same words, read at another time (`f_time_left`, src/timing.ts).
  const forecast = {
    statement: 'Gazprom and CNPC will sign a binding contract for gas deliveries through Power of Siberia 2 before the end of 2025.',
  };
  const article = {
    title: 'Putin and Xi discuss Power of Siberia 2 as price talks drag on',
    body:
      'Vladimir Putin and Xi Jinping discussed the Power of Siberia 2 gas pipeline at their meeting in Beijing, the Kremlin said. ' +
      'Gazprom and CNPC are still negotiating the price and volumes, and the two companies have not yet signed a supply contract. ' +
      'Kremlin spokesman Dmitry Peskov said the parties were working on the details and that the project remained on the agenda.',
  };

  it('reads talks that drag on years before the deadline as discussing, and after it as undermining', () => {
    const early = scorer.score(forecast, { ...article, published: '2022-09-15' });
    const late = scorer.score(forecast, { ...article, published: '2026-01-20' });
    expect(early.stance).toBe('discuss');
    // 2.24.0 reads the late article as undermining most likely (0.47 against 0.34 for discuss), but the
    // stance biases chosen on dev (undermining weighed 0.7) leave the verdict at discuss; 2.23.0 called it
    // undermining (docs/scoring.md, "2.24.0").
    const p = late.stanceProbabilities!;
    expect(p.disagree).toBeGreaterThan(Math.max(p.agree, p.discuss));
    expect(p.disagree).toBeGreaterThan(early.stanceProbabilities!.disagree + 0.2);
    expect(early.stanceProbabilities!.discuss).toBeGreaterThan(late.stanceProbabilities!.discuss + 0.2);
  });

  it("reads a forecast record's deadline where its statement names none", () => {
    const record = {
      statement: 'Gazprom and CNPC will sign a binding contract for gas deliveries through Power of Siberia 2.',
      deadline: '2025-12-31',
    };
    const early = scorer.score(record, { ...article, published: '2022-09-15' });
    const late = scorer.score(record, { ...article, published: '2026-01-20' });
    expect(late.stanceProbabilities!.disagree).toBeGreaterThan(early.stanceProbabilities!.disagree);
    // Without the record's date the forecast has no deadline, and the article's date changes nothing.
    const { deadline: _, ...bare } = record;
    expect(scorer.score(bare, { ...article, published: '2022-09-15' })).toEqual(
      scorer.score(bare, { ...article, published: '2026-01-20' }),
    );
  });

  it('reads an undated article at each time left that training saw, and averages', () => {
    // "before the end of 2025" falls due at 2026.0: published 2025-01-01 leaves one year, 2024-01-01 two.
    const at = (times: number[]) =>
      createScorer({ weights: { ...(weights as unknown as ScorerWeights), undatedTimeLeft: times } }).score(forecast, article);
    const dated = (published: string) => scorer.score(forecast, { ...article, published }).stanceProbabilities!;
    const one = dated('2025-01-01');
    const two = dated('2024-01-01');
    expect(at([1]).stanceProbabilities).toEqual(one);
    const both = at([1, 2]).stanceProbabilities!;
    for (const k of ['agree', 'disagree', 'discuss'] as const) expect(both[k]).toBeCloseTo((one[k] + two[k]) / 2, 3);
    expect(at([1]).stanceProbabilities).not.toEqual(at([2]).stanceProbabilities);
  });

  it('keeps a prepared article per date: the same text published at another time is judged again', () => {
    const fresh = createScorer();
    const early = fresh.prepareArticle({ ...article, published: '2022-09-15' });
    const late = fresh.prepareArticle({ ...article, published: '2026-01-20' });
    expect(late).not.toBe(early);
    expect(fresh.prepareArticle({ ...article, published: '2022-09-15' })).toBe(early);
  });
});

describe('reading a forecast both ways (negationSymmetry)', () => {
  const both = createScorer({ negationSymmetry: true });
  const one = createScorer({ negationSymmetry: false });
  const forecast = { statement: 'China will join Western sanctions against Russia' };
  const negated = { statement: 'China will not join Western sanctions against Russia' };

  it("gives a forecast and its negation mirrored readings: one's agree is the other's disagree", () => {
    const a = both.score(forecast, sanctionsArticle, { assumeRelated: true }).stanceProbabilities!;
    const b = both.score(negated, sanctionsArticle, { assumeRelated: true }).stanceProbabilities!;
    expect(a.agree).toBeCloseTo(b.disagree, 3);
    expect(a.disagree).toBeCloseTo(b.agree, 3);
    expect(a.discuss).toBeCloseTo(b.discuss, 3);
    // Read once, the two are not mirrored: the readings differ, so the combination is doing the work.
    const c = one.score(forecast, sanctionsArticle, { assumeRelated: true }).stanceProbabilities!;
    const d = one.score(negated, sanctionsArticle, { assumeRelated: true }).stanceProbabilities!;
    expect(Math.abs(c.agree - d.disagree) + Math.abs(c.disagree - d.agree)).toBeGreaterThan(0.001);
    expect(a).not.toEqual(c);
  });

  it('is what the committed weights ask for: the default scorer reads a related pair both ways', () => {
    expect((weights as unknown as ScorerWeights).forecast.negationSymmetry).toBe(true);
    const d = scorer.score(forecast, sanctionsArticle, { assumeRelated: true }).stanceProbabilities;
    expect(d).toEqual(both.score(forecast, sanctionsArticle, { assumeRelated: true }).stanceProbabilities);
    expect(d).not.toEqual(one.score(forecast, sanctionsArticle, { assumeRelated: true }).stanceProbabilities);
  });

  it('reads a pair below the floor once: its probabilities are the single reading', () => {
    const a = both.score(forecast, unrelatedArticle);
    expect(a.stance).toBe('unrelated');
    expect(a.relevance).toBeLessThan(SYMMETRY_FLOOR);
    expect(a.stanceProbabilities).toEqual(one.score(forecast, unrelatedArticle).stanceProbabilities);
  });

  it('reads a statement it cannot negate once', () => {
    const claim = { statement: 'No Chinese bank will process payments for Russian importers' };
    expect(both.score(claim, sanctionsArticle, { assumeRelated: true })).toEqual(
      one.score(claim, sanctionsArticle, { assumeRelated: true }),
    );
  });
});

describe('a bias towards the event, not the verdict (eventBias)', () => {
  const w = weights as unknown as ScorerWeights;
  // A disagree bias large enough to decide every related pair, so which way it points is plain.
  const leaning = { ...w, forecast: { ...w.forecast, stanceBias: [1, 50, 1] as [number, number, number] } };
  const byEvent = createScorer({ weights: leaning, eventBias: true });
  const byVerdict = createScorer({ weights: leaning, eventBias: false });
  const forecast = { statement: 'China will join Western sanctions against Russia' };
  const negated = { statement: 'China will not join Western sanctions against Russia' };
  const mirror = { agree: 'disagree', disagree: 'agree', discuss: 'discuss', unrelated: 'unrelated' } as const;

  it("leans a negated forecast's verdict towards agree where a positive one's leans towards disagree: both towards the event not happening", () => {
    // A report of China's oil buying under US sanctions: it says nothing of China joining any.
    const article = find<ScorableArticle & { id: string }>('articles.jsonl', 'enrg-a019');
    expect(byVerdict.score(forecast, article, { assumeRelated: true }).stance).toBe('disagree');
    expect(byVerdict.score(negated, article, { assumeRelated: true }).stance).toBe('disagree');
    expect(byEvent.score(forecast, article, { assumeRelated: true }).stance).toBe('disagree');
    expect(byEvent.score(negated, article, { assumeRelated: true }).stance).toBe('agree');
  });

  it("gives a forecast and its negation mirrored verdicts under the committed decisions: one's supports is the other's undermines", () => {
    const scorer = createScorer({ eventBias: true });
    const articles = [
      sanctionsArticle,
      ...['enrg-a005', 'enrg-a017', 'enrg-a019'].map((id) => find<ScorableArticle & { id: string }>('articles.jsonl', id)),
    ];
    const verdicts = articles.map((article) => {
      const a = scorer.score(forecast, article, { assumeRelated: true }).stance;
      expect(scorer.score(negated, article, { assumeRelated: true }).stance).toBe(mirror[a]);
      return a;
    });
    // Not every verdict is the same one, so mirroring is not a constant answer.
    expect(new Set(verdicts).size).toBeGreaterThan(1);
  });

  it('leaves report claims and headlines to their own biases', () => {
    const claim = { statement: 'China joins Western sanctions against Russia' };
    expect(byEvent.score(claim, sanctionsArticle, { claimKind: 'report' })).toEqual(
      byVerdict.score(claim, sanctionsArticle, { claimKind: 'report' }),
    );
    const headline = { body: 'China will not join Western sanctions on Russia, ministry says' };
    expect(byEvent.score(negated, headline, { assumeRelated: true })).toEqual(byVerdict.score(negated, headline, { assumeRelated: true }));
  });
});
