/**
 * Text normalisation shared by training and scoring: tokenising, a light stemmer,
 * stop words and sentence splitting. Everything here is deterministic and pure.
 */

const STOP_WORDS = new Set(
  (
    'a about above after again against all am an and any are aren as at be because been before being below ' +
    'between both but by can could did do does doing down during each few for from further had has have having ' +
    'he her here hers herself him himself his how i if in into is it its itself just me more most my myself ' +
    'of off on once only or other our ours ourselves out over own same she should so some such than that the ' +
    'their theirs them themselves then there these they this those through to too under until up very was we ' +
    'were what when where which while who whom why will with would you your yours yourself yourselves ' +
    's t d ll m o re ve y also one two new says said say us mr ms mrs'
  ).split(' '),
);

/** Words that change stance and must survive stop-word removal. */
const KEEP_WORDS = new Set(['not', 'no', 'nor', 'never', 'against', 'don', 'isn', 'wasn', 'didn', 'won']);

export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word) && !KEEP_WORDS.has(word);
}

const TOKEN_RE = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

/** Lower-cased word tokens; apostrophe suffixes ("n't", "'s") are split off as their own forms. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  const lower = text.toLowerCase();
  for (const m of lower.matchAll(TOKEN_RE)) {
    const w = m[0];
    const apo = w.search(/['’]/);
    if (apo < 0) {
      out.push(w);
      continue;
    }
    const head = w.slice(0, apo);
    const tail = w.slice(apo + 1);
    if (tail === 't' && head.endsWith('n')) {
      out.push(head.slice(0, -1) || head, 'not');
    } else {
      out.push(head);
    }
  }
  return out;
}

const stemCache = new Map<string, string>();
const STEM_CACHE_MAX = 200_000;

/**
 * A small suffix-stripping stemmer (Porter-like step 1 plus common derivational endings).
 * Good enough to conflate "denies/denied/denying" and "reports/reported"; cached per word.
 */
export function stem(word: string): string {
  const cached = stemCache.get(word);
  if (cached !== undefined) return cached;
  const s = computeStem(word);
  if (stemCache.size >= STEM_CACHE_MAX) stemCache.clear();
  stemCache.set(word, s);
  return s;
}

function computeStem(w: string): string {
  if (w.length <= 3 || /\d/.test(w)) return w;
  let s = w;
  if (s.endsWith('sses')) s = s.slice(0, -2);
  else if (s.endsWith('ies')) s = s.slice(0, -3) + 'y';
  else if (s.endsWith('ss') || s.endsWith('us') || s.endsWith('is')) {
    // keep
  } else if (s.endsWith('s') && s.length > 3) s = s.slice(0, -1);
  if (s.endsWith('eed')) {
    // agreed -> agree
    s = s.slice(0, -1);
  } else if (s.endsWith('ied') && s.length > 4) s = s.slice(0, -3) + 'y';
  else if (s.endsWith('ed') && s.length > 4 && /[aeiou]/.test(s.slice(0, -2))) s = undouble(s.slice(0, -2));
  else if (s.endsWith('ing') && s.length > 5 && /[aeiou]/.test(s.slice(0, -3))) s = undouble(s.slice(0, -3));
  for (const [suffix, repl] of SUFFIXES) {
    if (s.endsWith(suffix) && s.length - suffix.length >= 3) {
      s = s.slice(0, -suffix.length) + repl;
      break;
    }
  }
  if (s.endsWith('e') && s.length > 4) s = s.slice(0, -1);
  if (s.endsWith('y') && s.length > 3) s = s.slice(0, -1) + 'i';
  return s;
}

const SUFFIXES: [string, string][] = [
  ['ational', 'ate'],
  ['ization', 'ize'],
  ['fulness', 'ful'],
  ['iveness', 'ive'],
  ['ousness', 'ous'],
  ['ation', 'ate'],
  ['ement', ''],
  ['ments', ''],
  ['ment', ''],
  ['ness', ''],
  ['ably', 'able'],
  ['ally', 'al'],
  ['ily', 'y'],
  ['ly', ''],
  ['ity', ''],
  ['ive', ''],
  ['ize', ''],
  ['ise', ''],
  ['er', ''],
  ['or', ''],
];

function undouble(s: string): string {
  const n = s.length;
  if (n >= 2 && s[n - 1] === s[n - 2] && !/[lsz]/.test(s[n - 1] ?? '')) return s.slice(0, -1);
  return s;
}

/** Content terms: stemmed tokens without stop words. */
export function contentTerms(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of tokens) if (!isStopWord(t)) out.push(stem(t));
  return out;
}

/**
 * Splits text into sentences on terminal punctuation followed by space and an upper-case
 * letter, a quote or a digit, and on line breaks. Very long fragments are kept whole.
 */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const para of text.split(/\n+/)) {
    const p = para.trim();
    if (!p) continue;
    const parts = p.split(/(?<=[.!?]["'”’)]?)\s+(?=["'“‘(]?[\p{Lu}\p{N}])/u);
    for (const part of parts) {
      const s = part.trim();
      if (s) out.push(s);
    }
  }
  return out;
}
