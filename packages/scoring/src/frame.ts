/**
 * Direction analysis: what a forecast claims, and which way each article sentence points for it.
 *
 * A claim becomes a frame: its content terms, each with the polarity the claim gives it ("China will
 * not impose sanctions": impose and sanctions denied), the actors (who acts, on whom), a direction
 * (increase or decrease), a threshold quantity with its comparison and year, and its deadline year.
 * Each article sentence is then matched term by term (exact key, WordNet relative, or antonym) and the
 * polarity of every matched word in the sentence is compared with the claim's: agreeing polarities
 * support the claim, opposite ones undermine it. Direction words (rise / fall), stated quantities
 * against the threshold, hedges and who the sentence's subject is complete the picture.
 *
 * These are measurements for the trained models (`pairFeatures`), and the reasons behind the evidence
 * sentences' stances (`sentenceSignals`).
 */
import {
  analyzeText,
  antonymKeys,
  relatedKeys,
  WORD_CLASS,
  YEAR,
  type Quantity,
  type Sentence,
  type Token,
  type Unit,
  type WordClass,
} from './nlp.ts';
import { stem } from './text.ts';

export interface ClaimTerm {
  key: string;
  weight: number;
  polarity: 1 | -1;
  /** Verb, noun... (wink-nlp part of speech). */
  pos: string;
  cls: WordClass;
  /** Part of the main event (the main verb and its object), not a circumstance of it. */
  event: boolean;
  related: ReadonlySet<string>;
  antonyms: ReadonlySet<string>;
  /** The claim uses the word both inside and outside a negation's scope ("lift LNG from Arctic LNG 2"). */
  mixed?: boolean;
}

export interface ClaimFrame {
  text: string;
  terms: ClaimTerm[];
  /** Sum of the terms' weights, and of the event terms' weights. */
  weight: number;
  eventWeight: number;
  /** Terms whose weight is at or above the median: what distinguishes this claim's subject. */
  coreKeys: Set<string>;
  /** What the claim rules out ("The yuan, rather than the US dollar, will...", "A Chinese brand, not Lada,
   * will..."): the alternative's keys and actors. */
  alternatives: { keys: Set<string>; actors: Set<string> };
  /** What the claim chooses over the alternative: the words just before "rather than", "instead of", ", not". */
  chosen: { keys: Set<string>; actors: Set<string> };
  /** The keys (and WordNet relatives) of its terms that are not direction words: what it expects to move. */
  themeKeys: Set<string>;
  actors: string[];
  /** The actor before the main verb ("China" in "China will not impose sanctions on Russia"). */
  agent: string;
  /** The main event is denied ("will not", "no ... will", "fail to", "keep ... from"). */
  negated: boolean;
  /** +1 the claim expects an increase, -1 a decrease, 0 neither (after its polarity). */
  direction: -1 | 0 | 1;
  /** A threshold: met when the stated value is at least (cmp 1) or at most (cmp -1) `value`, in `year`,
   * or in any year up to `by` ("by 2024"), or in any year at all when neither is set ("every year"). */
  quantity?: { value: number; unit: Unit; cmp: 1 | -1; year?: number; by?: number; share?: boolean };
  deadlineYear?: number;
  conditional: boolean;
  hedged: boolean;
}

export interface PreparedSentence {
  sentence: Sentence;
  /** Polarity of each content key in the sentence: +1, -1, or 0 where both occur. */
  keys: Map<string, number>;
  actors: Set<string>;
  /** First actor named before the sentence's first verb (its likely subject), or ''. */
  subject: string;
  /** The keys and actors before the first verb, after a dateline ("MOSCOW, Jan 9 — Lada remained"). */
  subjectKeys: Set<string>;
  /**
   * Names the sentence passes over: actors and proper names after "defeating", "beating", "instead of",
   * "rather than", "in place of", or "over" after a verb of choosing ("chose CNNC over Rosatom").
   */
  passedOver: Set<string>;
  /** The year a delay pushes something into ("delayed until 2027", "postponed until next year"), if any. */
  delayedTo?: number;
  /** Increase words minus decrease words, each with its polarity. */
  direction: number;
  /** Polarity of the sentence's increase and of its decrease words (+1, -1, 0 mixed), if any. */
  increase?: number;
  decrease?: number;
  /** Each increase or decrease word, with the content keys of what it moves (see `themeOf`). */
  moves: Move[];
  reversals: number;
  negations: number;
  /** Speaks of the future or the hypothetical (will, would, could, may, plans to, expects). */
  future: boolean;
  /** Reports something done: a verb in the past tense, or a perfect ("has signed"). */
  past: boolean;
  /** Reports an opinion or a claim (argues, believes, warns, predicts, says). */
  opinion: boolean;
  /** The sentence is the article's title. */
  title: boolean;
  /** The title or the first sentence of the body: where news states what happened. */
  lead: boolean;
}

export interface PreparedDocument {
  sentences: PreparedSentence[];
  /** Every key in the document, with the number of sentences it occurs in. */
  keys: Map<string, number>;
  actors: Set<string>;
  maxYear: number;
  tokenCount: number;
}

export type IdfLookup = (key: string) => number;

/** A word of increase or decrease in a sentence, and what it moves. */
export interface Move {
  cls: typeof WORD_CLASS.increase | typeof WORD_CLASS.decrease;
  key: string;
  polarity: 1 | -1;
  theme: string[];
}

/** Words that end the phrase a direction word moves: a new clause starts after them. */
const THEME_STOPS = new Set(['VERB', 'AUX', 'SCONJ', 'CCONJ', 'PRON']);
/** The same for words the tagger may call prepositions ("exports fell | as sanctions bit", "| amid"). */
const THEME_STOP_WORDS = new Set([
  'as',
  'while',
  'after',
  'before',
  'because',
  'since',
  'when',
  'although',
  'though',
  'whereas',
  'amid',
  'despite',
  'than',
  'but',
]);

/**
 * The content keys of what a word of increase or decrease moves: the noun phrase before it ("Russia-China
 * trade rose", "exports of oil climbed") and the one after it ("trims defence spending", "a rise in
 * exports"), each up to a clause boundary and four keys. "Poland trims defence spending as budget
 * pressures mount": "trims" moves the spending, "mount" the pressures.
 */
