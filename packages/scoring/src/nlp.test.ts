import { describe, expect, it } from 'vitest';
import { analyzeText, WORD_CLASS, type Sentence, type WordClass } from './nlp.ts';

function polarityOf(sentence: Sentence, word: string): number | undefined {
  return sentence.tokens.find((t) => t.lower === word)?.polarity;
}

function classOf(sentence: Sentence, word: string): WordClass | undefined {
  return sentence.tokens.find((t) => t.lower === word)?.cls;
}

function one(text: string, claimMode = false): Sentence {
  const s = analyzeText(text, { claimMode });
  expect(s).toHaveLength(1);
  return s[0] as Sentence;
}

describe('analyzeText: the same text read the same way whatever came before', () => {
  it('splits a possessive the tokenizer kept whole, so a name stays an actor ("to Washington\'s, he said")', () => {
    // wink-nlp keeps "Washington's" whole before a comma and remembers it for the rest of the process.
    const before = one("Washington's plan was set.");
    const comma = one("It was closer to Washington's, he said.");
    const after = one("Washington's plan was set.");
    for (const s of [before, comma, after]) {
      expect(s.tokens.map((t) => t.lower)).toContain('washington');
      expect(s.tokens.find((t) => t.lower === 'washington')?.actor).toBe('US');
    }
    expect(after.tokens.map((t) => `${t.lower}/${t.pos}`)).toEqual(before.tokens.map((t) => `${t.lower}/${t.pos}`));
  });
});

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
    // A relative clause inside the subject has its own verb; the predicate comes after it.
    const relative = one('No African government that is current on its Eurobonds will miss a payment on them during 2025.', true);
    expect(polarityOf(relative, 'miss')).toBe(-1);
    // To miss a payment is not to make it (2.11.0): denied by the subject too, the payment is made.
    expect(polarityOf(relative, 'payment')).toBe(1);
  });

  it('knows reversal verbs that news writes only inflected ("shelved plans to build a pipeline")', () => {
    const shelved = one('Gazprom shelved plans to build a second pipeline to China.');
    expect(classOf(shelved, 'shelved')).toBe(WORD_CLASS.reversal);
    expect(polarityOf(shelved, 'pipeline')).toBe(-1);
  });

  it('lets a verb of decrease reverse an object after a possessive ("dropped its bid to join BRICS")', () => {
    const bid = one('Kazakhstan dropped its bid to join BRICS this year.');
    expect(polarityOf(bid, 'bid')).toBe(-1);
    expect(polarityOf(bid, 'join')).toBe(-1);
    expect(polarityOf(one('India cut its imports of Russian oil.'), 'imports')).toBe(-1);
  });

  it('reads the word a modal governs as a verb where the tagger read an adjective ("will lower its tariff")', () => {
    const lower = one('Washington will lower its tariff on Swiss imports.', true);
    expect(lower.tokens.find((t) => t.lower === 'lower')?.pos).toBe('VERB');
    expect(polarityOf(lower, 'tariff')).toBe(-1);
    // Not cutting the rate is the rate held, as "kept its key rate" reads it.
    const held = one('The Bank of Russia will not lower its key rate at its first meeting.', true);
    expect(polarityOf(held, 'lower')).toBe(-1);
    expect(polarityOf(held, 'rate')).toBe(1);
    expect(polarityOf(one('The Bank of Russia kept its key rate at 21 %.'), 'rate')).toBe(1);
  });

  it('carries an intent noun\'s scope over a time adjunct to its "to" clause ("lost its bid on Tuesday to rejoin")', () => {
    const tuesday = one('Venezuela lost its bid on Tuesday to rejoin the Human Rights Council.');
    expect(polarityOf(tuesday, 'rejoin')).toBe(-1);
    expect(polarityOf(tuesday, 'council')).toBe(-1);
    expect(polarityOf(one('Gazprom dropped its plan last week to build the pipeline.'), 'build')).toBe(-1);
    // A place is no time: the scope still ends at "in Kazakhstan".
    expect(polarityOf(one('Rosatom lost its bid in Kazakhstan to a Chinese rival.'), 'rival')).toBe(1);
  });

  it('reverses what a leaver leaves, not the leaver ("Russia withdrew from the treaty", "will not back out of")', () => {
    const withdrew = one('Russia withdrew from the treaty.');
    expect(polarityOf(withdrew, 'russia')).toBe(1);
    expect(polarityOf(withdrew, 'treaty')).toBe(-1);
    const backed = one('The US backed out of the deal.');
    expect(polarityOf(backed, 'us')).toBe(1);
    expect(polarityOf(backed, 'deal')).toBe(-1);
    // The passive still reverses its subject.
    expect(polarityOf(one('The treaty was withdrawn from consideration.'), 'treaty')).toBe(-1);
    // Not backing out leaves the plan standing: two reversals.
    const notBack = one('The administration will not back out of the plan to sell submarines.', true);
    expect(classOf(notBack, 'back')).toBe(WORD_CLASS.reversal);
    expect(polarityOf(notBack, 'plan')).toBe(1);
    expect(polarityOf(notBack, 'submarines')).toBe(1);
  });

  it('keeps a reversal noun in the subject out of the predicate ("the SWIFT ban will name twelve banks")', () => {
    const s = one('The opening SWIFT ban will name at least twelve Russian banks.', true);
    expect(polarityOf(s, 'name')).toBe(1);
    expect(polarityOf(s, 'banks')).toBe(1);
  });

  it('reads a participle after a negated subject as part of it ("No package adopted in 2024 will contain")', () => {
    const s = one('No EU sanctions package adopted in 2024 will contain any measure aimed at Russian gas.', true);
    expect(polarityOf(s, 'contain')).toBe(-1);
    expect(polarityOf(s, 'measure')).toBe(-1);
    expect(polarityOf(one('No leader from a NATO country attended the parade.'), 'attended')).toBe(-1);
  });

  it('reads "watered down" and "shut out" as reversals ("Micron was shut out of key infrastructure")', () => {
    const shut = one('Micron was shut out of key infrastructure.');
    expect(classOf(shut, 'shut')).toBe(WORD_CLASS.reversal);
    expect(polarityOf(shut, 'micron')).toBe(-1);
    // A proposal to forbid the sale, watered down: the forbidding is undone and the sale goes ahead.
    const watered = one('A proposal to forbid the sale of old tankers was watered down.');
    expect(polarityOf(watered, 'forbid')).toBe(-1);
    expect(polarityOf(watered, 'sale')).toBe(1);
    expect(polarityOf(watered, 'tankers')).toBe(1);
  });

  it('carries a scope across the hyphens of a compound ("halted Russia-bound shipments")', () => {
    const halted = one('China halted Russia-bound shipments of drones in May.');
    expect(polarityOf(halted, 'shipments')).toBe(-1);
    expect(polarityOf(halted, 'drones')).toBe(-1);
    expect(polarityOf(halted, 'may')).toBe(1);
    const sanctions = one('Beijing did not impose Russia-related sanctions on the banks.');
    expect(polarityOf(sanctions, 'sanctions')).toBe(-1);
    expect(polarityOf(sanctions, 'banks')).toBe(1);
    expect(polarityOf(one('China will not approve any new coal-fired power plants in 2024.', true), 'plants')).toBe(-1);
  });

  it('ends a reversal scope at the auxiliary of the clause it modifies ("the agreement curbing subsidies will enter")', () => {
    const curbing = one('The WTO agreement curbing harmful fisheries subsidies will enter into force before the end of 2025.', true);
    expect(polarityOf(curbing, 'subsidies')).toBe(-1);
    expect(polarityOf(curbing, 'enter')).toBe(1);
    const frozen = one("Income generated by Russia's frozen reserves will be used to fund Ukraine.", true);
    expect(polarityOf(frozen, 'used')).toBe(1);
    // "to be" stays inside the scope: what China will not allow is its banks being used.
    expect(polarityOf(one('China will not allow its banks to be used for evasion.', true), 'used')).toBe(-1);
  });

  it('reverses the object of cancel, halt, stop... and the subject of a passive one', () => {
    const active = one('China cancels all military exercises with Russia.');
    expect(classOf(active, 'cancels')).toBe(WORD_CLASS.reversal);
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
    // Keeping from, itself denied, lets it happen.
    const failed = one('Moscow will fail to stop the General Assembly from adopting a text.', true);
    expect(polarityOf(failed, 'stop')).toBe(-1);
    expect(polarityOf(failed, 'adopting')).toBe(1);
    expect(polarityOf(one('Washington will not keep Kyiv from striking Russian refineries.', true), 'striking')).toBe(1);
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
    expect(classOf(one('The coalition lost its majority in the lower house.'), 'lower')).toBe(WORD_CLASS.none);
  });

  it('reads "a wider surplus" and "a narrower deficit" as a change of the gap, not "a wider range"', () => {
    expect(classOf(one('Weaker oil prices left Russia with a wider surplus in the trade.'), 'wider')).toBe(WORD_CLASS.increase);
    expect(classOf(one('India posted a narrower trade deficit with Russia in May.'), 'narrower')).toBe(WORD_CLASS.decrease);
    expect(classOf(one('The talks covered a wider range of issues.'), 'wider')).toBe(WORD_CLASS.none);
  });

  it('denies both halves of "neither ... nor", once each', () => {
    const s = one('China will neither condemn nor sanction Russia.', true);
    expect(polarityOf(s, 'condemn')).toBe(-1);
    expect(polarityOf(s, 'sanction')).toBe(-1);
    expect(polarityOf(one('China will neither condemn Russia nor impose sanctions.', true), 'sanctions')).toBe(-1);
  });

  it('denies what is "unlikely to" or "unlikely that" happen', () => {
    expect(polarityOf(one('China is unlikely to impose sanctions on Russia.', true), 'sanctions')).toBe(-1);
    const banks = one('It is unlikely that Chinese state banks will resume payments.', true);
    expect(polarityOf(banks, 'resume')).toBe(-1);
    expect(polarityOf(banks, 'banks')).toBe(1);
    // A reversal after it is itself denied: the trade goes on.
    expect(polarityOf(one('Western sanctions are unlikely to halt the trade.'), 'trade')).toBe(1);
  });

  it('reads "lift" as ending a restriction, and as raising anything else', () => {
    const seafood = one('China lifted its ban on Japanese seafood imports.');
    expect(polarityOf(seafood, 'ban')).toBe(-1);
    expect(polarityOf(seafood, 'imports')).toBe(1);
    expect(polarityOf(one('The US lifted sanctions on Belarusian potash.'), 'sanctions')).toBe(-1);
    expect(polarityOf(one('Sanctions on Belarusian potash were lifted.'), 'sanctions')).toBe(-1);
    expect(polarityOf(one('The EU will not lift sanctions on Russia.'), 'sanctions')).toBe(1);
    const output = one('OPEC+ will lift output in May.');
    expect(polarityOf(output, 'output')).toBe(1);
    expect(classOf(output, 'lift')).toBe(WORD_CLASS.none);
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
    expect(classOf(s, 'cut')).toBe(WORD_CLASS.decrease);
  });

  it('reads a fresh monthly high as a record', () => {
    expect(classOf(one('Arrivals set a fresh monthly high in November.'), 'high')).toBe(WORD_CLASS.increase);
    expect(classOf(one('The yen hit a new low.'), 'low')).toBe(WORD_CLASS.decrease);
  });

  it('knows words of increase and decrease, including record highs and lows', () => {
    const s = one('Trade fell to a record low while oil imports hit an all-time high.');
    expect(classOf(s, 'fell')).toBe(WORD_CLASS.decrease);
    expect(classOf(s, 'low')).toBe(WORD_CLASS.decrease);
    expect(classOf(s, 'high')).toBe(WORD_CLASS.increase);
  });

  it("knows news's words for halving, tripling and sliding, which WordNet files elsewhere", () => {
    const s = one("Russia's surplus roughly halved and its oil exports slipped, while Chinese car sales tripled.");
    expect(classOf(s, 'halved')).toBe(WORD_CLASS.decrease);
    expect(classOf(s, 'slipped')).toBe(WORD_CLASS.decrease);
    expect(classOf(s, 'tripled')).toBe(WORD_CLASS.increase);
    expect(classOf(one('The trade gap narrowed to $13bn as imports tumbled.'), 'narrowed')).toBe(WORD_CLASS.decrease);
  });

  it('tags the actors a name stands for', () => {
    const s = one('Beijing and the Kremlin met in Minsk with Lukashenko.');
    expect(s.tokens.find((t) => t.lower === 'beijing')?.actor).toBe('CN');
    expect(s.tokens.find((t) => t.lower === 'kremlin')?.actor).toBe('RU');
    expect(s.tokens.find((t) => t.lower === 'lukashenko')?.actor).toBe('BY');
  });
});

