import { describe, expect, it } from 'vitest';
import { canonicalForecast, frameClaim, prepareDocument, rankSignals, type SentenceSignals } from './frame.ts';
import { chooseEvidence, checkDirection, DIRECTION_CHECK, SENTENCE_LEAN } from './scorer.ts';

const idf = () => 5;

function best(claim: string, article: string): SentenceSignals {
  const r = rankSignals(frameClaim(claim, idf), prepareDocument(undefined, article));
  return r[0] as SentenceSignals;
}

describe('frameClaim', () => {
  it('finds the denied main event, the agent and the circumstances', () => {
    const f = frameClaim('China will not impose its own sanctions on Russia over the war against Ukraine.', idf);
    expect(f.negated).toBe(true);
    expect(f.agent).toBe('CN');
    expect(f.actors).toEqual(['CN', 'RU', 'UA']);
    const event = f.terms.filter((t) => t.event).map((t) => t.key);
    expect(event).toContain('sanction');
    expect(event).not.toContain('war');
  });

  it('gives no polarity to a word the claim uses both inside and outside a denial', () => {
    const f = frameClaim('CNPC will not lift LNG from the Arctic LNG 2 project.', idf);
    expect(f.terms.find((t) => t.key === 'lng')?.mixed).toBe(true);
    expect(f.terms.find((t) => t.key === 'lift')?.mixed).toBeFalsy();
    // The project named in a report of a freeze: its name alone says nothing of the lifting.
    const s = best('CNPC will not lift LNG from the Arctic LNG 2 project.', 'Analysts toured the Arctic LNG 2 project in May.');
    expect(s.coverage).toBeGreaterThan(0);
    // Without the rule the event's "lng" (denied in the claim, affirmed here) would pull it negative.
    expect(s.alignEvent).toBeCloseTo(0, 10);
    expect(s.align).toBeGreaterThan(0);
  });

  it('reads "No X will", "None of X will" and "X will fail to" as negated forecasts', () => {
    expect(frameClaim("None of India's state-run fuel retailers will cut pump prices before the election.", idf).negated).toBe(true);
    expect(frameClaim('No semiconductor plant in India will begin commercial production before 2025.', idf).negated).toBe(true);
    expect(frameClaim('The Trump administration will fail to pull Russia away from China.', idf).negated).toBe(true);
    expect(frameClaim('China and Russia will hold a joint naval exercise in 2025.', idf).negated).toBe(false);
    expect(frameClaim('Western attempts to drive a wedge between Russia and China will fail.', idf).negated).toBe(true);
    expect(frameClaim('China is unlikely to impose sanctions on Russia.', idf).negated).toBe(true);
    expect(frameClaim('It is unlikely that China will sanction Russia.', idf).negated).toBe(true);
    // "never", "probably" and "unlikely" shape the claim; they are not among its terms.
    const never = frameClaim('Beijing will never supply lethal weapons to Moscow.', idf);
    expect(never.negated).toBe(true);
    expect(never.terms.map((t) => t.key)).not.toContain('nev');
    expect(frameClaim('China will probably not send weapons to Russia.', idf).terms.map((t) => t.key)).not.toContain('probabl');
  });

  it('takes the main verb after the modal and the agent from its clause, not from a condition or a participle', () => {
    const banks = frameClaim("China's large state-owned banks will not cut back their handling of payments for Russian trade.", idf);
    expect(banks.negated).toBe(true);
    expect(banks.agent).toBe('CN');
    const conditional = frameClaim('If Washington raises tariffs on Chinese goods, Beijing will answer with matching tariffs.', idf);
    expect(conditional.agent).toBe('CN');
    expect(conditional.conditional).toBe(true);
    const coal = frameClaim("If the EU's ban on Russian coal takes effect, Russia's coal exports to China will rise.", idf);
    expect(coal.negated).toBe(false);
    expect(coal.agent).toBe('RU');
    // A list of actors is one subject: the first names the agent.
    expect(frameClaim('China, Russia and Iran will keep holding a naval exercise every year.', idf).agent).toBe('CN');
    // The alternative a claim rules out is not its agent, nor are "rather" and "instead" its terms.
    const yuan = frameClaim('The yuan, rather than the US dollar, will become the most traded currency in Moscow in 2023.', idf);
    expect(yuan.agent).toBe('');
    expect(yuan.terms.some((t) => t.key.startsWith('rath'))).toBe(false);
    expect(yuan.terms.find((t) => t.key === 'dollar')?.polarity).toBe(-1);
    expect(
      frameClaim('Saudi Aramco will price crude sales in yuan instead of dollars.', idf).terms.some((t) => t.key.startsWith('instead')),
    ).toBe(false);
  });

  it('keeps a denial on its own clause: a time clause, a participle before its noun and a possessive are not its end', () => {
    const polarity = (f: ReturnType<typeof frameClaim>, key: string) => f.terms.find((t) => t.key === key)?.polarity;
    // "when ... runs out" has its own predicate: before 2.24.2 its failure verb undid the denial before it.
    const rollover = frameClaim(
      'Moscow will not agree to another rollover of the Black Sea grain arrangement when its current extension runs out in mid-July 2023.',
      idf,
    );
    expect(rollover.negated).toBe(true);
    expect(polarity(rollover, 'rollov')).toBe(-1);
    // ... and the extension is what runs out.
    expect(polarity(rollover, 'extension')).toBe(-1);
    const waiver = frameClaim(
      "Washington will not give Serbia's NIS another reprieve from US sanctions once its current waiver runs out in early October 2025.",
      idf,
    );
    expect(waiver.negated).toBe(true);
    expect(polarity(waiver, 'repriev')).toBe(-1);
    // "Russia's frozen reserves": a possessive's "'s" is not "is", so "frozen" is no passive reaching back.
    const principal = frameClaim(
      "Western governments will not confiscate the principal of Russia's frozen central bank reserves before the end of 2025.",
      idf,
    );
    expect(principal.negated).toBe(true);
    expect(polarity(principal, 'confiscat')).toBe(-1);
    // "the stalled aid package": what stalled is the package, not the subject before it.
    const aid = frameClaim("Zelenskiy's December 2023 trip to Washington will not unlock the stalled $60 billion US aid package.", idf);
    expect(aid.negated).toBe(true);
    expect(polarity(aid, 'trip')).toBe(1);
    // A copula is the predicate: "will not be subject to".
    expect(
      frameClaim(
        'Copper cathodes shipped to the United States will not be subject to the Section 232 copper duty when it starts on August 1, 2025.',
        idf,
      ).negated,
    ).toBe(true);
    expect(frameClaim('The duty will be higher than 25 % when it starts.', idf).negated).toBe(false);
    // "once again" opens no clause: the denial reaches "postpone" (and so the auction goes ahead).
    const again = frameClaim('Beijing will not once again postpone the auction.', idf);
    expect(again.negated).toBe(true);
    expect(polarity(again, 'postpon')).toBe(-1);
    expect(polarity(again, 'auction')).toBe(1);
  });

  it('takes the word the modal governs for the verb where the tagger read a noun, and a participle after its noun for its subject alone', () => {
    // Tagged a noun or an adjective after "will": with no verb found, the alternative ruled out had made these negated.
    expect(
      frameClaim(
        'Moscow and Kyiv will each sign their own document with Ankara and the United Nations on Black Sea exports rather than a single bilateral accord with each other.',
        idf,
      ).negated,
    ).toBe(false);
    expect(
      frameClaim(
        'Brussels will open membership negotiations with Albania jointly with North Macedonia rather than splitting the two applications.',
        idf,
      ).negated,
    ).toBe(false);
    expect(
      frameClaim('The Fed will not lower its policy rate before September 2025, whatever pressure comes from the White House.', idf)
        .negated,
    ).toBe(true);
    // "firms leaving the Russian market": the firms leave; the Chinese companies still fill the gap.
    const gap = frameClaim('Chinese companies will fill the gap left by Western firms leaving the Russian market.', idf);
    expect(gap.negated).toBe(false);
    expect(gap.terms.find((t) => t.key === 'fill')?.polarity).toBe(1);
  });

  it('rewrites the other ways of saying "will" to the form the models know', () => {
    expect(canonicalForecast('China is unlikely to impose sanctions on Russia.')).toBe('China will not impose sanctions on Russia.');
    expect(canonicalForecast('It is highly unlikely that China will sanction Russia in 2025.')).toBe(
      'China will not sanction Russia in 2025.',
    );
    expect(canonicalForecast('I expect North Korea not to conduct a nuclear test in 2024.')).toBe(
      'North Korea will not conduct a nuclear test in 2024.',
    );
    expect(canonicalForecast('I think that trade will exceed $250 billion.')).toBe('Trade will exceed $250 billion.');
    expect(canonicalForecast('Russia and China are expected to hold drills in 2025.')).toBe('Russia and China will hold drills in 2025.');
    expect(canonicalForecast('Beijing is not going to sanction Moscow.')).toBe('Beijing will not sanction Moscow.');
    expect(canonicalForecast("China won't recognise the annexation.")).toBe('China will not recognise the annexation.');
    expect(canonicalForecast("Turkey's parliament to ratify Sweden's NATO membership.")).toBe(
      "Turkey's parliament will ratify Sweden's NATO membership.",
    );
    expect(canonicalForecast('Exports to China not to exceed $100bn in 2025.')).toBe('Exports to China will not exceed $100bn in 2025.');
    expect(canonicalForecast('Exports to China rise above $100bn in 2025.')).toBe('Exports to China rise above $100bn in 2025.');
    expect(canonicalForecast('China will sanction Russia.')).toBe('China will sanction Russia.');
  });

  it('reads a threshold with its comparison, year and deadline', () => {
    expect(frameClaim('Trade will exceed $250 billion in 2024.', idf).quantity).toEqual({ value: 250e9, unit: 'usd', cmp: 1, year: 2024 });
    expect(frameClaim('Trade will reach at least $200 billion in a calendar year by 2024.', idf).quantity).toEqual({
      value: 200e9,
      unit: 'usd',
      cmp: 1,
      by: 2024,
    });
    expect(frameClaim('Fewer than 1 million Chinese tourists will visit Russia in 2024.', idf).quantity?.cmp).toBe(-1);
    expect(frameClaim('Trade will not exceed $250 billion in 2024.', idf).quantity?.cmp).toBe(-1);
  });

  it('reads a ceiling said after the figure, denied, or by a figure the forecast denies', () => {
    const cmp = (claim: string) => frameClaim(claim, idf).quantity?.cmp;
    expect(cmp('India will hold sugar exports for the season to 8 million tonnes or less.')).toBe(-1);
    expect(cmp('The security guarantee will last no longer than ten years.')).toBe(-1);
    expect(cmp('Copom will not push the Selic beyond 14.75% in its current cycle.')).toBe(-1);
    expect(cmp('Chinese makers will not hold on to a 70% share of the truck market in 2025.')).toBe(-1);
    expect(cmp('No candidate will win more than 15% of the vote in the first round.')).toBe(-1);
    // A reversal verb whose object holds the figure does not deny the comparison.
    expect(cmp('The review will lead Britain to freeze fewer than ten of its arms export licences.')).toBe(-1);
    expect(frameClaim("Putin's stop in Hanoi will produce fewer than five signed agreements.", idf).quantity).toMatchObject({
      value: 5,
      unit: 'count',
      cmp: -1,
    });
  });

  it('reads the expected direction of a trend', () => {
    expect(frameClaim('China-Russia trade will keep growing every year.', idf).direction).toBe(1);
    expect(frameClaim('EU imports of Russian LNG will fall year after year.', idf).direction).toBe(-1);
    // A clause after the forecast's own says why, not what moves.
    expect(frameClaim("Russia's core inflation will keep falling as earlier rate hikes take effect.", idf).direction).toBe(-1);
    expect(frameClaim('Exports will keep rising as China’s largest growth market.', idf).direction).toBe(1);
  });
});