function themeOf(tokens: readonly Token[], i: number): string[] {
  const theme: string[] = [];
  // Collects a token's key; false at a clause boundary (punctuation but a compound's hyphen or a
  // possessive, a verb, a conjunction, a pronoun but "its" / "their").
  const take = (t: Token): boolean => {
    if (t.pos === 'PUNCT' ? t.lower !== '-' && t.lower !== "'s" : THEME_STOPS.has(t.pos) && t.lower !== 'its' && t.lower !== 'their')
      return false;
    if (THEME_STOP_WORDS.has(t.lower)) return false;
    if (t.key && t.cls !== WORD_CLASS.increase && t.cls !== WORD_CLASS.decrease) theme.push(t.key);
    return true;
  };
  // Before it: the subject or the modifier ("trade rose", "export growth"), past "has not", adverbs.
  let k = i - 1;
  while (k >= 0 && (tokens[k]?.pos === 'AUX' || tokens[k]?.pos === 'PART' || tokens[k]?.pos === 'ADV')) k--;
  for (const start = theme.length; k >= 0 && theme.length - start < 4 && take(tokens[k] as Token); k--);
  // After it: the object or the complement ("trims defence spending", "a rise in exports").
  k = i + 1;
  for (const start = theme.length; k < tokens.length && theme.length - start < 4 && take(tokens[k] as Token); k++);
  return theme;
}

const NEGATOR_WORDS = new Set(['not', "n't", 'no', 'never', 'neither', 'nor', 'without', 'none', 'nobody', 'nothing', 'cannot']);
const MORE_WORDS = new Set([
  'exceed',
  'surpass',
  'top',
  'above',
  'over',
  'more',
  'beyond',
  'reach',
  'hit',
  'least',
  'higher',
  'greater',
  'longer',
  'larger',
  'bigger',
  'rise',
  'grow',
  'increase',
  'double',
  'triple',
]);
/** Words that deny what follows them in a forecast's clause. */
const DENIALS = new Set(['not', "n't", 'no', 'never', 'neither', 'nor', 'fail', 'refuse']);

/**
 * Whether a forecast's word of comparison, or its figure, is denied: a verb of comparison by its own
 * polarity ("will fail to exceed"); any other word by a denial before it ("will not push the rate beyond
 * 14.75%", "no more than", "No candidate will win more than 15%"), not by a reversal verb whose object
 * holds it ("will freeze fewer than ten licences" asks for fewer than ten frozen).
 */
function comparisonPolarity(tokens: readonly Token[], k: number): 1 | -1 {
  const t = tokens[k];
  if (t?.pos === 'VERB') return t.polarity;
  for (let j = k - 1; j >= 0; j--) {
    const w = tokens[j] as Token;
    if (DENIALS.has(w.lower) || DENIALS.has(w.lemma)) return -1;
  }
  return 1;
}

const LESS_WORDS = new Set([
  'below',
  'under',
  'less',
  'fewer',
  'lower',
  'shorter',
  'smaller',
  'most',
  'fall',
  'drop',
  'decline',
  'shrink',
  'short',
]);

const FUTURE_WORDS = new Set([
  'will',
  'would',
  'could',
  'may',
  'might',
  'shall',
  "'ll",
  'wo',
  'plan',
  'plans',
  'planned',
  'planning',
  'expect',
  'expects',
  'expected',
  'aim',
  'aims',
  'intend',
  'intends',
  'set',
  'going',
  'likely',
  'forecast',
  'forecasts',
  'projected',
  'target',
  'prospect',
  'prospects',
]);
const OPINION_LEMMAS = new Set([
  'argue',
  'believe',
  'think',
  'warn',
  'predict',
  'suggest',
  'claim',
  'accuse',
  'allege',
  'fear',
  'hope',
  'say',
  'tell',
  'insist',
  'urge',
  'call',
  'criticise',
  'criticize',
  'opinion',
  'view',
  'analyst',
  'expert',
  'commentator',
  'column',
  'columnist',
]);
const PERFECT = new Set(['has', 'have', 'had']);
/** Words of putting off: a deadline forecast's event pushed past its year has missed it. */
const DELAY_LEMMAS = new Set(['delay', 'postpone', 'defer', 'reschedule']);
const DELAY_KEYS = new Set([...DELAY_LEMMAS].map(stem));

/** Words of an event's start: a start set for a year past a forecast's deadline is a miss as a delay is. */
const START_LEMMAS = new Set(['begin', 'start', 'launch', 'commence']);

/**
 * The latest year a delay in the sentence points to: a year after the delay word, or "next year"; or the
 * year an event is set to start ("traffic is expected to begin in 2028", "sets 2028 start").
 */
function delayedYear(tokens: readonly Token[]): number | undefined {
  const d = tokens.findIndex(
    (t, i) => DELAY_LEMMAS.has(t.lemma) || ((t.lemma === 'push' || t.lemma === 'pushed') && tokens[i + 1]?.lower === 'back'),
  );
  if (d < 0) return startYear(tokens);
  let year: number | undefined;
  for (let k = d + 1; k < tokens.length; k++) {
    const t = tokens[k] as Token;
    if (YEAR.test(t.lower)) year = Math.max(year ?? 0, Number(t.lower));
    if (t.lower === 'next' && tokens[k + 1]?.lower === 'year') {
      const before = tokens.slice(0, d).filter((u) => YEAR.test(u.lower));
      if (before.length) year = Math.max(year ?? 0, Math.max(...before.map((u) => Number(u.lower))) + 1);
    }
  }
  return year;
}

/** The year right after a start word ("to begin in 2028", "start in 2028") or right before its noun ("a 2028 start"). */
function startYear(tokens: readonly Token[]): number | undefined {
  for (let k = 0; k < tokens.length; k++) {
    if (!START_LEMMAS.has(tokens[k]?.lemma ?? '')) continue;
    const before = tokens[k - 1]?.lower ?? '';
    if (tokens[k]?.pos === 'NOUN' && YEAR.test(before)) return Number(before);
    const at = tokens[k + 1]?.lower === 'in' || tokens[k + 1]?.lower === 'from' ? k + 2 : -1;
    if (at > 0 && YEAR.test(tokens[at]?.lower ?? '')) return Number(tokens[at]?.lower);
  }
  return undefined;
}

