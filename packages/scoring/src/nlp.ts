/**
 * Linguistic analysis shared by claims and articles: sentences, tokens with part of speech and lemma
 * (wink-nlp and its English model), the actor each name stands for (`gazetteer.ts`), and what the
 * direction analysis needs on each token: whether it sits in the scope of a negation or of a word that
 * reverses the event it governs (cancel, halt, refuse, deny...), whether it is a word of increase or of
 * decrease (WordNet classes, `weights/lexicon.json`), and the quantities a sentence states with their
 * units and years.
 *
 * Polarity is a parity: each negation and each reversal word whose scope covers a token flips it, so
 * "did not cancel the drills" leaves "drills" affirmed and "halted payments" denies "payments".
 */
import winkNLP, { type ItemSentence, type WinkMethods } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import { tagActors } from './gazetteer.ts';
import lexiconJson from './weights/lexicon.json' with { type: 'json' };
import { stem } from './text.ts';

export interface Lexicon {
  classes: { reversal: string[]; increase: string[]; decrease: string[] };
  antonyms: Record<string, string[]>;
  related: Record<string, string[]>;
}

export const WORD_CLASS = { none: 0, reversal: 1, increase: 2, decrease: 3 } as const;
export type WordClass = (typeof WORD_CLASS)[keyof typeof WORD_CLASS];

export interface Token {
  text: string;
  lower: string;
  lemma: string;
  /** Matching key: the stemmed lemma of a content word, '' for function words and punctuation. */
  key: string;
  pos: string;
  /** Actor code from the gazetteer, or ''. */
  actor: string;
  /** -1 when an odd number of negations and reversal words cover the token, else +1. */
  polarity: 1 | -1;
  cls: WordClass;
  /** A modal or hedging word (may, could, plans, talks, reportedly...). */
  hedge: boolean;
}

export type Unit = 'usd' | 'eur' | 'cny' | 'rub' | 'percent' | 'bpd' | 'barrel' | 'tonne' | 'm3' | 'count';

export interface Quantity {
  value: number;
  unit: Unit;
  /** Index of the number's first token. */
  index: number;
  /** The year the sentence ties it to (nearest year mention), if any. */
  year?: number;
  /** Stated as a bound: -1 "below/under/less than" the value, +1 "above/over/more than" it, 0 the value itself. */
  bound: -1 | 0 | 1;
  /**
   * How the figure is named: `reference` after a determiner ("short of the $100 billion target", "its
   * 90 per cent goal"), a figure named rather than measured; `start` after "from" ("from 5 % to 50 %"),
   * where a change began.
   */
  role?: 'reference' | 'start';
  /** For a small number spelled out ("two research vessels"): the content keys of what it counts. */
  counted?: string[];
  /** The figure is a change, not a level: "sales have fallen by 90 %", "grew 5 %", "up 3 %", "a 23 % jump". */
  change?: boolean;
  /** A percentage of something, a level: "30 % of sales", "15 per cent of imports". */
  share?: boolean;
}

export interface Sentence {
  text: string;
  tokens: Token[];
  quantities: Quantity[];
  years: number[];
  /** Share of the sentence's clauses that carry a hedge (0..1, 1 for one hedged clause). */
  hedged: number;
}

const lexicon = lexiconJson as unknown as Lexicon;

function keysOf(words: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const w of words) if (!w.includes('_')) out.add(stem(w));
  return out;
}

const REVERSAL = keysOf(lexicon.classes.reversal);
// News's words for not taking part, which WordNet files under other verbs: "skipped the summit",
// "snubbed the talks", "abstained on the resolution".
for (const w of ['skip', 'snub', 'shun', 'spurn', 'forgo', 'forego', 'abstain']) REVERSAL.add(stem(w));
// And for undoing or striking out: "removed Chinese banks from the package", "repealed the law".
for (const w of ['remove', 'revoke', 'rescind', 'repeal', 'annul', 'axe', 'ditch', 'veto', 'overturn', 'expel', 'exclude'])
  REVERSAL.add(stem(w));
// And for keeping out or holding back: "barred sanctioned tankers", "shut its terminals to them", "withheld
// their signatures".
for (const w of ['bar', 'shut', 'withhold']) REVERSAL.add(stem(w));
// And for removal from office: "dismissed the defence minister", "ousted the prime minister".
for (const w of ['dismiss', 'oust', 'sack', 'depose', 'unseat', 'topple']) REVERSAL.add(stem(w));
const INCREASE = keysOf(lexicon.classes.increase);
const DECREASE = keysOf(lexicon.classes.decrease);
// News's words for change by a multiple or a slide, which WordNet files under other senses: "the surplus
// halved", "exports slipped", "sales tripled".
for (const w of ['triple', 'treble', 'quadruple', 'balloon', 'spike', 'leap', 'rocket', 'skyrocket', 'rebound']) INCREASE.add(stem(w));
for (const w of ['halve', 'narrow', 'slip', 'dip', 'tumble', 'sink', 'slide', 'plummet', 'diminish', 'erode', 'sag', 'ebb'])
  DECREASE.add(stem(w));
/** Phrasal reversal verbs ("call off", "pull out"), as "verb particle" over lemmas. */
const PHRASAL = new Map<string, WordClass>();
for (const [cls, words] of [
  [WORD_CLASS.reversal, lexicon.classes.reversal],
  [WORD_CLASS.increase, lexicon.classes.increase],
  [WORD_CLASS.decrease, lexicon.classes.decrease],
] as const) {
  for (const w of words) if (w.includes('_') && w.split('_').length === 2) PHRASAL.set(w.replace('_', ' '), cls);
}
// News phrasings that WordNet lists under other verbs, among them news's words for not taking part.
for (const p of [
  'pull out',
  'walk away',
  'back away',
  'wind down',
  'phase out',
  'cut off',
  'shut down',
  'hold off',
  'stay away',
  'keep away',
  'stay out',
  'sit out',
  'opt out',
  'bow out',
  'steer clear',
  'turn away',
  'send back',
  // Struck out or kept out: "the proposal was watered down", "Micron was shut out of key infrastructure".
  'water down',
  'shut out',
  // Out of a race or a meeting: "dropped out of the talks"; out of a scheme: "will keep out of the Belt and Road".
  'drop out',
  'keep out',
  // Voted out: "the council votes down a Western bid to debate Xinjiang".
  'vote down',
])
  PHRASAL.set(p, WORD_CLASS.reversal);
// A market share lost or gained: "Russian coal lost ground in China".
PHRASAL.set('lose ground', WORD_CLASS.decrease);
PHRASAL.set('gain ground', WORD_CLASS.increase);

/**
 * Verbs whose subject is the event that did not happen when they take no object: "the motion failed",
 * "talks collapsed", "the deal fell through". (The lexicon leaves fail and collapse out of the
 * reversal class because their transitive and "fail to" uses are handled apart.)
 */
const FAILURE_VERBS = new Set(['fail', 'collapse', 'stall', 'falter', 'founder', 'expire', 'lapse']);
const FAILURE_PHRASAL = new Set(['break down', 'fall through', 'fall apart', 'dry up', 'peter out', 'fizzle out', 'run out']);
/** Forms the tagger does not lemmatise to these verbs ("petered", "dry" taken for the adjective). */
const FAILURE_FORMS = new Map([
  ['dried', 'dry'],
  ['dries', 'dry'],
  ['drying', 'dry'],
  ['petered', 'peter'],
  ['petering', 'peter'],
  ['fizzled', 'fizzle'],
  ['fizzling', 'fizzle'],
  ['lapsed', 'lapse'],
  ['expired', 'expire'],
]);
/** "put the project on hold", "put its membership on ice": what lies between is shelved. */
const SHELVED = new Set(['hold', 'ice']);
/**
 * Verbs that end or deny what they govern when they take an object: "ending the voluntary cuts", "lost its
 * majority" (to lose is to cease to have), "failed a security review", "missed the deadline" (2.11.0).
 * Intransitive and nominal uses ("the end of 2025", "the motion failed") are left alone.
 */
const ENDING_VERBS = new Set(['end', 'lose', 'fail', 'miss']);
/** Where "keep X out of / off / away from / free of / clear of" turns, after an object of at most six words; -1 if it does not. */
function keptOut(tokens: readonly Token[], i: number): number {
  for (let k = i + 1; k < tokens.length && k <= i + 7; k++) {
    const w = tokens[k]?.lower ?? '';
    const next = tokens[k + 1]?.lower ?? '';
    if (((w === 'out' || w === 'free' || w === 'clear') && next === 'of') || (w === 'away' && next === 'from')) return k;
    if (w === 'off' && (tokens[k + 1]?.pos === 'DET' || POSSESSIVES.has(next) || tokens[k + 1]?.pos === 'NOUN')) return k;
    if (isBoundary(tokens[k] as Token) || tokens[k]?.pos === 'VERB' || tokens[k]?.pos === 'AUX') return -1;
  }
  return -1;
}

/** What makes "high" and "low" a record: "a record high", "an all-time low", "a fresh monthly high". */
const RECORD_BEFORE = new Set(['record', 'time', 'new', 'fresh', 'monthly', 'annual', 'yearly', 'weekly', 'daily', 'multi-year']);