describe('sentence signals', () => {
  it('points against a forecast whose event the sentence reverses, and for it when the event happens', () => {
    const claim = 'China and Russia will keep holding joint military exercises every year.';
    expect(best(claim, 'China cancels all military exercises with Russia.').lean).toBeLessThan(-0.4);
    expect(best(claim, 'The Chinese and Russian navies began their annual joint exercise near Vladivostok.').lean).toBeGreaterThan(0.4);
  });

  it('points for a negated forecast when the sentence denies the event, against it when it reports it', () => {
    const claim = 'China will not impose its own sanctions on Russia.';
    expect(best(claim, 'China itself has imposed no sanctions on Russia and rejects calls to do so.').lean).toBeGreaterThan(0.5);
    expect(best(claim, 'China announced sanctions on Russian defence firms on Tuesday.').lean).toBeLessThan(-0.3);
  });

  it('measures a share against levels, not against a change ("sales have fallen by 90 %")', () => {
    const claim = "Apple and Samsung will keep a combined share of at least 30% of Russia's smartphone sales through 2023.";
    expect(frameClaim(claim, idf).quantity?.share).toBe(true);
    expect(best(claim, 'Sales of Samsung and Apple phones have fallen by 90%, leaving them with shares of 8.5% and 7%.').quantity).toBe(-1);
    // A forecast of growth is a change, and compared with one.
    const growth = 'Chinese exports to Russia will grow by more than 15% in 2024.';
    expect(frameClaim(growth, idf).quantity?.share).toBeUndefined();
    expect(best(growth, 'Chinese exports to Russia grew by 4% in 2024.').quantity).toBe(-1);
  });

  it('compares a small number in words with the threshold only where it counts what the claim names', () => {
    const claim = 'At least five Chinese research vessels will operate in Arctic waters in summer 2025.';
    expect(best(claim, 'China sent just two research vessels into Arctic waters this summer.').quantity).toBe(-1);
    expect(best(claim, 'Six Chinese research vessels worked in Arctic waters this summer.').quantity).toBe(1);
    expect(best(claim, 'Chinese research vessels spent two days in Arctic waters this summer.').quantity).toBe(0);
  });

  it('reads a span of time in words as no threshold ("in the next five-year comparison")', () => {
    const claim = "India's arms imports will keep declining in SIPRI's next five-year comparison.";
    expect(frameClaim(claim, idf).quantity).toBeUndefined();
    expect(frameClaim('At least five Chinese research vessels will operate in the Arctic.', idf).quantity?.value).toBe(5);
  });

  it('compares a stated figure with the threshold', () => {
    const missed = best(
      'Russia-China trade will exceed $250 billion in 2024.',
      'Trade between China and Russia reached $244.8 billion in 2024, customs data showed.',
    );
    expect(missed.quantity).toBe(-1);
    expect(missed.lean).toBeLessThan(0);
    const met = best(
      'Russia-China trade will reach at least $200 billion by 2024.',
      'Trade between Russia and China reached $240.1 billion in 2023.',
    );
    expect(met.quantity).toBe(1);
    // A figure short of the threshold before the deadline year is not yet a miss.
    expect(
      best('Russia-China trade will reach at least $200 billion by 2024.', 'Trade between Russia and China reached $147 billion in 2021.')
        .quantity,
    ).toBe(0);
    const bound = best(
      'Chinese car brands will hold more than half of Russian car sales.',
      'Chinese brands held 49.6% of car sales in Russia, their first share below 50%.',
    );
    expect(bound.quantity).toBe(-1);
  });

  it("measures the figure nearest the forecast's words, not the one nearest its threshold", () => {
    const s = best(
      'Washington will keep its tariff on Chinese-made electric vehicles below 50% in 2024.',
      'The US raised the duty on Chinese electric vehicles from 25% to 100% and doubled the rate on solar cells to 50%.',
    );
    expect(s.quantity).toBe(-1);
  });

  it('reads failing a test against a forecast of passing it, through antonyms read both ways', () => {
    const claim = 'Micron will not pass the cybersecurity review that Chinese regulators have opened.';
    expect(best(claim, "Micron failed the regulator's cybersecurity review, officials said on Sunday.").lean).toBeGreaterThan(0.2);
  });

  it('reads words of decrease against a forecast of growth', () => {
    const s = best('Russia-China trade will keep growing every year.', 'Trade between Russia and China fell 7% in the first half of 2025.');
    expect(s.direction).toBe(-1);
    expect(s.lean).toBeLessThan(0);
  });

  it('counts the event against a forecast when the sentence passes over what the forecast expects', () => {
    const win = 'Rafal Trzaskowski will win the Polish presidential election.';
    const lost = 'Karol Nawrocki won the Polish presidential election, beating Warsaw mayor Rafal Trzaskowski with 50.9 per cent.';
    const won = 'Rafal Trzaskowski won the Polish presidential election, beating Karol Nawrocki with 50.9 per cent.';
    expect(best(win, lost).lean).toBeLessThan(0);
    expect(best(win, won).lean).toBeGreaterThan(0);
    // A denied forecast turns round with it.
    expect(best('Rafal Trzaskowski will not win the Polish presidential election.', lost).lean).toBeGreaterThan(0);
    const plant = "Kazakhstan will choose Russia's Rosatom to build its first nuclear power plant.";
    expect(
      best(plant, "Kazakhstan chose China's CNNC to build its first nuclear power plant, picking it over Russia's Rosatom.").lean,
    ).toBeLessThan(0);
    expect(best(plant, 'Kazakhstan chose Rosatom instead of CNNC to build its first nuclear power plant.').lean).toBeGreaterThan(0);
    // The winner after a passive is not passed over; nor is a common noun after "rather than".
    expect(best(win, 'Karol Nawrocki was beaten by Rafal Trzaskowski in the Polish presidential election.').lean).toBeGreaterThanOrEqual(0);
    expect(
      best(
        'Russia will remain the top crude supplier to China in 2025.',
        'China chose Russian crude rather than Saudi crude in 2025, keeping Russia the top supplier.',
      ).lean,
    ).toBeGreaterThan(0);
  });

  it('reads an event put off past the deadline as a miss', () => {
    const grid = 'Unit 7 of the Tianwan nuclear plant will be connected to the grid before the end of 2026.';
    const late =
      'BEIJING, September 8, 2026 — Grid connection of Unit 7 at the Tianwan nuclear plant has been delayed until 2027, its operator said.';
    expect(best(grid, late).lean).toBeLessThan(0);
    // Within the deadline a delay settles nothing.
    expect(best(grid, late.replace('until 2027', 'until November 2026')).lean).toBeGreaterThanOrEqual(0);
    const rail = 'Construction of the China-Kyrgyzstan-Uzbekistan railway will begin before the end of 2024.';
    const next =
      'BISHKEK, December 20, 2024 — The start of construction of the China-Kyrgyzstan-Uzbekistan railway has been postponed until next year.';
    expect(best(rail, next).lean).toBeLessThan(0);
    // A denied forecast is met by it; a forecast of the delay itself too.
    expect(
      best('Construction of the China-Kyrgyzstan-Uzbekistan railway will not begin before the end of 2024.', next).lean,
    ).toBeGreaterThan(0);
    expect(
      best('The start of construction of the China-Kyrgyzstan-Uzbekistan railway will be postponed beyond 2024.', next).lean,
    ).toBeGreaterThan(0);
  });

  it('counts the event against a forecast when its subject is the alternative the forecast rules out', () => {
    const claim = "A Chinese brand, not Lada, will be Russia's best-selling car brand in 2024.";
    expect(best(claim, "MOSCOW, January 9, 2025 — AvtoVAZ's Lada remained Russia's best-selling car brand in 2024.").lean).toBeLessThan(0);
    expect(best(claim, "MOSCOW, January 9, 2025 — Chinese brand Haval was Russia's best-selling car brand in 2024.").lean).toBeGreaterThan(
      0,
    );
    const yuan = 'The yuan, rather than the US dollar, will become the most traded foreign currency on the Moscow Exchange in 2023.';
    expect(best(yuan, 'The US dollar remained the most traded foreign currency on the Moscow Exchange in 2023.').lean).toBeLessThan(0);
    expect(best(yuan, 'The yuan became the most traded foreign currency on the Moscow Exchange in 2023.').lean).toBeGreaterThan(0);
  });

  it('counts the event against a forecast when the sentence names only the alternative, wherever it stands', () => {
    const claim = 'Petronet will sign its next long-term LNG supply deal with a US exporter rather than with QatarEnergy.';
    expect(frameClaim(claim, idf).chosen.keys).toContain('export');
    expect(best(claim, 'Petronet signed a long-term LNG supply deal with QatarEnergy on Tuesday.').lean).toBeLessThan(0);
    expect(best(claim, 'Petronet signed a long-term LNG supply deal with a US exporter on Tuesday.').lean).toBeGreaterThan(0);
    // Past a comma before "rather than".
    const first = 'The ECB or the Fed, rather than the Swiss National Bank, will be the first major central bank to cut rates in 2024.';
    expect(
      best(first, 'The Swiss National Bank cut its policy rate, the first major central bank to cut rates in 2024.').lean,
    ).toBeLessThan(0);
  });

  it('reads only the direction words that move what the forecast names', () => {
    const claim = "Poland's defence spending will rise as a share of GDP.";
    const cut = best(claim, 'Poland trims defence spending share as budget pressures mount.');
    expect(cut.direction).toBe(-1);
    expect(cut.lean).toBeLessThan(0);
    const raised = best(claim, 'Poland raises defence spending share as budget pressures ease.');
    expect(raised.direction).toBe(1);
    expect(raised.lean).toBeGreaterThan(0);
    // With nothing else moving, a direction word counts whatever it moves.
    expect(
      best('Russia-China trade will keep growing every year.', 'The figures fell in 2025, customs said of trade with Russia and China.')
        .direction,
    ).toBe(-1);
  });

  it('reads a figure beside its restated threshold, and "most of" as more than half', () => {
    const claim = 'Trade between India and the UAE will exceed $100 billion in 2025.';
    expect(
      best(claim, 'Trade between India and the UAE fell to $83.4 billion in 2025, short of the $100 billion predicted.').quantity,
    ).toBe(-1);
    expect(best(claim, 'Trade between India and the UAE reached $112 billion in 2025, above the $100 billion goal.').quantity).toBe(1);
    const most = frameClaim('India will make most of the iPhones sold in the United States by 2026.', idf).quantity;
    expect(most).toMatchObject({ value: 50, unit: 'percent', cmp: 1 });
  });

  it('ties a figure to the year it is for, not to the dateline', () => {
    const claim = 'Gas exports through the pipeline will reach 38 bcm in 2025.';
    const article = 'MOSCOW, January 2, 2026 — Gas exports through the pipeline reached about 31 billion cubic metres in 2025.';
    expect(best(claim, article).quantity).toBe(-1);
  });

  it('marks the title and the first sentence as the lead, and reads no future into a relative clause', () => {
    const doc = prepareDocument(
      'Poland trims defence spending',
      'Poland will spend less next year. Poland had raised spending every year since 2022.',
    );
    expect(doc.sentences.map((s) => s.lead)).toEqual([true, true, false]);
    expect(prepareDocument(undefined, 'Several hundred soldiers who will train local forces arrived.').sentences[0]?.future).toBe(false);
  });

  it('notices when another actor is the subject', () => {
    expect(
      best('China will not impose its own sanctions on Russia.', 'The EU imposed sanctions on three Chinese firms for supplying Russia.')
        .subject,
    ).toBe(-1);
    expect(best('China will not impose its own sanctions on Russia.', 'China imposed sanctions on three Russian firms.').subject).toBe(1);
  });
});