describe('analyzeText: news words for what did not happen', () => {
  it('reads skipping, snubbing and staying away as not taking part', () => {
    const s = one('Yerevan skipped the CSTO summit and stayed away from the drills.');
    expect(polarityOf(s, 'summit')).toBe(-1);
    expect(polarityOf(s, 'drills')).toBe(-1);
    expect(polarityOf(one('Modi snubbed the summit in Moscow.'), 'summit')).toBe(-1);
  });

  it('reads what is yet to be done, or still has to be, as not done', () => {
    expect(polarityOf(one('Important details, including pricing, still have to be worked out.'), 'pricing')).toBe(-1);
    const s = one('Beijing has yet to approve the deal.');
    expect(polarityOf(s, 'approve')).toBe(-1);
    expect(polarityOf(s, 'deal')).toBe(-1);
    expect(polarityOf(one('The contract is yet to be signed, officials said.'), 'contract')).toBe(-1);
    expect(polarityOf(one('The price remains to be agreed.'), 'price')).toBe(-1);
    expect(polarityOf(one('Yet the talks went ahead in May.'), 'talks')).toBe(1);
    expect(polarityOf(one('Gazprom signed the memorandum, but the price has yet to be agreed.'), 'memorandum')).toBe(1);
  });

  it('reads supplies drying up and a plan put on hold or on ice as not happening', () => {
    expect(polarityOf(one("China's gallium shipments dry up in first month of licensing."), 'shipments')).toBe(-1);
    expect(polarityOf(one('The talks petered out in March.'), 'talks')).toBe(-1);
    expect(polarityOf(one('Sinopec has put the petrochemical investment on ice.'), 'investment')).toBe(-1);
    expect(polarityOf(one('Yerevan put its CSTO membership on hold.'), 'membership')).toBe(-1);
    expect(polarityOf(one('He put the file on the table.'), 'file')).toBe(1);
  });

  it('reverses what a rejected demand or dropped plan intended, and reads selling a stake or lease as giving it up', () => {
    const demand = one('EU rejects Russian demand to reconnect farm bank to SWIFT.');
    expect(polarityOf(demand, 'reconnect')).toBe(-1);
    expect(polarityOf(demand, 'bank')).toBe(-1);
    expect(polarityOf(one('EU rejects Russian bank fees to SWIFT members.'), 'swift')).toBe(1);
    const lease = one('Landbridge has agreed to sell its 99-year lease on the Port of Darwin.');
    expect(classOf(lease, 'sell')).toBe(WORD_CLASS.reversal);
    expect(polarityOf(lease, 'lease')).toBe(-1);
    expect(polarityOf(lease, 'darwin')).toBe(1);
    const oil = one('Russia sells oil to China.');
    expect(classOf(oil, 'sells')).toBe(WORD_CLASS.none);
    expect(polarityOf(oil, 'oil')).toBe(1);
  });

  it('reads removing, repealing or vetoing something, and a name dropped from a text, as undoing it', () => {
    expect(polarityOf(one('EU removes Chinese banks from the 18th package.'), 'banks')).toBe(-1);
    expect(polarityOf(one('Russia vetoed the resolution.'), 'resolution')).toBe(-1);
    // A ban removed lets what it governed go ahead.
    expect(polarityOf(one('The ministry removed the ban on exports.'), 'exports')).toBe(1);
    const dropped = one('Two Chinese banks that the Commission had proposed to list were dropped from the final text.');
    expect(polarityOf(dropped, 'banks')).toBe(-1);
    expect(polarityOf(dropped, 'list')).toBe(-1);
    expect(polarityOf(dropped, 'text')).toBe(1);
  });

  it('reads troops or firms leaving a place as a presence withdrawn, and a leader leaving a capital as no withdrawal', () => {
    const troops = one('The last Russian peacekeepers have left Karabakh.');
    expect(classOf(troops, 'left')).toBe(WORD_CLASS.reversal);
    expect(polarityOf(troops, 'peacekeepers')).toBe(-1);
    expect(polarityOf(one('Western brands left the country in 2022.'), 'brands')).toBe(-1);
    expect(polarityOf(one('Putin left Pyongyang for Hanoi.'), 'putin')).toBe(1);
    expect(polarityOf(one('The bank left rates unchanged.'), 'bank')).toBe(1);
  });

  it('reads what is not on the table, or off the agenda, as ruled out, and not who said so', () => {
    const swift = one('A spokeswoman said reconnecting banks to SWIFT, which is subject to EU law, was not on the table.');
    expect(polarityOf(swift, 'reconnecting')).toBe(-1);
    expect(polarityOf(swift, 'swift')).toBe(-1);
    expect(polarityOf(swift, 'spokeswoman')).toBe(1);
    expect(polarityOf(one('A gas deal is off the table.'), 'deal')).toBe(-1);
    expect(polarityOf(one('The report is on the table.'), 'report')).toBe(1);
  });

  it('reads a contract and a limit as nouns, not as shrinking and cutting ("long-term contracts")', () => {
    expect(classOf(one('Chinese buyers hold long-term contracts with US producers.'), 'contracts')).toBe(WORD_CLASS.none);
    expect(classOf(one('Iran exceeded the 3.67% limit.'), 'limit')).toBe(WORD_CLASS.none);
    expect(classOf(one('The economy will contract in 2024.'), 'contract')).toBe(WORD_CLASS.decrease);
    expect(polarityOf(one('The EU will limit imports.'), 'imports')).toBe(-1);
  });

  it('reads turning away or sending back a payment as refusing it, and falling foul of a rule as no fall', () => {
    expect(polarityOf(one('More Chinese banks turn away yuan payments from Russia.'), 'payments')).toBe(-1);
    expect(polarityOf(one('Lenders are sending back yuan transfers.'), 'transfers')).toBe(-1);
    const foul = one('Banks fear falling foul of U.S. sanctions.');
    expect(classOf(foul, 'falling')).toBe(WORD_CLASS.none);
    expect(polarityOf(foul, 'sanctions')).toBe(1);
    expect(classOf(one('Exports are falling fast.'), 'falling')).toBe(WORD_CLASS.decrease);
    expect(classOf(one('Russian coal lost ground in China last year.'), 'lost')).toBe(WORD_CLASS.decrease);
    expect(classOf(one('Chinese brands gained ground in Russia.'), 'gained')).toBe(WORD_CLASS.increase);
  });

  it('reads failing or missing something as not achieving it, and leaves "fail to" and the intransitive alone', () => {
    expect(polarityOf(one('Micron failed a network security review in May.'), 'review')).toBe(-1);
    expect(polarityOf(one('The company missed the deadline.'), 'deadline')).toBe(-1);
    expect(polarityOf(one('Ministers failed to approve the package.'), 'approve')).toBe(-1);
    expect(polarityOf(one('The motion failed on Tuesday.'), 'tuesday')).toBe(1);
  });
});