/** Verbs whose object loses: "beating Trzaskowski", "ousted the incumbent" (by form: the tagger reads "beating" as a noun). */
const DEFEAT_FORMS = new Set(
  ['defeat', 'beat', 'oust', 'unseat'].flatMap((v) => [v, `${v}s`, `${v}ed`, `${v}ing`, ...(v === 'beat' ? ['beaten'] : [])]),
);
/** Verbs of choosing, after which "over X" names what was not chosen. */
const CHOOSE_LEMMAS = new Set(['choose', 'pick', 'select', 'prefer', 'favour', 'favor', 'award']);
const SLOT_STOP = new Set(['VERB', 'AUX', 'ADP', 'CCONJ', 'SCONJ', 'PUNCT', 'PRON']);

/**
 * The actors and proper names a sentence passes over (see `PreparedSentence.passedOver`): the noun phrase
 * after the trigger, up to six tokens, ending at punctuation, a verb, a preposition or a conjunction.
 */
function passedOverNames(tokens: readonly Token[]): Set<string> {
  const out = new Set<string>();
  let chose = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    const next = tokens[i + 1]?.lower ?? '';
    if (CHOOSE_LEMMAS.has(t.lemma) && t.pos === 'VERB') chose = true;
    let start = -1;
    // A passive ("was defeated by X") names the winner next: not a slot.
    if (DEFEAT_FORMS.has(t.lower) && next !== 'by') start = i + 1;
    else if (
      (t.lower === 'instead' && next === 'of') ||
      (t.lower === 'rather' && next === 'than') ||
      (t.lower === 'place' && next === 'of' && tokens[i - 1]?.lower === 'in')
    )
      start = i + 2;
    else if (t.lower === 'over' && chose) start = i + 1;
    if (start < 0) continue;
    for (let k = start; k < Math.min(tokens.length, start + 6); k++) {
      const u = tokens[k] as Token;
      if (SLOT_STOP.has(u.pos) && !(u.pos === 'ADP' && u.lower === 'of' && k > start)) break;
      if (u.actor) out.add(u.actor);
      else if (u.key && u.pos === 'PROPN') out.add(u.key);
    }
  }
  return out;
}

function prepareSentence(sentence: Sentence, title: boolean, lead: boolean): PreparedSentence {
  const keys = new Map<string, number>();
  const actors = new Set<string>();
  let subject = '';
  let seenVerb = false;
  let reversals = 0;
  let negations = 0;
  const moves: Move[] = [];
  let future = false;
  let past = false;
  let opinion = false;
  sentence.tokens.forEach((t, i) => {
    // A relative clause's future ("soldiers who will train...") is not the sentence's.
    const prevLower = sentence.tokens[i - 1]?.lower ?? '';
    // "set" speaks of the future only as "set to"; "target" only as a verb ("its target" is a goal named).
    const futureWord =
      FUTURE_WORDS.has(t.lower) &&
      (t.lower !== 'set' || sentence.tokens[i + 1]?.lower === 'to') &&
      (t.lower !== 'target' || t.pos === 'VERB');
    if (futureWord && prevLower !== 'who' && prevLower !== 'which') future = true;
    if (OPINION_LEMMAS.has(t.lemma)) opinion = true;
    if (
      t.pos === 'VERB' &&
      ((t.lower !== t.lemma && t.lower.endsWith('ed')) ||
        (t.lower !== t.lemma && !t.lower.endsWith('ing') && !t.lower.endsWith('s') && t.lemma !== 'be') ||
        PERFECT.has(sentence.tokens[i - 1]?.lower ?? ''))
    )
      past = true;
    if (t.pos === 'AUX' && (t.lower === 'was' || t.lower === 'were' || t.lower === 'had' || t.lower === 'did')) past = true;
  });
  sentence.tokens.forEach((t, i) => {
    if (t.cls === WORD_CLASS.increase || t.cls === WORD_CLASS.decrease)
      moves.push({ cls: t.cls, key: t.key, polarity: t.polarity, theme: themeOf(sentence.tokens, i) });
  });
  for (const t of sentence.tokens) {
    if (t.actor) {
      actors.add(t.actor);
      if (!seenVerb && !subject) subject = t.actor;
    }
    if (t.pos === 'VERB') seenVerb = true;
    if (NEGATOR_WORDS.has(t.lower)) negations++;
    if (t.cls === WORD_CLASS.reversal) reversals++;
    if (!t.key) continue;
    const prev = keys.get(t.key);
    keys.set(t.key, prev === undefined ? t.polarity : prev === t.polarity ? prev : 0);
  }
  const delayed = delayedYear(sentence.tokens);
  const subjectKeys = new Set<string>();
  const dash = sentence.tokens.slice(0, 14).findIndex((t) => t.lower === '—' || t.lower === '--');
  for (const t of sentence.tokens.slice(dash + 1)) {
    if (t.pos === 'VERB' || t.pos === 'AUX') break;
    if (t.actor) subjectKeys.add(t.actor);
    else if (t.key) subjectKeys.add(t.key);
  }
  return {
    sentence,
    keys,
    actors,
    subject,
    subjectKeys,
    passedOver: passedOverNames(sentence.tokens),
    ...(delayed !== undefined ? { delayedTo: delayed } : {}),
    ...tally(moves),
    moves,
    reversals,
    negations,
    future,
    past,
    opinion,
    title,
    lead,
  };
}

/**
 * Analyses an article (title as its own first sentence) once, for any number of claims. `published` (a
 * fractional year, where the article is dated) dates its "last year" and "this year".
 */
export function prepareDocument(title: string | undefined, body: string, published?: number): PreparedDocument {
  const sentences: PreparedSentence[] = [];
  const options = published === undefined ? {} : { year: published };
  if (title?.trim()) for (const s of analyzeText(title.trim(), options)) sentences.push(prepareSentence(s, true, true));
  analyzeText(body, options).forEach((s, i) => sentences.push(prepareSentence(s, false, i === 0)));
  const keys = new Map<string, number>();
  const actors = new Set<string>();
  let maxYear = 0;
  let tokenCount = 0;
  for (const s of sentences) {
    for (const k of s.keys.keys()) keys.set(k, (keys.get(k) ?? 0) + 1);
    for (const a of s.actors) actors.add(a);
    for (const y of s.sentence.years) maxYear = Math.max(maxYear, y);
    tokenCount += s.sentence.tokens.length;
  }
  return { sentences, keys, actors, maxYear, tokenCount };
}

