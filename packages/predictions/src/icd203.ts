/**
 * The US Intelligence Community Directive 203 (ICD 203, 2015) expressions of likelihood.
 * Each band pairs a term with its published synonym; a forecast hedged with one of these words
 * is scored at the band's midpoint. Bands are half-open [low, high), the last one closed.
 */
export const ICD203_SCALE = [
  { term: 'almost no chance', synonyms: ['remote'], low: 0.01, high: 0.05 },
  { term: 'very unlikely', synonyms: ['highly improbable'], low: 0.05, high: 0.2 },
  { term: 'unlikely', synonyms: ['improbable', 'improbably'], low: 0.2, high: 0.45 },
  { term: 'roughly even chance', synonyms: ['roughly even odds'], low: 0.45, high: 0.55 },
  { term: 'likely', synonyms: ['probable', 'probably'], low: 0.55, high: 0.8 },
  { term: 'very likely', synonyms: ['highly probable'], low: 0.8, high: 0.95 },
  { term: 'almost certain', synonyms: ['almost certainly', 'nearly certain'], low: 0.95, high: 0.99 },
] as const;

export type Icd203Term = (typeof ICD203_SCALE)[number]['term'];

export const ICD203_TERMS = ICD203_SCALE.map((b) => b.term) as Icd203Term[];

export interface HedgeProbability {
  /** The scale's own term for the band, e.g. "likely" for "probably". */
  term: Icd203Term;
  low: number;
  high: number;
  /** The band's midpoint, used as the forecast's probability. */
  probability: number;
}

function normalizeHedge(word: string): string {
  return word.trim().toLowerCase().replace(/\s+/g, ' ');
}

const byWord = new Map<string, HedgeProbability>();
for (const band of ICD203_SCALE) {
  const value: HedgeProbability = {
    term: band.term,
    low: band.low,
    high: band.high,
    probability: Math.round(((band.low + band.high) / 2) * 1000) / 1000,
  };
  for (const word of [band.term, ...band.synonyms]) byWord.set(word, value);
}

/** Every word the scale accepts (terms and synonyms), for messages and did-you-mean. */
export const ICD203_WORDS = [...byWord.keys()];

/**
 * The probability an ICD 203 hedge word implies (the midpoint of its band), or undefined when
 * the word is not on the scale. Case and spacing are ignored: "Very Likely" is "very likely".
 */
export function probabilityForHedge(word: string): HedgeProbability | undefined {
  return byWord.get(normalizeHedge(word));
}

/** The ICD 203 band a probability falls in, for calibration buckets. */
export function bandForProbability(p: number): (typeof ICD203_SCALE)[number] {
  for (const band of ICD203_SCALE) if (p < band.high) return band;
  return ICD203_SCALE[ICD203_SCALE.length - 1]!;
}