describe('analyzeText: headlines and what keeps out, removes or ends', () => {
  it('reads a headline verb the tagger takes for a plural noun ("Trump shelves Greenland tariffs")', () => {
    const shelves = one('Trump shelves Greenland tariffs on eight European countries');
    expect(shelves.tokens.find((t) => t.lower === 'shelves')).toMatchObject({ pos: 'VERB', lemma: 'shelve', cls: WORD_CLASS.reversal });
    expect(polarityOf(shelves, 'tariffs')).toBe(-1);
    expect(polarityOf(one('EU axes tariff plan'), 'plan')).toBe(-1);
    expect(polarityOf(one('Kazakhstan drops bid to join BRICS'), 'join')).toBe(-1);
    expect(one('US lifts sanctions on Belarus potash').tokens.find((t) => t.lower === 'lifts')?.pos).toBe('VERB');
    expect(polarityOf(one('IMO shelves shipping carbon levy for a year'), 'levy')).toBe(-1);
    // A plural noun before the verb stays a noun, and a verb form with no class is left as tagged.
    const noun = one('EU sanctions hit Chinese firms');
    expect(noun.tokens.find((t) => t.lower === 'sanctions')?.pos).not.toBe('VERB');
    expect(polarityOf(noun, 'firms')).toBe(1);
  });

  it('reads barring, shutting out and withholding as keeping out ("bars US-sanctioned tankers")', () => {
    expect(polarityOf(one('Shandong Port Group bars US-sanctioned tankers'), 'tankers')).toBe(-1);
    expect(polarityOf(one('The port has shut its terminals to the tankers.'), 'terminals')).toBe(-1);
    expect(polarityOf(one('Several participants withheld their signatures.'), 'signatures')).toBe(-1);
  });

  it('reads removal from office, and undoes the post one is removed from', () => {
    expect(polarityOf(one('Xi signs decree dismissing Defence Minister Li Shangfu'), 'minister')).toBe(-1);
    const removed = one('Xi signed a decree removing Li Shangfu from the post of defence minister.');
    expect(polarityOf(removed, 'shangfu')).toBe(-1);
    expect(polarityOf(removed, 'minister')).toBe(-1);
    // Other verbs keep the circumstance affirmed.
    expect(polarityOf(one('China cancelled the drills from the start of May.'), 'may')).toBe(1);
  });

  it('reads a mandate that ran out or lapsed as ended, but not what one ran out of', () => {
    expect(polarityOf(one("The council's authorisation for the deliveries ran out on Monday."), 'authorisation')).toBe(-1);
    expect(polarityOf(one('The cross-border mandate lapsed.'), 'mandate')).toBe(-1);
    expect(polarityOf(one('The army ran out of shells.'), 'army')).toBe(1);
  });

  it('denies what is kept out of, off or away from something, and what is kept free of', () => {
    const out = one("Beijing will keep its troops out of Russia's Victory Day parade.", true);
    expect(polarityOf(out, 'troops')).toBe(-1);
    expect(polarityOf(out, 'parade')).toBe(1);
    expect(polarityOf(one('Kyiv will keep the Druzhba pipeline off its list of targets.', true), 'pipeline')).toBe(-1);
    const free = one('Russia will keep its drone programme free of foreign-made engines.', true);
    expect(polarityOf(free, 'engines')).toBe(-1);
    expect(polarityOf(free, 'programme')).toBe(1);
    expect(polarityOf(one('Prices will keep rising.', true), 'rising')).toBe(1);
  });

  it('reads what is voted down, and what is on hold or on ice, as not going ahead', () => {
    expect(polarityOf(one('The council voted down the budget.'), 'budget')).toBe(-1);
    expect(polarityOf(one('The budget was voted down.'), 'budget')).toBe(-1);
    expect(polarityOf(one('UN rights council votes down Western bid to debate Xinjiang'), 'debate')).toBe(-1);
    expect(polarityOf(one('The pipeline project is on hold.'), 'project')).toBe(-1);
    expect(polarityOf(one('Talks with Sibur remain on ice.'), 'talks')).toBe(-1);
    // A vote taken, and a hold put on nothing, stay as they are.
    expect(polarityOf(one('The council voted on the budget.'), 'budget')).toBe(1);
    expect(polarityOf(one('The minister was on holiday.'), 'minister')).toBe(1);
  });

  it('carries a denial over a phrasal verb\'s particle ("no steps to carry out the agreement")', () => {
    const s = one('Turkey has taken no steps to carry out the agreement.');
    expect(polarityOf(s, 'agreement')).toBe(-1);
    // A preposition after a noun still ends it.
    expect(polarityOf(one('China did not impose sanctions on Russia.'), 'russia')).toBe(1);
  });

  it('reads an adjective after a headline reversal as its object, not the verb as passive', () => {
    const s = one('UAMPS and NuScale scrap first U.S. small modular reactor plant');
    expect(polarityOf(s, 'nuscale')).toBe(1);
    expect(polarityOf(s, 'reactor')).toBe(-1);
    expect(polarityOf(one('Joint drills cancelled last week'), 'drills')).toBe(-1);
  });
});