describe('checkDirection', () => {
  const signal = (over: Partial<SentenceSignals>): SentenceSignals => ({
    index: 0,
    coverage: 0.8,
    core: 0.8,
    align: 0,
    alignEvent: 0,
    eventCoverage: 0.8,
    direction: 0,
    quantity: 0,
    quantityGap: 0,
    subject: 1,
    actorShare: 1,
    hedged: 0,
    reversals: 0,
    negations: 0,
    future: false,
    past: true,
    opinion: false,
    yearMatch: false,
    title: false,
    lead: false,
    stale: false,
    lean: 0,
    leanMatched: 0,
    ...over,
  });

  it('turns a verdict round only when the facts that match the claim point the other way alone', () => {
    expect(checkDirection('agree', [signal({ leanMatched: -1 })])).toBe('disagree');
    expect(checkDirection('disagree', [signal({ leanMatched: 0.9 })])).toBe('agree');
    expect(checkDirection('agree', [signal({ leanMatched: -1 }), signal({ index: 1, leanMatched: 0.6 })])).toBe('agree');
    expect(checkDirection('agree', [signal({ leanMatched: -1, hedged: 1 })])).toBe('agree');
    expect(checkDirection('agree', [signal({ leanMatched: -1, coverage: 0.3 })])).toBe('agree');
  });

  it('gives a discuss verdict a direction only toward disagree, on a stated sentence covering most of the claim', () => {
    expect(checkDirection('discuss', [signal({ leanMatched: -1 })])).toBe('disagree');
    expect(checkDirection('discuss', [signal({ leanMatched: 1 })])).toBe('discuss');
    expect(checkDirection('discuss', [signal({ leanMatched: -1, coverage: 0.55 })])).toBe('discuss');
    expect(checkDirection('discuss', [signal({ leanMatched: -1, future: true })])).toBe('discuss');
    expect(checkDirection('discuss', [signal({ leanMatched: -1 }), signal({ index: 1, leanMatched: 0.5 })])).toBe('discuss');
    expect(checkDirection('discuss', [signal({ coverage: 0.35, quantity: -1 })])).toBe('discuss');
    expect(checkDirection('discuss', [signal({ leanMatched: -1 })], { coverage: 0.5, lean: 0.8, quantityCoverage: 0.3 })).toBe('discuss');
  });

  it('lets the lead decide over the history below it', () => {
    const lead = { ...DIRECTION_CHECK, lead: { coverage: 0.5, lean: 0.8 } };
    const title = signal({ index: 0, title: true, lead: true, leanMatched: -1 });
    const history = signal({ index: 3, leanMatched: 1 });
    expect(checkDirection('agree', [title, history], lead)).toBe('disagree');
    expect(checkDirection('discuss', [title, history], lead)).toBe('disagree');
    expect(checkDirection('agree', [title, signal({ index: 1, lead: true, leanMatched: 0.6 })], lead)).toBe('agree');
    expect(checkDirection('agree', [{ ...title, hedged: 1 }, history], lead)).toBe('agree');
    expect(checkDirection('discuss', [signal({ index: 0, lead: true, leanMatched: 0.9 })], lead)).toBe('agree');
    expect(checkDirection('agree', [{ ...title, stale: true }, history], lead)).toBe('agree');
    const future = { ...lead, lead: { ...lead.lead, future: true } };
    expect(checkDirection('agree', [{ ...title, future: true }, history], lead)).toBe('agree');
    expect(checkDirection('agree', [{ ...title, future: true }, history], future)).toBe('disagree');
  });

  it('lets a stated figure settle a threshold: a miss and no hit turns agree into disagree, and back', () => {
    expect(checkDirection('agree', [signal({ coverage: 0.35, quantity: -1 })])).toBe('disagree');
    expect(checkDirection('disagree', [signal({ coverage: 0.35, quantity: 1 })])).toBe('agree');
    expect(checkDirection('agree', [signal({ coverage: 0.35, quantity: -1 }), signal({ index: 1, coverage: 0.4, quantity: 1 })])).toBe(
      'agree',
    );
    expect(checkDirection('agree', [signal({ coverage: 0.2, quantity: -1 })])).toBe('agree');
    expect(checkDirection('agree', [signal({ coverage: 0.35, quantity: -1, future: true })])).toBe('agree');
  });
});