/** Verbs whose "from" clause is what a forecast denies: "will keep Russia from joining". */
const KEEPING_FROM = new Set(['keep', 'bar', 'stop', 'prevent', 'deter']);

/** Particles of phrasal verbs ("carry out", "set up", "pull back"). */
const PARTICLES = new Set(['out', 'up', 'down', 'off', 'back', 'over', 'through']);

/** Verbs that take their object out of somewhere: the place it leaves is in their scope. */
const REMOVAL = new Set(['remove', 'expel', 'exclude', 'oust', 'dismiss', 'sack', 'strip', 'evict']);
/**
 * Nouns of intent whose "to" clause is what they intend: rejecting a "demand to reconnect" leaves the
 * reconnection undone, as dropping a "bid to join" leaves the joining (the tagger may call that "to" a
 * preposition).
 */
const INTENT_NOUNS = new Set([
  'demand',
  'request',
  'bid',
  'plan',
  'proposal',
  'call',
  'push',
  'attempt',
  'effort',
  'offer',
  'move',
  'decision',
  'order',
  'agreement',
  'deal',
]);
/** What is withdrawn when it leaves a place: "the last French troops leave Chad", "Western brands left Russia". */
const PRESENCE_NOUNS = new Set([
  'troop',
  'force',
  'soldier',
  'peacekeeper',
  'personnel',
  'contingent',
  'diplomat',
  'staff',
  'company',
  'firm',
  'brand',
  'carmaker',
  'investor',
  'bank',
]);
/** Places a presence leaves besides named ones: "left the country", "left the market". */
const PLACE_NOUNS = new Set(['country', 'region', 'market', 'base', 'territory', 'zone']);
/** What an owner sells to give it up: "sold its stake in", "agreed to sell Darwin Port lease". */
const OWNED_NOUNS = new Set([
  'stake',
  'lease',
  'holding',
  'share',
  'interest',
  'unit',
  'subsidiary',
  'business',
  'asset',
  'operation',
  'concession',
]);
const OBJECT_POS = new Set(['DET', 'NOUN', 'PROPN', 'ADJ', 'PRON', 'NUM']);
/** A token that is a year. After "end" it is when, not what ("ended 2024 with its weakest showing"). */
export const YEAR = /^(?:19|20)\d\d$/;

const NEGATORS = new Set(['not', "n't", 'no', 'never', 'neither', 'nor', 'without', 'none', 'nobody', 'nothing', 'nowhere', 'cannot']);
/** Words that end a negation's or reversal's scope. */
const BOUNDARY_WORDS = new Set([
  'but',
  'while',
  'although',
  'though',
  'whereas',
  'because',
  'since',
  'yet',
  'however',
  'which',
  'who',
  'after',
  'before',
  'as',
  'unless',
  'even',
  'instead',
  'despite',
  // A time clause has its own predicate: "will not agree to another rollover | when its extension runs out".
  'when',
  'until',
]);
const BE_FORMS = new Set(['be', 'is', 'are', 'was', 'were', 'been', 'being', "'s"]);
const HEDGES = new Set([
  'may',
  'might',
  'could',
  'would',
  'should',
  'plan',
  'plans',
  'planned',
  'planning',
  'consider',
  'considering',
  'considered',
  'propose',
  'proposed',
  'proposal',
  'expect',
  'expected',
  'expects',
  'aim',
  'aims',
  'aiming',
  'intend',
  'intends',
  'seek',
  'seeks',
  'likely',
  'unlikely',
  'possible',
  'possibly',
  'potential',
  'potentially',
  'reportedly',
  'allegedly',
  'rumour',
  'rumor',
  'speculation',
  'if',
  'whether',
  'negotiate',
  'negotiating',
  'discuss',
  'discussing',
  'discussed',
  'hope',
  'hopes',
  'perhaps',
  'maybe',
  'forecast',
  'forecasts',
  'predict',
  'predicts',
  'projected',
  'envisage',
  'envisages',
  'pledge',
  'pledged',
  'vowed',
  'vow',
  'promise',
  'promised',
  'ready',
  'willing',
  'mull',
  'mulls',
  'weigh',
  'weighs',
  'weighing',
  'prospect',
  'prospects',
  'scenario',
  'warn',
  'warns',
  'warned',
  'threaten',
  'threatens',
  'threatened',
]);
const CONTENT_POS = new Set(['NOUN', 'VERB', 'ADJ', 'PROPN', 'ADV', 'NUM']);
const FUNCTION_LEMMAS = new Set([
  'be',
  'have',
  'do',
  'will',
  'would',
  'say',
  'also',
  'year',
  'new',
  'more',
  'most',
  'other',
  'such',
  'own',
  'very',
  'just',
  'now',
  'then',
  'there',
  'here',
  'so',
  'well',
  'even',
  'still',
  'rather',
  'instead',
  'unlikely',
  'never',
  'probably',
  'possibly',
  'perhaps',
  'only',
  'this',
  'that',
  'last',
  'first',
  'next',
  'keep',
  'continue',
  'remain',
  'stay',
  'get',
  'make',
  'take',
  'go',
  'come',
  'week',
  'month',
  'day',
  'time',
  'since',
  'ago',
  'already',
  'again',
  'further',
  'far',
  'much',
  'many',
  'any',
  'some',
  'each',
  'every',
  'both',
  'either',
  'per',
  'cent',
]);

const MULTIPLIERS: Record<string, number> = {
  thousand: 1e3,
  k: 1e3,
  million: 1e6,
  mln: 1e6,
  mn: 1e6,
  m: 1e6,
  billion: 1e9,
  bn: 1e9,
  b: 1e9,
  bln: 1e9,
  trillion: 1e12,
  tn: 1e12,
  trln: 1e12,
};
const UNIT_WORDS: Record<string, Unit> = {
  dollar: 'usd',
  dollars: 'usd',
  usd: 'usd',
  euro: 'eur',
  euros: 'eur',
  eur: 'eur',
  yuan: 'cny',
  renminbi: 'cny',
  rmb: 'cny',
  cny: 'cny',
  ruble: 'rub',
  rubles: 'rub',
  rouble: 'rub',
  roubles: 'rub',
  rub: 'rub',
  percent: 'percent',
  'per cent': 'percent',
  '%': 'percent',
  bpd: 'bpd',
  'b/d': 'bpd',
  barrel: 'barrel',
  barrels: 'barrel',
  tonne: 'tonne',
  tonnes: 'tonne',
  ton: 'tonne',
  tons: 'tonne',
  mt: 'tonne',
  bcm: 'm3',
  cubic: 'm3',
};
const FRACTIONS: Record<string, number> = {
  'a third': 100 / 3,
  'one third': 100 / 3,
  'two thirds': 200 / 3,
  'a quarter': 25,
  'one quarter': 25,
  'three quarters': 75,
  'a fifth': 20,
  'one fifth': 20,
  'a tenth': 10,
};
/** What "lift" ends rather than raises: "lifted its ban on", "lift sanctions", "lifted the arms embargo". */
const RESTRICTIONS = new Set([
  'ban',
  'sanction',
  'embargo',
  'restriction',
  'curb',
  'control',
  'tariff',
  'moratorium',
  'blockade',
  'freeze',
  'suspension',
  'veto',
  'threat',
  'objection',
  'limit',
  'cap',
  'quota',
  'lockdown',
  'siege',
  'boycott',
  'prohibition',
  'barrier',
]);

function isRestriction(t: Token): boolean {
  // The tagger calls a sentence-initial "Sanctions" a proper noun, whose lemma keeps the plural.
  return RESTRICTIONS.has(t.lemma) || RESTRICTIONS.has(t.lower.replace(/s$/, ''));
}

/**
 * "lift" with a restriction as its object ends it ("China lifted its ban on Japanese seafood", "sanctions
 * were lifted"); with anything else it raises ("lift output", "lifted its growth forecast").
 */
function liftsRestriction(tokens: readonly Token[], i: number): boolean {
  // The passive: "sanctions on Belarusian potash were lifted".
  if (tokens[i - 1]?.lemma === 'be')
    for (let k = i - 2; k >= Math.max(0, i - 7); k--) {
      if (tokens[k]?.pos === 'PUNCT' || tokens[k]?.pos === 'VERB') break;
      if (isRestriction(tokens[k] as Token)) return true;
    }
  for (let k = i + 1; k < Math.min(tokens.length, i + 6); k++) {
    const t = tokens[k] as Token;
    if (isRestriction(t)) return true;
    // An object's words, but a pronoun other than its / their ("lifted it", "lift them up").
    if (!(OBJECT_POS.has(t.pos) && (t.pos !== 'PRON' || t.lower === 'its' || t.lower === 'their')) && t.pos !== 'PART' && t.lower !== '-')
      return false;
  }
  return false;
}

/** Superlatives and record phrases: "record high", "all-time high", "the lowest since 2019". */
const SUPERLATIVE: Record<string, WordClass> = {
  highest: 2,
  strongest: 2,
  biggest: 2,
  largest: 2,
  lowest: 3,
  weakest: 3,
  smallest: 3,
  slowest: 3,
};
/**
 * "Wider" and "narrower" before a gap between two figures report its change: "left Russia with a wider
 * surplus", "a narrower trade deficit" ("a wider range of issues" does not). Not "bigger", "larger" or
 * "smaller", which compare things more often than they report a change ("a smaller 3.4 % fall").
 */