describe('analyzeText: quantities', () => {
  it('reads money with multipliers and the year it belongs to', () => {
    const s = one('Trade reached $240.1 billion in 2023, up 26.3%.');
    expect(s.quantities).toEqual([
      { value: 240.1e9, unit: 'usd', index: expect.any(Number), bound: 0, year: 2023 },
      { value: 26.3, unit: 'percent', index: expect.any(Number), bound: 0, year: 2023, change: true },
    ]);
  });

  it('dates "last year" and "this year" from the text\'s own year, and only where it has one', () => {
    const text = 'Trade hit a record of nearly $100 billion last year. In the first half of this year it rose 12%.';
    const dated = analyzeText(text, { year: 2025.46 });
    expect(dated.map((s) => s.quantities.map((q) => [q.value, q.year]))).toEqual([[[100e9, 2024]], [[12, 2025]]]);
    expect(dated.map((s) => s.years)).toEqual([[2024], [2025]]);
    // A named year still belongs to its figure; an undated text's "last year" names none.
    expect(analyzeText('Exports reached $90 billion in 2023, up from last year.', { year: 2025 })[0]?.quantities[0]?.year).toBe(2023);
    expect(analyzeText(text).map((s) => s.quantities[0]?.year)).toEqual([undefined, undefined]);
    expect(analyzeText('Ministers will meet again next year.', { year: 2024.9 })[0]?.years).toEqual([2025]);
  });

  it('reads a format\'s name ("2+2 talks", "the C5+1 summit") as no count', () => {
    expect(one('Ministers held their 2+2 security talks in Washington.').quantities).toEqual([]);
    expect(one('The C5+1 summit drew 6 leaders.').quantities.map((q) => q.value)).toEqual([6]);
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

  it('reads a bound after the figure ("8 million tonnes or less") and a denied one ("no more than 5")', () => {
    const bound = (text: string) => one(text).quantities.map((q) => q.bound);
    expect(bound('Exports will be held to 8 million tonnes or less.')).toEqual([-1]);
    expect(bound('The bloc wants 25 votes or more.')).toEqual([1]);
    expect(bound('No more than 5 ships took part.')).toEqual([-1]);
    expect(bound('No fewer than 20 ships took part.')).toEqual([1]);
    expect(bound('More than 20 ships took part.')).toEqual([1]);
  });

  it('reads "topping" and "surpassing" a figure as a lower bound', () => {
    const s = one('Taiwan proposes a 23% jump in defence spending, topping 3% of GDP.');
    expect(s.quantities.map((q) => [q.value, q.unit, q.bound])).toEqual([
      [23, 'percent', 0],
      [3, 'percent', 1],
    ]);
    expect(one('Exports are surpassing 40% of output.').quantities.map((q) => q.bound)).toEqual([1]);
  });

  it('marks a figure of change ("fallen by 90 %", "grew 5 %", "up 3 %", "a 22.9 per cent increase")', () => {
    const change = (text: string) => one(text).quantities.map((q) => [q.value, q.change ?? false]);
    expect(change('Sales have fallen by 90 %, leaving them with shares of 8.5 % and 7 %.')).toEqual([
      [90, true],
      [8.5, false],
      [7, false],
    ]);
    expect(change('Exports grew 5 % to 3.2 % of GDP.')).toEqual([
      [5, true],
      [3.2, false],
    ]);
    expect(change('Chinese exports to Russia will grow by more than 15% in 2024.')).toEqual([[15, true]]);
    expect(change('Trade was up 3 % on the year.')).toEqual([[3, true]]);
    expect(change('It is a 22.9 per cent increase in spending.')).toEqual([[22.9, true]]);
    expect(change("Russia's share rose to 40%.")).toEqual([[40, false]]);
  });

  it('reads a day of the month as a date, not a count ("STRASBOURG, January 21", "on 5 December")', () => {
    expect(one('STRASBOURG, January 21 - the parliament voted.').quantities).toEqual([]);
    expect(one('Twelve banks were cut off on 5 December, and 30 on March 2.').quantities.map((q) => [q.value, q.unit])).toEqual([
      [12, 'count'],
      [30, 'count'],
    ]);
  });

  it('reads "the first half of 2025" as a period, not a share', () => {
    expect(one('Deliveries fell in the first half of 2025.').quantities).toEqual([]);
    expect(one('Shipments rose in the second half of the year.').quantities).toEqual([]);
    expect(one('Half of the trade is settled in yuan.').quantities.map((q) => q.value)).toEqual([50]);
  });

  it('reads "half a century" as time, not a share', () => {
    const s = one("Russia's share has dropped to its lowest level in more than half a century, while half of its sales go to India.");
    expect(s.quantities.map((q) => [q.value, q.unit])).toEqual([[50, 'percent']]);
  });

  it('reads numbers spelled out from ten to ninety-nine, and small ones with what they count', () => {
    const s = one('Sixteen foreign leaders attended, short of the more than 20 officials had promised.');
    expect(s.quantities.map((q) => [q.value, q.unit, q.bound])).toEqual([
      [16, 'count', 0],
      [20, 'count', 1],
    ]);
    expect(one('Twenty-five countries and thirty per cent of the fleet.').quantities.map((q) => [q.value, q.unit])).toEqual([
      [25, 'count'],
      [30, 'percent'],
    ]);
    expect(one('Two banks and one of their partners stopped.').quantities.map((q) => [q.value, q.counted])).toEqual([[2, ['bank']]]);
    expect(one('The talks lasted two days.').quantities).toEqual([]);
    expect(one('They met three times.').quantities).toEqual([]);
  });

  it('does not take the number in a name for a quantity', () => {
    expect(one('Talks on Power of Siberia 2 could resume.').quantities).toEqual([]);
  });
});