/**
 * The main event's tokens [start, end): from the main verb (the first verb after "will", else the first
 * verb) through its object, ending at a preposition or determiner after a noun, or at a clause boundary.
 * "China will not impose its own sanctions | on Russia over the war"; without a verb, the whole claim.
 */
function eventSpan(tokens: readonly Token[]): [number, number] {
  // The word after "will" (and "not", "never", adverbs) is the main verb, whatever the tagger says.
  let start = -1;
  const will = tokens.findIndex((t) => t.lower === 'will' || t.lower === 'wo' || t.lower === 'shall');
  if (will >= 0) {
    let k = will + 1;
    while (
      k < tokens.length &&
      (tokens[k]?.lower === 'not' || tokens[k]?.lower === "n't" || tokens[k]?.lower === 'never' || tokens[k]?.pos === 'ADV')
    )
      k++;
    if (k < tokens.length && tokens[k]?.pos !== 'PUNCT') start = k;
  }
  if (start < 0) start = tokens.findIndex((t, i) => t.pos === 'VERB' && tokens.slice(Math.max(0, i - 3), i).some((x) => x.lower === 'to'));
  if (start < 0) start = tokens.findIndex((t) => t.pos === 'VERB');
  if (start < 0) return [0, tokens.length];
  let end = start + 1;
  let sawNoun = false;
  for (; end < tokens.length; end++) {
    const t = tokens[end] as Token;
    if (t.pos === 'PUNCT' || t.lower === 'but' || t.lower === 'while' || t.lower === 'if' || t.lower === 'by') break;
    if (sawNoun && ((t.pos === 'ADP' && t.lower !== 'of') || t.pos === 'DET' || t.pos === 'SCONJ')) break;
    if (t.pos === 'NOUN' || t.pos === 'PROPN') sawNoun = true;
  }
  return [start, end];
}

/** The modal a forecast's main verb follows ("won't" is "wo" + "n't"). */
const MODALS = new Set(['will', 'wo', 'shall', "'ll"]);
/** Words that open a clause after the forecast's own ("..., as rate hikes take effect"). */
const SUBORDINATORS = new Set(['as', 'because', 'since', 'while', 'after', 'once', 'unless', 'if', 'amid', 'despite', 'when']);
/** The word at `i` opens a clause: a verb follows within six words, before any punctuation ("as rate hikes take effect", not "as China's largest supplier"). */
function opensClause(tokens: readonly Token[], i: number): boolean {
  for (let k = i + 1; k < tokens.length && k <= i + 6; k++) {
    if (tokens[k]?.pos === 'PUNCT') return false;
    if (tokens[k]?.pos === 'VERB') return true;
  }
  return false;
}

/** Words that open a clause before the forecast's own ("If ..., China will"). */
const OPENERS = new Set(['if', 'unless', 'should', 'once', 'when', 'after', 'in', 'under', 'despite', 'with']);

/**
 * An actor named as the alternative the claim rules out ("The yuan, rather than the US dollar, will",
 * "A Chinese brand, not Lada, will") is not its agent.
 */
function inContrast(tokens: readonly Token[], i: number): boolean {
  for (let k = i - 1; k >= Math.max(0, i - 3); k--) {
    if (contrastAt(tokens, k - 1)) return true;
    if (tokens[k]?.pos === 'PUNCT') return false;
  }
  return false;
}

/** Two-word markers of a ruled-out alternative. */
const CONTRASTS = new Set(['rather than', 'instead of', ', not']);

/** A marker of a ruled-out alternative starts at `k`: "rather than", "instead of", ", not". */
function contrastAt(tokens: readonly Token[], k: number): boolean {
  return CONTRASTS.has(`${tokens[k]?.lower ?? ''} ${tokens[k + 1]?.lower ?? ''}`);
}

/**
 * The words a forecast chooses over its alternative: the nouns and names just before "rather than",
 * "instead of" or ", not" ("with a US exporter | rather than with QatarEnergy").
 */
function chosenBefore(tokens: readonly Token[]): number[] {
  const out: number[] = [];
  tokens.forEach((t, m) => {
    if (!contrastAt(tokens, m)) return;
    // ("The ECB or the Fed, rather than the SNB": past the comma.)
    const end = tokens[m - 1]?.lower === ',' && t.lower !== ',' ? m - 2 : m - 1;
    for (let k = end; k >= Math.max(0, end - 3); k--) {
      const u = tokens[k] as Token;
      if (u.pos === 'NOUN' || u.pos === 'PROPN' || u.actor) out.push(k);
      else if (u.pos !== 'ADJ' && u.pos !== 'DET' && u.pos !== 'NUM') break;
    }
  });
  return out;
}