const CHANGED_TO: Record<string, WordClass> = { wider: 2, narrower: 3 };
const GAP_NOUNS = new Set(['surplus', 'deficit', 'gap', 'discount', 'premium', 'spread', 'margin', 'lead', 'shortfall', 'loss']);
/** A gap noun within the next three words of a noun phrase ("a wider trade surplus"). */
function gapAhead(tokens: readonly Token[], i: number): boolean {
  for (let k = i + 1; k <= i + 3; k++) {
    const t = tokens[k];
    if (!t || (t.pos !== 'NOUN' && t.pos !== 'ADJ' && t.pos !== 'PROPN')) return false;
    if (GAP_NOUNS.has(t.lemma)) return true;
  }
  return false;
}

/** The months' names in order (`timing.ts` reads a deadline's month by its place here). */
export const MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
] as const;

const MONTHS = new Set<string>([...MONTH_NAMES, 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec']);
const CURRENCY_SYMBOLS: Record<string, Unit> = { $: 'usd', us$: 'usd', '€': 'eur', '¥': 'cny', '₽': 'rub' };

let nlpInstance: WinkMethods | undefined;

/** The wink-nlp instance, created on first use (about 150 ms and 60 MB once per thread). */
function nlp(): WinkMethods {
  nlpInstance ??= winkNLP(model, ['sbd', 'pos']);
  return nlpInstance;
}

function parseNumber(text: string): number | null {
  const t = text.replace(/,/g, '');
  if (!/^\d+(?:\.\d+)?$/.test(t)) return null;
  return Number(t);
}

/**
 * Small numbers in words. (Not "twice" or "three times": news reports a meeting, not how many there have
 * been, and a forecast's "meet at least twice a year" read as a threshold that no article states lost
 * the corpus's dev split 0.01.)
 */
const SMALL_COUNTS: Record<string, number> = { two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9 };

/** The content keys of the noun phrase a number counts ("two | Chinese research vessels"), up to four. */
function countedKeys(tokens: readonly Token[], from: number): string[] {
  const keys: string[] = [];
  for (let k = from; k < tokens.length && keys.length < 4; k++) {
    const t = tokens[k] as Token;
    // A participle before the noun counts with it: "five signed agreements", "two sanctioned banks".
    const participle = t.pos === 'VERB' && /(?:ed|en)$/.test(t.lower) && tokens[k + 1]?.pos === 'NOUN';
    if (t.pos !== 'NOUN' && t.pos !== 'PROPN' && t.pos !== 'ADJ' && !participle && !compoundHyphen(tokens, k)) break;
    if (t.key) keys.push(t.key);
  }
  return keys;
}

const TIME_SPANS = new Set(['century', 'decade', 'year', 'month', 'week', 'day', 'hour']);
const TEENS = ['ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const UNITS = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/**
 * A number spelled out from ten to ninety-nine ("Sixteen foreign leaders attended", "twenty-five
 * countries"), with the index of its last token. Smaller ones ("two research vessels") carry
 * what they count, and a forecast's threshold is compared with them only where they count something it
 * names: "two days" or "one of them" is rarely the figure a threshold is about.
 */
function spelledNumber(tokens: readonly Token[], i: number): { value: number; last: number; counted?: string[] } | null {
  const w = tokens[i]?.lower ?? '';
  const small = SMALL_COUNTS[w];
  // The "five" of "twenty-five" was read with its tens.
  if (small !== undefined && !(tokens[i - 1]?.lower === '-' && TENS.includes(tokens[i - 2]?.lower ?? ''))) {
    // A span of time is not a count: "a five-year comparison", "within two weeks".
    const head = tokens[i + 1]?.lower === '-' ? tokens[i + 2] : tokens[i + 1];
    if (head && TIME_SPANS.has(head.lemma)) return null;
    const counted = countedKeys(tokens, i + 1);
    return counted.length ? { value: small, last: i, counted } : null;
  }
  const teen = TEENS.indexOf(w);
  if (teen >= 0) return { value: 10 + teen, last: i };
  const tens = TENS.indexOf(w);
  if (tens < 0) return null;
  const unit = tokens[i + 1]?.lower === '-' ? UNITS.indexOf(tokens[i + 2]?.lower ?? '') : -1;
  return unit >= 0 ? { value: 20 + 10 * tens + unit + 1, last: i + 2 } : { value: 20 + 10 * tens, last: i };
}

function isBoundary(t: { lower: string; pos: string }): boolean {
  return t.pos === 'PUNCT' || BOUNDARY_WORDS.has(t.lower) || (t.lower === 'once' && t.pos === 'SCONJ');
}

const LOWER_BOUND = new Set([
  'above',
  'over',
  'beyond',
  'exceed',
  'exceeded',
  'exceeds',
  'exceeding',
  'surpass',
  'surpassed',
  'surpasses',
  'surpassing',
  'topped',
  'tops',
  'topping',
]);
const UPPER_BOUND = new Set(['below', 'under', 'beneath']);

const OR_MORE = new Set(['more', 'higher', 'greater', 'above', 'over', 'larger']);
const OR_LESS = new Set(['less', 'fewer', 'lower', 'below', 'under', 'smaller']);

/** A bound after the figure and its unit: "8 million tonnes or less", "25 votes or more". */
function boundAfter(tokens: readonly Token[], from: number): -1 | 0 | 1 {
  for (let k = from; k < tokens.length && k <= from + 3; k++) {
    const t = tokens[k] as Token;
    if (t.lower === 'or') {
      const w = tokens[k + 1]?.lower ?? '';
      return OR_MORE.has(w) ? 1 : OR_LESS.has(w) ? -1 : 0;
    }
    if (isBoundary(t) || t.pos === 'VERB') return 0;
  }
  return 0;
}

function boundBefore(tokens: readonly Token[], i: number): -1 | 0 | 1 {
  // "below the 90 per cent target", "short of its $100bn goal": the bound word stands before the determiner.
  const det = tokens[i - 1]?.lower === 'the' || tokens[i - 1]?.pos === 'PRON' ? 1 : 0;
  const a = tokens[i - 1 - det]?.lower ?? '';
  const b = tokens[i - 2 - det]?.lower ?? '';
  if (a === 'of' && b === 'short') return -1;
  if (a === 'than' || a === 'a' || a === 'one') {
    // "no more than 5 ships": at most 5.
    const no = tokens[i - 3 - det]?.lower === 'no' ? -1 : 1;
    if (OR_MORE.has(b) || b === 'longer') return no;
    if (OR_LESS.has(b) || b === 'shorter') return -no as -1 | 1;
  }
  if (LOWER_BOUND.has(a) || (a === 'least' && b === 'at')) return 1;
  if (UPPER_BOUND.has(a) || (a === 'most' && b === 'at')) return -1;
  return 0;
}

const SPANS = new Set([...TIME_SPANS, 'dozen', 'million', 'billion']);

/** Direction words that as nouns name a thing, not a change: "long-term contracts", "the 3.67 % limit". */
const NOT_A_CHANGE_AS_NOUN = new Set(['contract', 'limit']);
/** The words of a percentage's unit ("15 per cent", "3 %"). */
const PERCENT_WORDS = new Set(['%', 'percent', 'per', 'cent', 'pct']);

/** The percentage at `i` is a share of something ("30 % of sales", "15 per cent of imports"). */
function shareOf(tokens: readonly Token[], i: number): boolean {
  let k = i + 1;
  while (k < tokens.length && k <= i + 3 && PERCENT_WORDS.has(tokens[k]?.lower ?? '')) k++;
  return tokens[k]?.lower === 'of';
}
/** Words between a verb of change and its figure: "grew by more than 15 %", "fell by about a third". */
const FIGURE_HEDGES = new Set([
  'more',
  'less',
  'than',
  'over',
  'under',
  'at',
  'least',
  'almost',
  'about',
  'around',
  'nearly',
  'some',
  'roughly',
  'only',
  'just',
  'a',
]);

/**
 * The figure starting at `first` (its number, or its currency sign) is a change, not a level: after a
 * verb of change ("fallen by 90 %", "grew 5 %", "will grow by more than 15 %"), after "up" or "down",
 * or before a noun of change ("a 23 % jump in spending"). `next` is the first token after the number
 * and its multiplier.
 */
function changeFigure(tokens: readonly Token[], first: number, next: number): boolean {
  const moves = (t: Token | undefined) => t !== undefined && (t.cls === WORD_CLASS.increase || t.cls === WORD_CLASS.decrease);
  let k = first - 1;
  while (k >= 0 && first - k <= 4 && FIGURE_HEDGES.has(tokens[k]?.lower ?? '')) k--;
  const before = tokens[k];
  if (before?.lower === 'up' || before?.lower === 'down') return true;
  if (before?.lower === 'by' && (moves(tokens[k - 1]) || moves(tokens[k - 2]))) return true;
  if (moves(before) && before?.pos === 'VERB') return true;
  for (let j = next; j <= next + 3 && j < tokens.length; j++) {
    const t = tokens[j] as Token;
    if (PERCENT_WORDS.has(t.lower)) continue;
    if (moves(t) && t.pos === 'NOUN') return true;
    if (t.pos === 'NOUN' || t.pos === 'VERB' || t.pos === 'ADP') break;
  }
  return false;
}

/** "last year", "this year", "next year": the year before, of and after the text's own. */
const RELATIVE_YEARS: Record<string, number> = { last: -1, this: 0, next: 1 };

/**
 * Quantities: a number, its multiplier (billion, mln) and unit (before: $, €; after: tonnes, %, bpd).
 * `year` is the text's own year (an article's publication), which "last year" and "this year" count from.
 */
function findQuantities(
  tokens: Token[],
  year?: number,
): { quantities: Quantity[]; years: { year: number; index: number; date: boolean }[] } {
  const quantities: Quantity[] = [];
  const years: { year: number; index: number; date: boolean }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    if (!tok) continue;
    const shift = tok.lower === 'year' ? RELATIVE_YEARS[tokens[i - 1]?.lower ?? ''] : undefined;
    if (shift !== undefined && year !== undefined) {
      years.push({ year: Math.floor(year) + shift, index: i, date: false });
      continue;
    }
    // "half of", "a third of", "two thirds of": shares, as percentages.
    // ("The first half of 2025" is a period, not a share.)
    const period = tok.lower === 'half' && (tokens[i - 1]?.lower === 'first' || tokens[i - 1]?.lower === 'second');
    const fraction = period
      ? undefined
      : (FRACTIONS[`${tokens[i - 1]?.lower ?? ''} ${tok.lower}`] ?? (tok.lower === 'half' ? 50 : undefined));
    // "more than half a century" is a span of time, not a share.
    const span = /^an?$/.test(tokens[i + 1]?.lower ?? '') && SPANS.has(tokens[i + 2]?.lower ?? '');
    if (fraction !== undefined && !span && (tokens[i + 1]?.lower === 'of' || tokens[i - 1]?.lower === 'than')) {
      quantities.push({
        value: fraction,
        unit: 'percent',
        index: i,
        bound: boundBefore(tokens, i),
        ...(shareOf(tokens, i) ? { share: true } : {}),
      });
      continue;
    }
    // "most of", "the majority of": more than half.
    if ((tok.lower === 'most' || tok.lower === 'majority') && tokens[i + 1]?.lower === 'of' && tokens[i - 1]?.lower !== 'at') {
      quantities.push({ value: 50, unit: 'percent', index: i, bound: 1, share: true });
      continue;
    }
    const spelled = spelledNumber(tokens, i);
    const n = spelled?.value ?? parseNumber(tok.lower);
    if (n === null) continue;
    const prev = tokens[i - 1]?.lower ?? '';
    // "2+2 talks", "the C5+1 summit", "E3+3": a format's name, not a count.
    if ((/^\+\d/.test(tok.lower) && /\d$/.test(prev)) || (/\d$/.test(tok.lower) && /^\+\d/.test(tokens[i + 1]?.lower ?? ''))) continue;
    if (Number.isInteger(n) && n >= 1990 && n <= 2040 && tok.lower.length === 4 && !CURRENCY_SYMBOLS[prev]) {
      // "since 2023", "from 2019": a starting point, not the year a figure belongs to.
      const before = `${tokens[i - 2]?.lower ?? ''} ${prev}`;
      // A full date ("January 2, 2026") says when it was reported, not which year a figure is for.
      const date = MONTHS.has(tokens[i - 2]?.lower ?? '') || MONTHS.has(tokens[i - 3]?.lower ?? '') || MONTHS.has(prev);
      if (!/\b(?:since|from|than)\b/.test(before)) years.push({ year: n, index: i, date });
      continue;
    }
    // A day of the month is a date, not a count: "January 21", "Dec. 5", "on 5 December".
    const monthBefore = MONTHS.has(prev) || (prev === '.' && MONTHS.has(tokens[i - 2]?.lower ?? ''));
    if (Number.isInteger(n) && n >= 1 && n <= 31 && !spelled && (monthBefore || MONTHS.has(tokens[i + 1]?.lower ?? ''))) continue;
    let value = n;
    let unit: Unit | undefined = CURRENCY_SYMBOLS[prev] ?? (prev === 'us' && tokens[i - 2]?.lower === '$' ? 'usd' : undefined);
    let j = (spelled?.last ?? i) + 1;
    const mult = MULTIPLIERS[tokens[j]?.lower ?? ''];
    if (mult && !(tokens[j]?.lower === 'm' && tokens[j + 1]?.lower === '3')) {
      value *= mult;
      j++;
    }
    const next = tokens[j]?.lower ?? '';
    const next2 = `${next} ${tokens[j + 1]?.lower ?? ''}`;
    if (!unit) {
      if (next === 'per' && tokens[j + 1]?.lower === 'cent') unit = 'percent';
      else if (next2 === 'barrels per' || next2 === 'barrel per' || next2 === 'barrels a') unit = 'bpd';
      else if (next === 'cubic' || next === 'bcm') {
        unit = 'm3';
        if (next === 'bcm') value *= 1e9;
      } else unit = UNIT_WORDS[next];
    }
    // A bare small number after a name is part of the name ("Power of Siberia 2", "Arctic LNG 2").
    if (!unit && value < 10 && tokens[i - 1]?.pos === 'PROPN') continue;
    const first = unit && CURRENCY_SYMBOLS[prev] ? i - 1 : i;
    const before = tokens[first - 1];
    const role =
      before && (before.lower === 'the' || before.lower === 'its' || before.lower === 'their' || before.lower === 'a')
        ? 'reference'
        : before?.lower === 'from'
          ? 'start'
          : undefined;
    const change = unit !== undefined && changeFigure(tokens, first, j);
    quantities.push({
      value,
      unit: unit ?? 'count',
      index: i,
      bound: boundBefore(tokens, first) || boundAfter(tokens, j),
      ...(role ? { role } : {}),
      ...(spelled?.counted && !unit ? { counted: spelled.counted } : {}),
      ...(change ? { change: true } : {}),
      ...(unit === 'percent' && !change && shareOf(tokens, i) ? { share: true } : {}),
    });
  }
  const periods = years.some((y) => !y.date) ? years.filter((y) => !y.date) : years;
  for (const q of quantities) {
    let best: { year: number; index: number } | undefined;
    for (const y of periods) if (!best || Math.abs(y.index - q.index) < Math.abs(best.index - q.index)) best = y;
    if (best) q.year = best.year;
  }
  return { quantities, years };
}

const SUBJECT_NEGATORS = new Set(['no', 'none', 'neither', 'nobody', 'nothing']);
const POSSESSIVES = new Set(['its', 'their', 'his', 'her', 'our']);
const RELATIVE_PRONOUNS = new Set(['that', 'who', 'which']);

/** A modal follows `k` within its clause. */
function modalAhead(tokens: readonly Token[], k: number): boolean {
  for (let j = k + 1; j < Math.min(tokens.length, k + 12); j++) {
    const t = tokens[j] as Token;
    if (t.pos === 'AUX' && MODALS.has(t.lower)) return true;
    if (isBoundary(t) || t.pos === 'VERB') return false;
  }
  return false;
}

/**
 * Where the predicate of a negated subject starting at `i` begins: its auxiliary ("No bank | will
 * connect") or its verb ("No leader from a NATO country | attended"; not a participle after a hyphen,
 * "state-owned"), or -1.
 */
function subjectEnd(tokens: readonly Token[], i: number): number {
  // A relative clause inside the subject ("No government that is current on its bonds will miss a
  // payment") has its own verb; the predicate is the next auxiliary, or a verb after a noun.
  let relative: 'none' | 'open' | 'done' = 'none';
  for (let k = i + 1; k < Math.min(tokens.length, i + 25); k++) {
    const t = tokens[k] as Token;
    if (relative === 'none' && k > i + 1 && RELATIVE_PRONOUNS.has(t.lower)) {
      relative = 'open';
      continue;
    }
    const verb = t.pos === 'AUX' || (t.pos === 'VERB' && tokens[k - 1]?.lower !== '-');
    if (verb && relative === 'open') {
      relative = 'done';
      continue;
    }
    // A participle after a noun with a modal still to come is a reduced relative clause: "No EU
    // sanctions package adopted in 2024 | will contain".
    if (verb && t.pos === 'VERB' && t.lower.endsWith('ed') && modalAhead(tokens, k)) continue;
    if (verb && (relative === 'none' || t.pos === 'AUX' || OBJECT_POS.has(tokens[k - 1]?.pos ?? ''))) return k;
    // Hyphens and a list's commas stay inside the subject ("None of the US, Japanese or Australian leaders").
    const inside = t.lower === '-' || (t.lower === ',' && k > i + 1);
    if (t.pos === 'PUNCT' ? !inside : BOUNDARY_WORDS.has(t.lower)) return -1;
  }
  return -1;
}

/** A hyphen inside a compound ("halted Russia-bound shipments", "state-owned"), not a dash between clauses. */
function compoundHyphen(tokens: readonly Token[], k: number): boolean {
  const before = tokens[k - 1];
  const after = tokens[k + 1];
  return tokens[k]?.lower === '-' && !!before && !!after && before.pos !== 'PUNCT' && after.pos !== 'PUNCT';
}

/** Words before "to" that leave what follows undone: "yet to", "still has to", "remains to be". */
const PENDING_AFTER_STILL = new Set(['have', 'has', 'had', 'need', 'needs', 'to']);

/** The index of "to" when the token at `i` opens "yet to", "still has to (be)", "still to be" or "remain(s) to be", else -1. */
function pendingTo(tokens: readonly Token[], i: number): number {
  const t = tokens[i];
  const next = tokens[i + 1]?.lower;
  if (!t || !next) return -1;
  if (t.lower === 'yet' && next === 'to') return i + 1;
  if (t.lower === 'still' && PENDING_AFTER_STILL.has(next)) {
    const to = next === 'to' ? i + 1 : i + 2;
    return tokens[to]?.lower === 'to' && (next !== 'to' || tokens[to + 1]?.lower === 'be') ? to : -1;
  }
  if (t.lemma === 'remain' && next === 'to' && tokens[i + 2]?.lower === 'be') return i + 1;
  return -1;
}

/**
 * Where the subject of the clause ending before `end` starts: back to a clause boundary, at most `max`
 * tokens; with `insertions`, across the commas of an inserted phrase ("important details, including
 * pricing, still have to be") but not across ", and".
 */
function clauseSubjectStart(tokens: readonly Token[], end: number, max: number, insertions = false): number {
  let start = end;
  while (start > 0 && end - start < max) {
    const b = tokens[start - 1];
    if (!b || (isBoundary(b) && !(insertions && b.lower === ','))) break;
    if (insertions && b.lower === 'and' && tokens[start - 2]?.lower === ',') break;
    start--;
  }
  return start;
}

/** Where the noun phrase that ends just before `i` starts: its nouns, names, adjectives, numbers and determiners. */
function nounPhraseStart(tokens: readonly Token[], i: number): number {
  let start = i;
  while (start > 0 && ['NOUN', 'PROPN', 'ADJ', 'NUM', 'DET'].includes(tokens[start - 1]?.pos ?? '')) start--;
  return start;
}

/** A possessive's "'s" ("Russia's"), which the tagger marks as a particle, not the "is" of "it's". */
function possessiveS(t: Token): boolean {
  return t.lower === "'s" && t.pos === 'PART';
}

/** The participle at `i` stands before its noun, after a determiner or a possessive: "the stalled aid package", "Russia's frozen reserves". */
function attributive(tokens: readonly Token[], i: number): boolean {
  const before = tokens[i - 1];
  const after = tokens[i + 1];
  if (!before || !after) return false;
  const determined = before.pos === 'DET' || POSSESSIVES.has(before.lower) || possessiveS(before);
  return determined && (after.pos === 'NOUN' || after.pos === 'PROPN' || after.pos === 'ADJ' || after.pos === 'NUM' || after.pos === 'SYM');
}

/** The "once" at `i` opens a time clause: a subject follows, then its verb within six words, before any punctuation. */
function opensTimeClause(tokens: readonly Token[], i: number): boolean {
  const subject = tokens[i + 1];
  if (!subject || !['DET', 'PRON', 'NOUN', 'PROPN', 'ADJ', 'NUM'].includes(subject.pos)) return false;
  for (let k = i + 2; k < tokens.length && k <= i + 7; k++) {
    const t = tokens[k] as Token;
    if (t.pos === 'PUNCT') return false;
    if (t.pos === 'VERB' || t.pos === 'AUX') return true;
  }
  return false;
}

/** The object of the "sell" at `i` is something its owner holds (a stake, a lease): selling it gives it up. */
function sellsHolding(tokens: readonly Token[], i: number): boolean {
  for (let k = i + 1; k < Math.min(tokens.length, i + 7); k++) {
    const t = tokens[k] as Token;
    if (t.pos === 'NOUN' && OWNED_NOUNS.has(t.lemma)) return true;
    if (!OBJECT_POS.has(t.pos) && !compoundHyphen(tokens, k)) return false;
  }
  return false;
}

/**
 * Where the subject starts when the "leave" at `i` is a presence ending, else -1: troops, forces or firms
 * (the clause's subject, before it) leave a named place, or a country, market or base ("the last Russian
 * peacekeepers have left Karabakh"). A leader leaving a capital after a visit is not a withdrawal and is
 * left alone.
 */
function presenceLeaving(tokens: readonly Token[], i: number): number {
  let k = i + 1;
  if (tokens[k]?.pos === 'DET') k++;
  const place = tokens[k];
  if (!place || !(place.pos === 'PROPN' || (place.pos === 'NOUN' && PLACE_NOUNS.has(place.lemma)))) return -1;
  // "Western firms leaving the market": a participle after its noun has that noun phrase for subject, not the clause.
  const participle = tokens[i]?.lower.endsWith('ing') && (tokens[i - 1]?.pos === 'NOUN' || tokens[i - 1]?.pos === 'PROPN');
  const start = participle ? nounPhraseStart(tokens, i) : clauseSubjectStart(tokens, i, 8);
  for (let j = i - 1; j >= start; j--) if (PRESENCE_NOUNS.has(tokens[j]?.lemma ?? '')) return start;
  return -1;
}

const REPORTING = new Set(['say', 'tell', 'add', 'state', 'insist', 'stress', 'note', 'confirm']);

/**
 * "not on the table / agenda", "off the table / agenda", or "on hold / ice" (not "on hold music") at `i`: the
 * index of its last word, else -1.
 */
function offTheTable(tokens: readonly Token[], i: number): number {
  const theTable = (k: number) => tokens[k]?.lower === 'the' && (tokens[k + 1]?.lower === 'table' || tokens[k + 1]?.lower === 'agenda');
  if (tokens[i]?.lower === 'not' && tokens[i + 1]?.lower === 'on' && theTable(i + 2)) return i + 3;
  if (tokens[i]?.lower === 'off' && theTable(i + 1)) return i + 2;
  // "The project is on hold", "the talks remain on ice".
  if (tokens[i]?.lower === 'on' && SHELVED.has(tokens[i + 1]?.lower ?? '') && !OBJECT_POS.has(tokens[i + 2]?.pos ?? '')) return i + 1;
  return -1;
}

const WEEKDAYS = new Set(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']);
const TIME_DEICTICS = new Set(['last', 'this', 'next', 'earlier', 'later']);

/**
 * When a time adjunct starts at `k` and a "to" follows it ("on Tuesday to", "last week to", "in March to",
 * "earlier this year to"), the index of that "to"; else -1.
 */
function timeAdjunctBeforeTo(tokens: readonly Token[], k: number): number {
  const first = tokens[k];
  if (!first) return -1;
  const prep = first.lower === 'on' || first.lower === 'in' || first.lower === 'at';
  if (!prep && !TIME_DEICTICS.has(first.lower)) return -1;
  let sawTime = false;
  for (let j = k + (prep ? 1 : 0); j < Math.min(tokens.length, k + 5); j++) {
    const t = tokens[j] as Token;
    const w = t.lower;
    if (w === 'to') return sawTime && j > k ? j : -1;
    if (WEEKDAYS.has(w) || MONTHS.has(w) || TIME_SPANS.has(t.lemma) || /^(19|20)\d\d$/.test(w)) sawTime = true;
    else if (!(TIME_DEICTICS.has(w) || w === 'the' || t.pos === 'NUM' || w === ',')) return -1;
  }
  return -1;
}

const MODALS = new Set(['will', 'would', 'shall', 'should', 'can', 'could', 'may', 'might', 'must', 'wo', "'ll"]);
/** Words after which the next word is a verb: a modal, "not", an infinitive's "to". */
const VERB_SLOT = new Set([...MODALS, 'not', "n't", 'never', 'to']);
/**
 * Reversal verbs of leaving or holding back whose "from" or "of" names what is left ("Russia withdrew
 * from the treaty", "the US backed out of the deal", "Kazakhstan refrained from joining"): active, with
 * the left thing after them, not a headline's passive ("drills cancelled over tensions").
 */
const LEAVING = new Set([
  'withdraw',
  'refrain',
  'abstain',
  'retreat',
  'exit',
  'quit',
  'back',
  'pull',
  'walk',
  'bow',
  'opt',
  'stay',
  'keep',
  'steer',
]);

/** Marks scopes: each negator or reversal word flips the polarity of what follows it in its clause. */
function applyScopes(tokens: Token[], claimMode: boolean): void {
  const flips = new Array<number>(tokens.length).fill(0);
  const flipRange = (from: number, to: number) => {
    for (let k = from; k < to; k++) flips[k] = (flips[k] ?? 0) + 1;
  };
  const forward = (i: number, max: number): number => {
    let end = i + 1;
    let sawNoun = false;
    let limit = max;
    while (end < tokens.length && end - i <= limit) {
      const t = tokens[end];
      if (!t) break;
      if (compoundHyphen(tokens, end)) {
        // A compound counts as one word: "state-owned" is not three.
        limit += 2;
        end++;
        continue;
      }
      // "neither condemn | nor sanction": "nor" opens its own scope.
      if (isBoundary(t) || t.lower === 'nor') break;
      // A reversal noun in the subject does not reach across the modal into the predicate: "the EU's
      // opening SWIFT ban | will name at least twelve banks" names them.
      if (tokens[i]?.pos === 'NOUN' && t.pos === 'AUX' && MODALS.has(t.lower)) break;
      // The scope is the verb phrase's core: it ends at a preposition after the object ("did not
      // impose sanctions | on Russia over the war"), so circumstances keep their own polarity.
      // A time adjunct between an intent noun and its "to" clause does not end it: "lost its bid on
      // Tuesday to rejoin", "dropped its plan last week to build".
      const adjunct = INTENT_NOUNS.has(tokens[end - 1]?.lemma ?? '') ? timeAdjunctBeforeTo(tokens, end) : -1;
      if (adjunct > end) {
        limit += adjunct - end;
        end = adjunct;
        continue;
      }
      if (
        sawNoun &&
        t.pos === 'ADP' &&
        t.lower !== 'of' &&
        // A verb's particle is part of the verb: "no steps to carry out the agreement".
        !(tokens[end - 1]?.pos === 'VERB' && PARTICLES.has(t.lower)) &&
        !(t.lower === 'to' && INTENT_NOUNS.has(tokens[end - 1]?.lemma ?? '')) &&
        // What one is removed from is undone too: "removing Li Shangfu | from the post of defence minister".
        !(t.lower === 'from' && REMOVAL.has(tokens[i]?.lemma ?? ''))
      )
        break;
      // An auxiliary after the object starts the clause's own predicate: "the agreement curbing
      // subsidies | will enter into force" (but "allow its banks to be used" stays one phrase).
      if (sawNoun && t.pos === 'AUX' && tokens[end - 1]?.lower !== 'to') break;
      // A noun that itself reverses ("suspends its ban | on exports", "no ban on imports") carries its
      // complement into the scope: a suspended ban on exports lets the exports go ahead.
      if ((t.pos === 'NOUN' || t.pos === 'PROPN') && t.cls !== WORD_CLASS.reversal) sawNoun = true;
      // "and" joining two clauses ends the scope; "and" joining two nouns does not.
      if (
        (t.lower === 'and' || t.lower === 'or') &&
        (tokens[end + 1]?.pos === 'VERB' || tokens[end + 1]?.pos === 'AUX' || tokens[end + 1]?.pos === 'PRON' || tokens[end + 1]?.actor)
      )
        break;
      end++;
    }
    flipRange(i + 1, end);
    return end;
  };
  // A predicate denied as after "will not", from the clause's finite word at `k`: an auxiliary stays
  // affirmed, a verb is itself denied.
  const denyPredicate = (k: number) => forward(tokens[k]?.pos === 'AUX' ? k : k - 1, 10);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t) continue;
    const next = tokens[i + 1]?.lower ?? '';
    const lemma = t.lemma;
    const pending = pendingTo(tokens, i);
    if (pending > 0) {
      if (tokens[pending + 1]?.lower === 'be') {
        // "the contract is yet to be signed", "pricing still has to be worked out": the subject is not done.
        flipRange(clauseSubjectStart(tokens, i, 15, true), i);
        forward(pending + 1, 3);
      } else forward(pending, 8); // "Beijing has yet to approve the deal"
      i = pending;
      continue;
    }
    // "Reconnecting banks to SWIFT, which is subject to EU law, was not on the table", "a deal is off the
    // table", "the talks remain on ice": the subject is ruled out.
    const offTable = offTheTable(tokens, i);
    if (offTable > 0 && (BE_FORMS.has(tokens[i - 1]?.lower ?? '') || tokens[i - 1]?.lemma === 'remain')) {
      let start = clauseSubjectStart(tokens, i - 1, 20, true);
      // Across a relative clause inside the subject: "reconnecting banks to SWIFT, which is ..., was not".
      if (RELATIVE_PRONOUNS.has(tokens[start - 1]?.lower ?? '') && tokens[start - 2]?.lower === ',')
        start = clauseSubjectStart(tokens, start - 2, 20);
      // ... but not back over who said so ("a spokeswoman said | reconnecting ...").
      for (let k = i - 2; k >= start; k--) {
        if (REPORTING.has(tokens[k]?.lemma ?? '') && tokens[k]?.pos === 'VERB') {
          start = tokens[k + 1]?.lower === 'that' ? k + 2 : k + 1;
          break;
        }
      }
      flipRange(start, i - 1);
      i = offTable;
      continue;
    }
    if (NEGATORS.has(t.lower) || (t.lower === 'no' && next === 'longer')) {
      // "No Chinese state-owned bank will connect to SPFS", "None of the retailers will cut prices": a
      // negated subject denies the predicate. The subject runs to the clause's first auxiliary or verb,
      // across hyphens and prepositions that would end a plain scope; the predicate is then scoped as
      // after "will not".
      const finite = SUBJECT_NEGATORS.has(t.lower) && (i === 0 || isBoundary(tokens[i - 1] as Token)) ? subjectEnd(tokens, i) : -1;
      if (finite > 0) {
        flipRange(i + 1, finite);
        denyPredicate(finite);
        i = finite - 1;
        continue;
      }
      forward(i, 10);
      // "imposed no sanctions", "sent no weapons": a determiner negation also denies its verb.
      if (t.lower === 'no' || t.lower === 'none' || t.lower === 'nothing') {
        for (let k = i - 1; k >= Math.max(0, i - 3); k--) {
          const v = tokens[k];
          if (!v || isBoundary(v)) break;
          if (v.pos === 'VERB') {
            flipRange(k, k + 1);
            break;
          }
        }
      }
      continue;
    }
    // "unlikely that X will...": the clause's predicate is denied, as after "will not".
    if (t.lower === 'unlikely' && next === 'that') {
      for (let k = i + 2; k < Math.min(tokens.length, i + 10); k++) {
        const v = tokens[k] as Token;
        if (v.pos === 'PUNCT') break;
        if (v.pos === 'AUX' || v.pos === 'VERB') {
          denyPredicate(k);
          break;
        }
      }
      continue;
    }
    // "fail to", "refuse to", "decline to", "unlikely to", "rather than", "instead of", "at the expense of".
    if (
      (t.lower === 'unlikely' && next === 'to') ||
      ((lemma === 'fail' || lemma === 'refuse' || lemma === 'decline' || lemma === 'neglect') && next === 'to') ||
      (t.lower === 'rather' && next === 'than') ||
      (t.lower === 'instead' && next === 'of') ||
      (t.lower === 'expense' && next === 'of')
    ) {
      const ruledOut = tokens[i + 2];
      if ((t.lower === 'rather' || t.lower === 'instead') && ruledOut && ruledOut.pos !== 'VERB' && ruledOut.pos !== 'AUX') {
        // A noun phrase ruled out ("chose Rosatom instead of CNNC | to build the plant"): only it.
        let end = i + 2;
        while (end < Math.min(tokens.length, i + 10)) {
          const u = tokens[end] as Token;
          if (isBoundary(u) || u.pos === 'VERB' || u.pos === 'AUX' || u.lower === 'to' || (u.pos === 'ADP' && u.lower !== 'of')) break;
          end++;
        }
        flipRange(i + 2, end);
        continue;
      }
      forward(i + 1, 8);
      if (lemma !== 'fail' && lemma !== 'refuse' && lemma !== 'decline' && lemma !== 'neglect') continue;
      t.cls = WORD_CLASS.reversal;
      continue;
    }
    // "keep its troops out of the parade", "keep the pipeline off its target list", "keep the programme free
    // of foreign engines": what is kept out is denied, as an object is by "will not send".
    if (lemma === 'keep' && t.pos === 'VERB') {
      const out = keptOut(tokens, i);
      if (out > i + 1) {
        // What a thing is kept free of is what is denied: "free of foreign-made engines".
        if (tokens[out]?.lower === 'free' || tokens[out]?.lower === 'clear') forward(out + 1, 8);
        else flipRange(i + 1, out);
        continue;
      }
    }
    // "keep X from doing", "stop X from doing": in a forecast, what follows "from" is denied. "Barred
    // Nvidia from shipping", in news too, denies the shipping and not Nvidia; "bars tankers", with no
    // "from", denies its object as any reversal does.
    if ((claimMode && KEEPING_FROM.has(lemma)) || (lemma === 'bar' && t.pos === 'VERB')) {
      let from = -1;
      for (let k = i + 1; k < Math.min(tokens.length, i + 6); k++) {
        if (tokens[k]?.lower === 'from') {
          from = k;
          break;
        }
        if (tokens[k] && isBoundary(tokens[k] as Token)) break;
      }
      if (from > 0) {
        const end = forward(from, 8);
        // Keeping someone from something, denied, lets it happen: "will fail to stop the Assembly from
        // adopting a text" adopts it.
        if ((flips[i] ?? 0) % 2 === 1) flipRange(from + 1, end);
      }
      if (lemma === 'keep' || (lemma === 'bar' && from > 0)) continue;
    }
    if (
      ENDING_VERBS.has(lemma) &&
      t.pos === 'VERB' &&
      OBJECT_POS.has(tokens[i + 1]?.pos ?? '') &&
      !YEAR.test(tokens[i + 1]?.lower ?? '') &&
      t.cls === WORD_CLASS.none
    ) {
      t.cls = WORD_CLASS.reversal;
      forward(i, 8);
      continue;
    }
    const leaving = lemma === 'leave' && t.pos === 'VERB' && t.cls === WORD_CLASS.none ? presenceLeaving(tokens, i) : -1;
    if (leaving >= 0) {
      t.cls = WORD_CLASS.reversal;
      flipRange(leaving, i);
      continue;
    }
    if (lemma === 'sell' && t.pos === 'VERB' && t.cls === WORD_CLASS.none && sellsHolding(tokens, i)) {
      t.cls = WORD_CLASS.reversal;
      forward(i, 8);
      continue;
    }
    if (lemma === 'put' && t.pos === 'VERB') {
      let k = i + 1;
      while (k < tokens.length && k - i <= 8 && tokens[k]?.lower !== 'on' && !isBoundary(tokens[k] as Token)) k++;
      if (tokens[k]?.lower === 'on' && SHELVED.has(tokens[k + 1]?.lower ?? '') && k > i + 1) {
        t.cls = WORD_CLASS.reversal;
        flipRange(i + 1, k);
        continue;
      }
    }
    // ("The mandate ran out", but "ran out of shells" says what ended.)
    const phrasalFailure = FAILURE_PHRASAL.has(`${FAILURE_FORMS.get(t.lower) ?? lemma} ${next}`) && tokens[i + 2]?.lower !== 'of';
    const failure = FAILURE_VERBS.has(FAILURE_FORMS.get(t.lower) ?? lemma) || phrasalFailure;
    if (failure && t.pos === 'NOUN' && next === 'of') {
      // "the collapse of talks": what follows failed.
      t.cls = WORD_CLASS.reversal;
      forward(i, 8);
      continue;
    }
    // Headlines drop the article, and the tagger often takes their verb for a noun ("truce talks collapse").
    const verbLike =
      t.pos === 'VERB' ||
      (phrasalFailure && t.pos === 'ADJ') ||
      // "the mandate lapsed": the tagger's adjective after its subject.
      (t.pos === 'ADJ' && FAILURE_FORMS.has(t.lower) && (tokens[i - 1]?.pos === 'NOUN' || tokens[i - 1]?.pos === 'PROPN')) ||
      (t.pos === 'NOUN' && (tokens[i - 1]?.pos === 'NOUN' || tokens[i - 1]?.pos === 'PROPN'));
    if (failure && verbLike && attributive(tokens, i)) {
      // Before its noun ("the stalled aid package", "its collapsed talks"): what follows failed, not a subject before it.
      t.cls = WORD_CLASS.reversal;
      forward(i, 8);
      continue;
    }
    if (failure && verbLike && next !== 'to' && !OBJECT_POS.has(tokens[i + (phrasalFailure ? 2 : 1)]?.pos ?? '')) {
      // Intransitive: its subject, back to the clause's start, is what failed.
      flipRange(clauseSubjectStart(tokens, i, 20), i);
      t.cls = WORD_CLASS.reversal;
      continue;
    }
    // Struck out: "two banks the Commission had proposed to list were dropped from the final text".
    if (lemma === 'drop' && t.pos === 'VERB' && BE_FORMS.has(tokens[i - 1]?.lower ?? '') && next === 'from') {
      t.cls = WORD_CLASS.reversal;
      flipRange(clauseSubjectStart(tokens, i - 1, 15), i - 1);
      continue;
    }
    // A verb of decrease applies to its object as a reversal does: "curb supplies", "cut imports",
    // "dropped its bid to join".
    if (
      t.cls === WORD_CLASS.decrease &&
      t.pos === 'VERB' &&
      (tokens[i + 1]?.pos === 'NOUN' ||
        tokens[i + 1]?.pos === 'DET' ||
        tokens[i + 1]?.pos === 'ADJ' ||
        tokens[i + 1]?.pos === 'PROPN' ||
        POSSESSIVES.has(tokens[i + 1]?.lower ?? ''))
    ) {
      forward(i, 6);
      continue;
    }
    if (t.cls === WORD_CLASS.reversal) {
      forward(i, 8);
      // Passive or nominal use ("the drills were cancelled", "drills cancelled"): the event precedes.
      const before = tokens[i - 1];
      // A phrasal verb's object follows its particle ("China holds off retaliation").
      const afterAt = PHRASAL.has(`${t.lemma} ${tokens[i + 1]?.lower ?? ''}`) ? i + 2 : i + 1;
      const after = tokens[afterAt];
      // An object may open with an adjective: "NuScale scraps first U.S. small reactor plant" (but "talks
      // halted last week" is passive).
      const adjectiveObject =
        after?.pos === 'ADJ' &&
        (tokens[afterAt + 1]?.pos === 'NOUN' || tokens[afterAt + 1]?.pos === 'PROPN' || tokens[afterAt + 1]?.pos === 'ADJ') &&
        !TIME_SPANS.has(tokens[afterAt + 1]?.lemma ?? '');
      const leaving = LEAVING.has(t.lemma) && (after?.lower === 'from' || after?.lower === 'of') && !BE_FORMS.has(before?.lower ?? '');
      const passive =
        (t.pos === 'VERB' || t.pos === 'ADJ') &&
        !leaving &&
        before !== undefined &&
        // A possessive's "'s" is not "is": "Russia's frozen reserves".
        ((BE_FORMS.has(before.lower) && !possessiveS(before)) ||
          ((before.pos === 'NOUN' || before.pos === 'PROPN') &&
            !(
              after &&
              (after.pos === 'DET' ||
                after.pos === 'NOUN' ||
                after.pos === 'PROPN' ||
                after.pos === 'NUM' ||
                after.pos === 'PRON' ||
                adjectiveObject)
            )));
      if (passive) {
        flipRange(clauseSubjectStart(tokens, i - 1, 6), i);
      }
    }
  }
  tokens.forEach((t, k) => {
    t.polarity = (flips[k] ?? 0) % 2 === 1 ? -1 : 1;
  });
}

/** What can open a verb's object in a headline: "bars US-sanctioned tankers", "shelves the plan". */
const OBJECT_START = new Set(['DET', 'PROPN', 'NOUN', 'ADJ', 'NUM', 'PRON']);

/** A headline verb's lemma, read off its "-s" form: "shelves" → "shelve", "vetoes" → "veto", "bars" → "bar". */
function headlineLemmas(lower: string): string[] {
  const out: string[] = [];
  if (/(?:ch|sh|ss|x|z|o)es$/.test(lower)) out.push(lower.slice(0, -2));
  if (/[^s]s$/.test(lower)) out.push(lower.slice(0, -1));
  return out;
}

/**
 * Headlines leave out the auxiliary ("Trump shelves Greenland tariffs", "Port group bars US-sanctioned
 * tankers"), and the tagger reads a verb after a name as a plural noun: "shelves" as "shelf", "axes" as
 * "ax", "drops" and "bars" as nouns, so the verb's class and the rules that read verbs ("drops its bid",
 * "lifts the ban") were lost. The first "-s" noun right after a name, with no verb before it and the start
 * of an object after it, is read as the verb when its verb form is a word of change or "lift".
 */
function readHeadlineVerb(tokens: Token[]): void {
  for (let i = 1; i + 1 < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.pos === 'VERB' || t.pos === 'AUX') return;
    if (t.pos !== 'NOUN' || tokens[i - 1]?.pos !== 'PROPN') continue;
    const object = tokens[i + 1];
    // ("IMO shelves shipping carbon levy": a gerund can open the object.)
    if (!OBJECT_START.has(object?.pos ?? '') && !(object?.pos === 'VERB' && object.lower.endsWith('ing'))) return;
    for (const lemma of headlineLemmas(t.lower)) {
      const key = stem(lemma);
      const cls = classify(lemma, key);
      if (cls === WORD_CLASS.none && lemma !== 'lift') continue;
      Object.assign(t, { pos: 'VERB', lemma, key, cls });
      return;
    }
    return;
  }
}

/** Determiners that may stand between a modal and its verb: "will each sign", "will both attend". */
const SLOT_DETERMINERS = new Set(['each', 'both', 'all']);

/**
 * The word a modal governs is a verb even where the tagger read a noun or an adjective: "will each sign
 * their own document", "will re-elect Erdoğan", "will open membership talks", "will not lower its rate".
 * Read as a noun, the rules that read verbs lost it ("lower" not scoped as a cut, a denial with no verb).
 */
function readModalVerb(tokens: Token[]): void {
  tokens.forEach((t, i) => {
    if (t.pos !== 'AUX' || !MODALS.has(t.lower)) return;
    let k = i + 1;
    while (tokens[k] && (tokens[k]?.pos === 'PART' || tokens[k]?.pos === 'ADV' || SLOT_DETERMINERS.has(tokens[k]?.lower ?? ''))) k++;
    const v = tokens[k];
    if (v && (v.pos === 'NOUN' || v.pos === 'ADJ') && v.key) v.pos = 'VERB';
  });
}

function classify(lemma: string, key: string): WordClass {
  if (REVERSAL.has(key)) return WORD_CLASS.reversal;
  if (INCREASE.has(key)) return WORD_CLASS.increase;
  if (DECREASE.has(key)) return WORD_CLASS.decrease;
  void lemma;
  return WORD_CLASS.none;
}

const POSSESSIVE = /^(.*\p{L})(['’]s)$/iu;
const NAME_POS = new Set(['PROPN', 'NOUN', 'ADJ', 'NUM', 'X']);

/**
 * Splits a possessive the tokenizer left whole ("Beijing's" as one token) into the name and its "'s", as
 * the tokenizer itself does most of the time. wink-nlp keeps "Beijing's" whole before a comma ("closer
 * to Beijing's, the paper said") and then remembers the word for the rest of the process, so without this
 * the same article was read differently depending on what had been read before it (a name that is one
 * token is no actor, and its key no claim term).
 */
function splitPossessives(values: string[], lemmas: string[], poss: string[]): { values: string[]; lemmas: string[]; poss: string[] } {
  if (!values.some((v) => POSSESSIVE.test(v))) return { values, lemmas, poss };
  const out = { values: [] as string[], lemmas: [] as string[], poss: [] as string[] };
  values.forEach((v, i) => {
    const m = NAME_POS.has(poss[i] ?? '') ? POSSESSIVE.exec(v) : null;
    if (m && m[1] && m[2]) {
      out.values.push(m[1], m[2]);
      out.lemmas.push(m[1], m[2]);
      // The whole token's tag is the remembered word's, not this sentence's: a capital makes a name.
      out.poss.push(/^\p{Lu}/u.test(m[1]) ? 'PROPN' : 'NOUN', 'PART');
    } else {
      out.values.push(v);
      out.lemmas.push(lemmas[i] ?? v);
      out.poss.push(poss[i] ?? 'X');
    }
  });
  return out;
}

/**
 * Splits a text into analysed sentences. `claimMode` also applies the constructions that only a
 * forecast uses ("will keep X from ..."); `year`, the text's own year (fractional, as `timing.ts` reads
 * dates), gives "last year" and "this year" their years.
 */
export function analyzeText(text: string, options: { claimMode?: boolean; year?: number } = {}): Sentence[] {
  const w = nlp();
  const its = w.its;
  const doc = w.readDoc(text);
  const sentences: Sentence[] = [];
  doc.sentences().each((s: ItemSentence) => {
    const tokenSet = s.tokens();
    const { values, lemmas, poss } = splitPossessives(
      tokenSet.out(its.value) as string[],
      tokenSet.out(its.lemma as unknown as typeof its.value) as string[],
      tokenSet.out(its.pos) as string[],
    );
    const lower = values.map((v) => v.toLowerCase());
    const actors = tagActors(lower, values);
    const tokens: Token[] = values.map((value, i) => {
      const lemma = (lemmas[i] ?? value).toLowerCase();
      const pos = poss[i] ?? 'X';
      const l = lower[i] ?? '';
      const content = CONTENT_POS.has(pos) && !FUNCTION_LEMMAS.has(lemma) && /\p{L}/u.test(l) && l.length > 1;
      const key = content ? stem(lemma) : '';
      return {
        text: value,
        lower: l,
        lemma,
        key,
        pos,
        actor: actors[i] ?? '',
        polarity: 1,
        cls: key ? classify(lemma, key) : WORD_CLASS.none,
        hedge: HEDGES.has(l) || HEDGES.has(lemma),
      };
    });
    readHeadlineVerb(tokens);
    readModalVerb(tokens);
    // "once its waiver runs out" opens a time clause of its own (`isBoundary`); "once again" does not.
    tokens.forEach((t, i) => {
      if (t.lower === 'once' && opensTimeClause(tokens, i)) t.pos = 'SCONJ';
    });
    for (let i = 0; i + 1 < tokens.length; i++) {
      const a = tokens[i] as Token;
      const b = tokens[i + 1] as Token;
      const cls = PHRASAL.get(`${a.lemma} ${b.lower}`);
      // The tagger takes some phrasal verbs' first word for an adverb after a modal or "not" ("will not
      // back out of the plan").
      const verbSlot = VERB_SLOT.has(tokens[i - 1]?.lower ?? '');
      if (cls !== undefined && (a.pos === 'VERB' || a.pos === 'NOUN' || verbSlot)) {
        a.cls = cls;
        if (!a.key) a.key = stem(a.lemma);
      }
    }
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i] as Token;
      if (t.cls !== WORD_CLASS.none) continue;
      const prev = tokens[i - 1]?.lower ?? '';
      const next = tokens[i + 1]?.lower ?? '';
      if (SUPERLATIVE[t.lower] !== undefined) t.cls = SUPERLATIVE[t.lower] as WordClass;
      else if (CHANGED_TO[t.lower] !== undefined && gapAhead(tokens, i)) t.cls = CHANGED_TO[t.lower] as WordClass;
      else if (t.lemma === 'lift' && t.pos === 'VERB' && liftsRestriction(tokens, i)) t.cls = WORD_CLASS.reversal;
      else if (t.lower === 'high' && RECORD_BEFORE.has(prev)) t.cls = WORD_CLASS.increase;
      else if (t.lower === 'low' && RECORD_BEFORE.has(prev)) t.cls = WORD_CLASS.decrease;
      else if (
        (t.lower === 'record' || t.lower === 'records') &&
        (prev === 'break' ||
          prev === 'broke' ||
          prev === 'set' ||
          prev === 'hit' ||
          prev === 'breaks' ||
          prev === 'sets' ||
          prev === 'hits' ||
          next === 'high' ||
          next === 'level' ||
          next === 'levels')
      )
        t.cls = WORD_CLASS.increase;
      if (t.cls !== WORD_CLASS.none && !t.key) t.key = stem(t.lemma);
    }
    // "the lower house", "the upper chamber" are names of a parliament's parts, not a direction; to
    // "fall foul of" a rule is to break it, not to fall.
    for (let i = 0; i + 1 < tokens.length; i++) {
      const t = tokens[i] as Token;
      const n = tokens[i + 1]?.lower ?? '';
      if ((t.lower === 'lower' || t.lower === 'upper') && (n === 'house' || n === 'chamber')) t.cls = WORD_CLASS.none;
      // A contract signed, a limit set: nouns, not a shrinking or a cut ("long-term contracts", "the 3.67 % limit").
      if (t.pos === 'NOUN' && NOT_A_CHANGE_AS_NOUN.has(t.lemma)) t.cls = WORD_CLASS.none;
      if (t.lemma === 'fall' && n === 'foul') t.cls = WORD_CLASS.none;
      // "its shut reactors": a participle naming a state, not a shutting.
      const p = tokens[i - 1]?.lower ?? '';
      if (t.lemma === 'shut' && (POSSESSIVES.has(p) || p === 'the' || p === 'a')) t.cls = WORD_CLASS.none;
    }
    applyScopes(tokens, options.claimMode ?? false);
    const { quantities, years } = findQuantities(tokens, options.year);
    let clauses = 1;
    let hedgedClauses = 0;
    let clauseHedged = false;
    for (const t of tokens) {
      if (t.pos === 'PUNCT' && (t.lower === ';' || t.lower === ',')) {
        if (clauseHedged) hedgedClauses++;
        clauses++;
        clauseHedged = false;
      } else if (t.hedge) clauseHedged = true;
    }
    if (clauseHedged) hedgedClauses++;
    sentences.push({
      text: s.out(),
      tokens,
      quantities,
      years: years.map((y) => y.year),
      hedged: Math.min(1, hedgedClauses / Math.max(1, Math.min(clauses, 2))),
    });
  });
  return sentences;
}

/** Stemmed keys related to a word's key through WordNet (synonyms of frequent senses, derivations). */
const RELATED = new Map<string, Set<string>>();
const ANTONYMS = new Map<string, Set<string>>();
for (const [word, list] of Object.entries(lexicon.related)) {
  const k = stem(word);
  let set = RELATED.get(k);
  if (!set) RELATED.set(k, (set = new Set()));
  for (const w2 of list) {
    const k2 = stem(w2);
    if (k2 !== k) set.add(k2);
  }
}
// Antonymy runs both ways ("fail" lists "succeed"; so "succeed" is against "fail"); WordNet's frequent
// senses miss "pass" (a test, a review) against "fail".
function addAntonyms(a: string, b: string): void {
  for (const [x, y] of [
    [a, b],
    [b, a],
  ] as const) {
    const k = stem(x);
    let set = ANTONYMS.get(k);
    if (!set) ANTONYMS.set(k, (set = new Set()));
    set.add(stem(y));
  }
}
for (const [word, list] of Object.entries(lexicon.antonyms)) for (const w2 of list) addAntonyms(word, w2);
addAntonyms('pass', 'fail');
// What a measure leaves out is what it does not apply to ("keeps Sakhalin crude exempt" against "will apply
// the cap to Sakhalin crude"); what is allowed is not banned ("allows imports" against "will keep the ban on
// imports"). WordNet files these apart.
for (const a of ['apply', 'cover', 'include']) addAntonyms('exempt', a);
for (const b of ['ban', 'forbid', 'prohibit', 'restrict', 'bar']) for (const a of ['allow', 'permit']) addAntonyms(a, b);
for (const b of ['reject', 'veto', 'block']) addAntonyms('approve', b);

export function relatedKeys(key: string): ReadonlySet<string> | undefined {
  return RELATED.get(key);
}

export function antonymKeys(key: string): ReadonlySet<string> | undefined {
  return ANTONYMS.get(key);
}