describe('chooseEvidence', () => {
  const article = prepareDocument(
    'China cancels drills with Russia',
    'China cancelled all military exercises with Russia on Monday. Joint exercises with Russia were held every year since 2005. The navies had planned exercises in July.',
  );
  const claim = frameClaim('China and Russia will keep holding joint military exercises every year.', idf);
  const ranked = rankSignals(claim, article);
  const text = (i: number) => article.sentences[i]?.sentence.text ?? '';

  it('quotes at least one sentence that carries the verdict and none that contradicts it', () => {
    for (const verdict of ['agree', 'disagree', 'discuss'] as const) {
      const evidence = chooseEvidence(ranked, text, verdict);
      expect(evidence.length).toBeGreaterThanOrEqual(1);
      expect(evidence.length).toBeLessThanOrEqual(3);
      expect(evidence.map((e) => e.stance)).toContain(verdict);
      const opposite = verdict === 'agree' ? 'disagree' : verdict === 'disagree' ? 'agree' : null;
      if (opposite) expect(evidence.map((e) => e.stance)).not.toContain(opposite);
      else expect(evidence.every((e) => e.stance === 'discuss')).toBe(true);
    }
  });

  it('quotes the title only when it is the best evidence', () => {
    const evidence = chooseEvidence(ranked, text, 'disagree');
    const titleIndex = ranked.find((s) => s.title)?.index;
    const quotedTitle = evidence.some((e) => e.text === text(titleIndex ?? -1));
    const bodyCarrier = ranked.filter((s) => !s.title && s.coverage > 0).sort((a, b) => a.lean * a.coverage - b.lean * b.coverage)[0];
    const titleSignal = ranked.find((s) => s.title);
    if (quotedTitle)
      expect(-(titleSignal?.lean ?? 0) * (titleSignal?.coverage ?? 0)).toBeGreaterThanOrEqual(
        -(bodyCarrier?.lean ?? 0) * (bodyCarrier?.coverage ?? 0),
      );
    expect(chooseEvidence(ranked, text, 'unrelated')).toEqual([]);
  });

  it('shows a sentence for every related verdict: the best-covering one where all point against it, the fallback where none covers the forecast', () => {
    const against = ranked.filter((s) => s.coverage > 0 && s.lean <= -SENTENCE_LEAN);
    expect(against.length).toBeGreaterThan(0);
    const carried = chooseEvidence(against, text, 'agree');
    expect(carried).toEqual([{ text: text(against[0]!.index), stance: 'agree' }]);
    const uncovered = ranked.map((s) => ({ ...s, coverage: 0 }));
    expect(chooseEvidence(uncovered, text, 'discuss', 'Russia and China held talks.')).toEqual([
      { text: 'Russia and China held talks.', stance: 'discuss' },
    ]);
    expect(chooseEvidence(uncovered, text, 'discuss')).toEqual([]);
    expect(chooseEvidence(uncovered, text, 'unrelated', 'Russia and China held talks.')).toEqual([]);
  });
});