/** How forecasts say "will" without the word, rewritten to it in order (the first that matches wins). */
const FORECAST_FORMS: [RegExp, string][] = [
  // "It is unlikely that X will Y", "It is likely that X will Y".
  [/^it is (?:highly |very |quite )?unlikely that (.+?)\b(will|won't)\b/i, '$1will not'],
  [/^it is (?:highly |very |quite )?likely that /i, ''],
  // "I expect X (not) to Y", "We predict X to Y": X will (not) Y.
  [/^(?:i|we) (?:expect|predict|anticipate) (.+?) (not )?to (?=\w)/i, '$1 will $2'],
  // "I think (that) X will Y".
  [/^(?:i|we) (?:think|believe|predict|expect|bet|forecast) (?:that )?(?=.+\bwill\b)/i, ''],
  [/\b(?:is|are) (?:highly |very |quite )?unlikely to\b/i, 'will not'],
  [/\b(?:is|are) (?:not (?:likely|expected|set|going) to|expected not to)\b/i, 'will not'],
  [/\b(?:is|are) (?:highly |very |quite |more )?likely to\b/i, 'will'],
  [/\b(?:is|are) (?:widely )?(?:expected|set|going|poised|bound|due) to\b/i, 'will'],
  [/\bwon['’]t\b/i, 'will not'],
];

/**
 * A forecast in the form the models were trained on: "X is unlikely to Y", "It is unlikely that X will
 * Y", "X won't Y", a headline's "X not to Y" become "X will not Y"; "X is likely / expected / set /
 * going to Y", "I expect X to Y", "I think X will Y", a headline's "X to Y" become "X will Y". The
 * training forecasts all say "will" or "will not"; written another way, the same forecast lost up to one
 * verdict in twenty on the dev direction sets.
 */
export function canonicalForecast(text: string): string {
  for (const [form, replacement] of FORECAST_FORMS) {
    if (!form.test(text)) continue;
    const out = text.replace(form, replacement);
    return out.charAt(0).toUpperCase() + out.slice(1);
  }
  if (/\b(?:will|shall|would)\b/i.test(text)) return text;
  // A headline's "X to Y" ("Turkey's parliament to ratify Sweden's NATO membership"): the first "to"
  // before a verb, with no verb before it.
  const tokens = analyzeText(text)[0]?.tokens ?? [];
  let tos = 0;
  for (let i = 0; i + 1 < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.pos === 'VERB' || t.pos === 'AUX') return text;
    if (t.lower !== 'to') continue;
    if (t.pos === 'PART' && tokens[i + 1]?.pos === 'VERB') {
      let seen = 0;
      return text.replace(/\b(not )?to\b/gi, (m, not?: string) => (seen++ === tos ? (not ? 'will not' : 'will') : m));
    }
    tos++;
  }
  return text;
}

/** Builds a claim's frame. `idf` weighs its terms (rare words define the subject). */
export function frameClaim(text: string, idf: IdfLookup): ClaimFrame {
  const sentences = analyzeText(text, { claimMode: true });
  const terms: ClaimTerm[] = [];
  const byKey = new Map<string, ClaimTerm>();
  const actors: string[] = [];
  let agent = '';
  let seenVerb = false;
  let mainPolarity: 1 | -1 | 0 = 0;
  let direction = 0;
  let conditional = false;
  let hedged = false;
  const alternatives = { keys: new Set<string>(), actors: new Set<string>() };
  const chosen = { keys: new Set<string>(), actors: new Set<string>() };
  let quantity: ClaimFrame['quantity'];
  let deadlineYear: number | undefined;
  for (const s of sentences) {
    const tokens = s.tokens;
    const event = eventSpan(tokens);
    // The main verb follows the modal: a participle in the subject ("state-owned banks will not cut")
    // or a condition's verb ("If Israel strikes Iran, Russia will...") is not it.
    const modal = tokens.findIndex((t) => MODALS.has(t.lower));
    // The agent is named in the modal's clause, after an opening condition ("If Lai wins, Beijing will...").
    const opening = OPENERS.has(tokens[0]?.lower ?? '') ? tokens.findIndex((t) => t.lower === ',') : -1;
    const clauseStart = opening >= 0 && opening < modal ? opening + 1 : 0;
    // A clause after the main one says why or when, not what moves: "inflation will keep easing | as rate
    // hikes take effect".
    const after = modal >= 0 ? tokens.findIndex((t, i) => i > modal && SUBORDINATORS.has(t.lower) && opensClause(tokens, i)) : -1;
    const mainClause = (i: number) => after < 0 || i < after;
    for (const k of chosenBefore(tokens)) {
      const t = tokens[k] as Token;
      if (t.actor) chosen.actors.add(t.actor);
      else if (t.key) chosen.keys.add(t.key);
    }
    tokens.forEach((t, i) => {
      if (t.lower === 'if' || t.lower === 'unless' || t.lower === 'should' || t.lower === 'provided') conditional = true;
      if (t.hedge && t.lower !== 'if') hedged = true;
      const ruledOut = inContrast(tokens, i);
      if (t.actor) {
        if (!actors.includes(t.actor)) actors.push(t.actor);
        if (ruledOut) alternatives.actors.add(t.actor);
        else if (!seenVerb && !agent && i >= clauseStart) agent = t.actor;
        return;
      }
      if (ruledOut && t.key && (t.pos === 'NOUN' || t.pos === 'PROPN')) alternatives.keys.add(t.key);
      // A copula is the predicate when no verb follows it: "will not be subject to the duty", "will not still
      // be head of state" (but "will not be allowed to lapse" is the verb's).
      const copula =
        t.lemma === 'be' &&
        t.pos === 'AUX' &&
        modal >= 0 &&
        tokens.slice(modal + 1, i).every((u) => u.pos === 'PART' || u.pos === 'ADV') &&
        !tokens.slice(i + 1, i + 3).some((u) => u.pos === 'VERB' || u.pos === 'AUX');
      // (The word the modal governs is a verb even where the tagger read a noun: nlp.ts's `readModalVerb`.)
      if ((t.pos === 'VERB' || copula) && !seenVerb && i > modal) {
        seenVerb = true;
        // "will fail to pull Russia away", "will refuse to join", "attempts to drive a wedge will fail":
        // the claim is that the event does not happen.
        const next = tokens[i + 1];
        const failing = t.cls === WORD_CLASS.reversal && (!next || next.lower === 'to' || next.pos === 'PUNCT');
        if (mainPolarity === 0) mainPolarity = failing ? (-t.polarity as 1 | -1) : t.polarity;
      }
      if (t.cls === WORD_CLASS.increase && mainClause(i)) direction += t.polarity;
      else if (t.cls === WORD_CLASS.decrease && mainClause(i)) direction -= t.polarity;
      if (!t.key || t.pos === 'NUM') return;
      // A word the claim uses both inside and outside a denial ("will not lift LNG from Arctic LNG 2")
      // has no polarity of its own to compare: it still counts for coverage, not for alignment (2.12.1).
      const prior = byKey.get(t.key);
      if (prior) {
        if (prior.polarity !== t.polarity) prior.mixed = true;
        return;
      }
      const term: ClaimTerm = {
        key: t.key,
        weight: idf(t.key),
        polarity: t.polarity,
        pos: t.pos,
        cls: t.cls,
        event: i >= event[0] && i < event[1],
        related: relatedKeys(t.key) ?? new Set(),
        antonyms: antonymKeys(t.key) ?? new Set(),
      };
      byKey.set(t.key, term);
      terms.push(term);
    });
    // A threshold: the claim's first money/percent/volume figure, compared the way its words say.
    const q = s.quantities.find((x) => x.unit !== 'count') ?? s.quantities[0];
    if (q && !quantity) {
      // "8 million tonnes or less": the bound after the figure says it; words before it may still deny it.
      let cmp: 1 | -1 = q.bound === -1 ? -1 : 1;
      // With no word of comparison, a denied figure is a ceiling: "will not hold on to a 70% share".
      let polarity = comparisonPolarity(tokens, q.index);
      for (let k = Math.max(0, q.index - 6); k < q.index; k++) {
        const t = tokens[k];
        if (!t) continue;
        if (MORE_WORDS.has(t.lemma) || MORE_WORDS.has(t.lower)) {
          cmp = 1;
          polarity = comparisonPolarity(tokens, k);
        } else if (LESS_WORDS.has(t.lemma) || LESS_WORDS.has(t.lower)) {
          cmp = -1;
          polarity = comparisonPolarity(tokens, k);
        }
      }
      const lowerText = s.text.toLowerCase();
      const byYear = /\bby (?:the end of |end-)?(\d{4})\b/.exec(lowerText);
      const everyYear = /\b(?:every|each) year\b|\bannually\b|\bthrough(?:out)? (?:the end of )?\d{4}\b|\buntil \d{4}\b/.test(lowerText);
      quantity = {
        value: q.value,
        unit: q.unit,
        cmp: (cmp * polarity) as 1 | -1,
        ...(q.share ? { share: true } : {}),
        ...(byYear ? { by: Number(byYear[1]) } : q.year !== undefined && !everyYear ? { year: q.year } : {}),
      };
    }
    for (const y of s.years) deadlineYear = Math.max(deadlineYear ?? 0, y);
  }
  if (mainPolarity === 0) mainPolarity = terms.some((t) => t.polarity < 0) ? -1 : 1;
  const weight = terms.reduce((a, t) => a + t.weight, 0);
  const eventWeight = terms.reduce((a, t) => a + (t.event ? t.weight : 0), 0);
  const sorted = terms.map((t) => t.weight).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  return {
    text,
    terms,
    weight,
    eventWeight,
    coreKeys: new Set(terms.filter((t) => t.weight >= median).map((t) => t.key)),
    alternatives,
    chosen,
    themeKeys: new Set(
      terms.filter((t) => t.cls !== WORD_CLASS.increase && t.cls !== WORD_CLASS.decrease).flatMap((t) => [t.key, ...t.related]),
    ),
    actors,
    agent,
    negated: mainPolarity < 0,
    direction: Math.sign(direction) as -1 | 0 | 1,
    ...(quantity ? { quantity } : {}),
    ...(deadlineYear !== undefined ? { deadlineYear } : {}),
    conditional,
    hedged,
  };
}

/** How one sentence bears on a claim. */
export interface SentenceSignals {
  index: number;
  /** Weighted share of the claim's terms the sentence contains (relatives count 0.6), 0..1. */
  coverage: number;
  /** Coverage of the claim's core terms only. */
  core: number;
  /** Polarity agreement over the matched terms, weighted like coverage: -coverage..+coverage. */
  align: number;
  /** The same over the claim's event terms only, as a share of their weight. */
  alignEvent: number;
  /** Share of the event terms' weight matched. */
  eventCoverage: number;
  /** +1 the sentence's increase/decrease words go the claim's way, -1 against it, 0 neither. */
  direction: number;
  /** +1 a stated quantity meets the claim's threshold, -1 it misses it, 0 none comparable. */
  quantity: number;
  /** Relative gap of that quantity to the threshold, signed like `quantity`. */
  quantityGap: number;
  /** +1 the sentence's subject is the claim's agent, -1 another actor, 0 unknown. */
  subject: number;
  actorShare: number;
  hedged: number;
  reversals: number;
  negations: number;
  future: boolean;
  past: boolean;
  opinion: boolean;
  /** The sentence names the claim's deadline or threshold year. */
  yearMatch: boolean;
  title: boolean;
  /** The title or the body's first sentence. */
  lead: boolean;
  /** Names years, all of them before the claim's year: facts from before the forecast's period. */
  stale: boolean;
  /** Which way the sentence points for the claim, before any model: -1..1. */
  lean: number;
  /** The same, but as a share of what the sentence matched rather than of the whole claim. */
  leanMatched: number;
}

const RELATED_MATCH = 0.6;
/** How much of the claim a sentence must cover for a delay in it to be the claim's event's. */
const DELAY_COVERAGE = 0.3;

/**
 * How a claim term is found in a sentence (or a whole document): `m` 1 for the same key, RELATED_MATCH
 * for a WordNet relative, or, in a sentence, an antonym or a word of the opposite class (increase /
 * decrease); `q` the polarity it is found with, reversed for an antonym or an opposite. `keys` maps keys
 * to their polarity (a sentence) or to anything (a document: presence only).
 */
function matchTerm(t: ClaimTerm, keys: ReadonlyMap<string, number>, sentence?: DirectionView): { m: number; q: number } {
  // A direction word of the claim's matches the sentence's only where that word moves what the claim names.
  const only = sentence?.attached && (t.cls === WORD_CLASS.increase || t.cls === WORD_CLASS.decrease) ? sentence.attached : undefined;
  const exact = keys.get(t.key);
  if (exact !== undefined && (!only || only.has(t.key))) return { m: 1, q: exact };
  for (const r of t.related) {
    const p = keys.get(r);
    if (p !== undefined && (!only || only.has(r))) return { m: RELATED_MATCH, q: p };
  }
  if (!sentence) return { m: 0, q: 0 };
  for (const a of t.antonyms) {
    const p = keys.get(a);
    if (p !== undefined) return { m: RELATED_MATCH, q: -p };
  }
  // A word of increase matches the sentence's increase words, and its decrease words as opposites.
  if (t.cls === WORD_CLASS.increase || t.cls === WORD_CLASS.decrease) {
    const same = t.cls === WORD_CLASS.increase ? sentence.increase : sentence.decrease;
    const opposite = t.cls === WORD_CLASS.increase ? sentence.decrease : sentence.increase;
    if (same !== undefined) return { m: RELATED_MATCH, q: same };
    if (opposite !== undefined) return { m: RELATED_MATCH, q: -opposite };
  }
  return { m: 0, q: 0 };
}

/**
 * Increase words minus decrease words, each with its polarity, and the polarity of the increase and of
 * the decrease words (+1, -1, 0 where they differ), if any.
 */
function tally(moves: readonly Move[]): DirectionView {
  const view: DirectionView = { direction: 0 };
  for (const m of moves) {
    const up = m.cls === WORD_CLASS.increase;
    view.direction += up ? m.polarity : -m.polarity;
    const prev = up ? view.increase : view.decrease;
    const next = prev === undefined ? m.polarity : prev === m.polarity ? prev : 0;
    if (up) view.increase = next;
    else view.decrease = next;
  }
  return view;
}

/** A sentence's increase and decrease words as one claim sees them. */
interface DirectionView {
  increase?: number;
  decrease?: number;
  direction: number;
  /** When only some direction words count: their keys (a claim's direction word matches only these). */
  attached?: ReadonlySet<string>;
}

/**
 * The sentence's direction words that move something the claim names, when some do and others move
 * something else ("Poland trims defence spending as budget pressures mount": for a claim about defence
 * spending, only "trims"); otherwise all of them.
 */
function directionFor(claim: ClaimFrame, s: PreparedSentence): DirectionView {
  if (s.moves.length < 2) return s;
  const attached = s.moves.filter((m) => m.theme.some((k) => claim.themeKeys.has(k)));
  if (attached.length === 0 || attached.length === s.moves.length) return s;
  return { ...tally(attached), attached: new Set(attached.map((m) => m.key)) };
}

/** The sentence's subject names the claim's ruled-out alternative and nothing else the claim names. */
function ruledOutSubject(claim: ClaimFrame, s: PreparedSentence): boolean {
  const { keys, actors } = claim.alternatives;
  if (keys.size === 0 && actors.size === 0) return false;
  let alternative = false;
  for (const k of s.subjectKeys) {
    if (keys.has(k) || actors.has(k)) alternative = true;
    else if (k === claim.agent || claim.terms.some((t) => t.key === k)) return false;
  }
  return alternative;
}

/**
 * The sentence names the claim's ruled-out alternative and not what the claim chooses over it ("Petronet
 * signed with QatarEnergy" for "Petronet will sign with a US exporter rather than with QatarEnergy").
 */
function namesOnlyAlternative(claim: ClaimFrame, s: PreparedSentence): boolean {
  const { keys, actors } = claim.alternatives;
  const chosen = claim.chosen;
  if (chosen.keys.size + chosen.actors.size === 0) return false;
  for (const k of chosen.keys) if (s.keys.has(k)) return false;
  for (const a of chosen.actors) if (s.actors.has(a)) return false;
  for (const k of keys) if (s.keys.has(k)) return true;
  // (An alternative of the agent's own side names the agent too: "Xi will attend rather than send Premier Li".)
  for (const a of actors) if (a !== claim.agent && s.actors.has(a)) return true;
  return false;
}

/**
 * The sentence passes over what the claim expects to win or be chosen: its agent, or a name the claim
 * makes a term of ("Nawrocki won, beating Trzaskowski" for "Trzaskowski will win"), other than the
 * alternative the claim itself rules out.
 */
function passesOverClaim(claim: ClaimFrame, s: PreparedSentence): boolean {
  if (s.passedOver.size === 0) return false;
  const { keys, actors } = claim.alternatives;
  for (const k of s.passedOver) {
    if (keys.has(k) || actors.has(k)) continue;
    if (k === claim.agent || claim.actors.includes(k) || claim.terms.some((t) => t.key === k)) return true;
  }
  return false;
}

/** Figures this many tokens nearer the claim's words than another are the ones measured; closer calls go by value. */
const PROXIMITY_SLACK = 3;

/** A key names one of the claim's terms (other than its direction words), or a WordNet relative of one. */
function countsClaimTerm(claim: ClaimFrame, key: string): boolean {
  return claim.terms.some((t) => t.cls === WORD_CLASS.none && (t.key === key || t.related.has(key)));
}

/** Where a sentence's tokens carry the claim's content keys (or their WordNet relatives), direction words aside. */
function claimTermPositions(claim: ClaimFrame, tokens: readonly Token[]): number[] {
  const out: number[] = [];
  tokens.forEach((tok, i) => {
    if (!tok.key) return;
    if (countsClaimTerm(claim, tok.key)) out.push(i);
  });
  return out;
}

export function sentenceSignals(claim: ClaimFrame, s: PreparedSentence, index: number): SentenceSignals {
  const moved = directionFor(claim, s);
  let cover = 0;
  let core = 0;
  let coreTotal = 0;
  let align = 0;
  let eventCover = 0;
  let eventAlign = 0;
  for (const t of claim.terms) {
    const isCore = claim.coreKeys.has(t.key);
    if (isCore) coreTotal += t.weight;
    const { m, q } = matchTerm(t, s.keys, moved);
    if (m === 0) continue;
    cover += t.weight * m;
    if (isCore) core += t.weight * m;
    const p = t.mixed ? 0 : t.polarity;
    align += t.weight * m * q * p;
    if (t.event) {
      eventCover += t.weight * m;
      eventAlign += t.weight * m * q * p;
    }
  }
  // The alternative the claim rules out is what the sentence is about ("Lada remained the best-selling
  // brand" for "A Chinese brand, not Lada, will be..."): what it reports of the event counts the other way.
  // So is a sentence that names the claim's own choice as the one passed over.
  if (ruledOutSubject(claim, s) || passesOverClaim(claim, s) || namesOnlyAlternative(claim, s)) {
    align = -align;
    eventAlign = -eventAlign;
  }
  const coverage = claim.weight > 0 ? cover / claim.weight : 0;
  const alignN = claim.weight > 0 ? align / claim.weight : 0;
  let direction = 0;
  if (claim.direction !== 0 && moved.direction !== 0 && coverage > 0) direction = Math.sign(claim.direction * moved.direction);
  let quantity = 0;
  let quantityGap = 0;
  if (claim.quantity && coverage > 0) {
    const cq = claim.quantity;
    let best: Quantity | undefined;
    const comparable = s.sentence.quantities.filter(
      (q) =>
        q.unit === cq.unit &&
        // A share is a level: "sales have fallen by 90 %" says nothing of "a share of at least 30 % of sales".
        !(cq.share && q.change) &&
        !(cq.year !== undefined && q.year !== undefined && q.year !== cq.year) &&
        !(cq.by !== undefined && q.year !== undefined && q.year > cq.by) &&
        // Same order of magnitude: a percentage change is not a share, a monthly figure not a yearly one.
        q.value >= cq.value / 20 &&
        q.value <= cq.value * 20 &&
        // A small number in words counts for the threshold only where it counts what the claim names.
        (!q.counted || q.counted.some((k) => countsClaimTerm(claim, k))),
    );
    // A figure named rather than measured beside a measured one: the target restated ("fell to $83bn,
    // short of the $100bn officials had predicted") or where a change began ("from 5 % to 50 %").
    const named = (q: Quantity) => q.role !== undefined;
    const measured = comparable.some((q) => !named(q)) ? comparable.filter((q) => !named(q)) : comparable;
    // How far a figure stands from the nearest word of the claim's: "raising the duty on electric
    // vehicles from 25% to 100% and the rate on solar cells to 50%" measures the vehicles by 100%.
    // (Only where there is a choice: most sentences state one comparable figure.)
    const claimAt = measured.length > 1 ? claimTermPositions(claim, s.sentence.tokens) : [];
    const distance = (q: Quantity) => (claimAt.length ? Math.min(...claimAt.map((i) => Math.abs(i - q.index))) : 0);
    for (const q of measured) {
      // Stated values before bounds, then the nearest the claim's words, then the closest to the threshold.
      const closer =
        !best ||
        (q.bound === 0) > (best.bound === 0) ||
        ((q.bound === 0) === (best.bound === 0) &&
          (distance(q) < distance(best) - PROXIMITY_SLACK ||
            (Math.abs(distance(q) - distance(best)) <= PROXIMITY_SLACK &&
              Math.abs(Math.log(q.value / cq.value)) < Math.abs(Math.log(best.value / cq.value)))));
      if (closer) best = q;
    }
    if (best) {
      const gap = (best.value - cq.value) / cq.value;
      // A bound settles the threshold only when it lies on the threshold's far side ("below 50%"
      // misses "more than half"; "above 50%" meets it); otherwise the figure says nothing.
      const met =
        best.bound === 0
          ? cq.cmp > 0
            ? gap >= -0.005
            : gap <= 0.005
          : best.bound === cq.cmp
            ? cq.cmp > 0
              ? gap >= -0.005
              : gap <= 0.005
            : cq.cmp > 0
              ? gap > 0.005
              : gap < -0.005;
      // Before the deadline year, a figure short of the threshold is not yet a miss.
      const early = cq.by !== undefined && best.year !== undefined && best.year < cq.by;
      quantity = met ? 1 : early ? 0 : -1;
      quantityGap = quantity * Math.min(1, Math.abs(gap));
    }
  }
  let actorsPresent = 0;
  for (const a of claim.actors) if (s.actors.has(a)) actorsPresent++;
  const subject = !s.subject
    ? 0
    : s.subject === claim.agent || (claim.agent === '' && claim.actors.includes(s.subject))
      ? 1
      : claim.actors.includes(s.subject)
        ? 0
        : -1;
  const alignEvent = claim.eventWeight > 0 ? eventAlign / claim.eventWeight : 0;
  const claimYear = claim.quantity?.year ?? claim.deadlineYear;
  // A stated figure against the claim's threshold settles the question more than the wording does.
  const words = alignEvent + 0.3 * direction * coverage;
  const hedge = 1 - 0.5 * s.sentence.hedged;
  // So does the claim's event put off past its deadline ("grid connection has been delayed until 2027"
  // for "will be connected before the end of 2026"): against the forecast, or for it when it is denied.
  const missed =
    claim.deadlineYear !== undefined &&
    s.delayedTo !== undefined &&
    s.delayedTo > claim.deadlineYear &&
    coverage >= DELAY_COVERAGE &&
    // A forecast of the delay itself ("will be postponed beyond 2025") is met by it, as its words say.
    !claim.terms.some((t) => DELAY_KEYS.has(t.key))
      ? claim.negated
        ? 1
        : -1
      : 0;
  const settled = quantity !== 0 ? quantity : missed;
  const lean = Math.max(-1, Math.min(1, (settled !== 0 ? 0.8 * settled + 0.2 * words : words) * hedge));
  const matchedWords = eventCover > 0 ? eventAlign / eventCover : cover > 0 ? align / cover : 0;
  const leanMatched = Math.max(
    -1,
    Math.min(1, (settled !== 0 ? 0.8 * settled + 0.2 * matchedWords : matchedWords + 0.3 * direction) * hedge),
  );
  return {
    index,
    coverage,
    core: coreTotal > 0 ? core / coreTotal : 0,
    align: alignN,
    alignEvent,
    eventCoverage: claim.eventWeight > 0 ? eventCover / claim.eventWeight : 0,
    direction,
    quantity,
    quantityGap,
    subject,
    actorShare: claim.actors.length ? actorsPresent / claim.actors.length : 1,
    hedged: s.sentence.hedged,
    reversals: s.reversals,
    negations: s.negations,
    future: s.future,
    past: s.past,
    opinion: s.opinion,
    yearMatch:
      (claim.deadlineYear !== undefined && s.sentence.years.includes(claim.deadlineYear)) ||
      (claim.quantity?.year !== undefined && s.sentence.years.includes(claim.quantity.year)),
    title: s.title,
    lead: s.lead,
    stale: claimYear !== undefined && s.sentence.years.length > 0 && s.sentence.years.every((y) => y < claimYear),
    lean,
    leanMatched,
  };
}

/** Every sentence's signals, best covered first (ties: earlier first). */
export function rankSignals(claim: ClaimFrame, doc: PreparedDocument): SentenceSignals[] {
  const out = doc.sentences.map((s, i) => sentenceSignals(claim, s, i));
  out.sort((a, b) => b.coverage - a.coverage || a.index - b.index);
  return out;
}

/** Document-level coverage of the claim's terms (exact or relative anywhere in the article). */
export function documentCoverage(claim: ClaimFrame, doc: PreparedDocument): { all: number; exact: number; core: number; actors: number } {
  let all = 0;
  let exact = 0;
  let core = 0;
  let coreTotal = 0;
  for (const t of claim.terms) {
    const isCore = claim.coreKeys.has(t.key);
    if (isCore) coreTotal += t.weight;
    const { m } = matchTerm(t, doc.keys);
    if (m === 1) exact += t.weight;
    all += t.weight * m;
    if (isCore) core += t.weight * m;
  }
  let actors = 0;
  for (const a of claim.actors) if (doc.actors.has(a)) actors++;
  const w = claim.weight || 1;
  return {
    all: all / w,
    exact: exact / w,
    core: coreTotal ? core / coreTotal : 0,
    actors: claim.actors.length ? actors / claim.actors.length : 1,
  };
}
