/**
 * Country/bloc mentions for the relevance guard. Word overlap confuses entities that share
 * words or topics (North vs South Korea share "Korea"; the PRC vs the Republic of China share
 * "China"; Russia vs Ukraine and China-EU vs China-Russia share whole stories), so a claim's
 * entities must each be present in the article, and a confusable partner standing in for a
 * missing one is penalised hard.
 */

export type EntityCode = 'CN' | 'TW' | 'RU' | 'UA' | 'KP' | 'KR' | 'EU' | 'US' | 'IN' | 'JP';

interface Alias {
  re: RegExp;
  code: EntityCode;
}

// Longest, most specific aliases first: a matched span is blanked before later aliases run,
// so "Republic of China" is not also read as "China", nor "South Korea" as "Korea".
const ALIASES: Alias[] = [
  { re: /\bPeople'?s Republic of China\b|\bPRC\b|\bCCP\b|\bCPC\b|\bXi Jinping\b|\bPresident Xi\b/g, code: 'CN' },
  {
    re: /\bRepublic of China\b|\bROC\b|\bTaiwan(?:ese)?\b|\bTaipei\b|\bTsai Ing-wen\b|\bLai Ching-te\b|\bKuomintang\b|\bKMT\b/g,
    code: 'TW',
  },
  { re: /\bNorth Korea(?:n|ns)?\b|\bDPRK\b|\bPyongyang\b|\bKim Jong[- ]Un\b/g, code: 'KP' },
  { re: /\bSouth Korea(?:n|ns)?\b|\bRepublic of Korea\b|\bROK\b|\bSeoul\b|\bYoon Suk[- ]yeol\b|\bLee Jae[- ]myung\b/g, code: 'KR' },
  { re: /\bEuropean Union\b|\bEuropean Commission\b|\bEU\b|\bBrussels\b|\bvon der Leyen\b/g, code: 'EU' },
  {
    re: /\bUnited States\b|\bU\.S\.A?\b|\bUSA?\b|\bWashington\b|\bAmerican?s?\b|\bBiden\b|\bTrump\b|\bWhite House\b|\bPentagon\b/g,
    code: 'US',
  },
  { re: /\bRussia(?:n|ns)?\b|\bMoscow\b|\bKremlin\b|\bPutin\b|\bLavrov\b|\bMedvedev\b/g, code: 'RU' },
  { re: /\bUkrain(?:e|ian|ians)\b|\bKyiv\b|\bKiev\b|\bZelensk(?:y|yy|iy)\b|\bDonbas+\b/g, code: 'UA' },
  { re: /\bChina\b|\bChinese\b|\bBeijing\b|\bSino-/g, code: 'CN' },
  { re: /\bIndia(?:n|ns)?\b|\bNew Delhi\b|\bModi\b/g, code: 'IN' },
  { re: /\bJapan(?:ese)?\b|\bTokyo\b/g, code: 'JP' },
];

/** Pairs that word overlap mixes up; a partner present for a missing entity is strong evidence of confusion. */
const CONFUSABLE: Partial<Record<EntityCode, EntityCode[]>> = {
  RU: ['UA', 'EU', 'US'],
  UA: ['RU'],
  CN: ['TW'],
  TW: ['CN'],
  KP: ['KR'],
  KR: ['KP'],
  EU: ['RU', 'US'],
  US: ['RU', 'EU'],
};

/** Counts of entity mentions in a text. */
export function findEntities(text: string): Map<EntityCode, number> {
  const out = new Map<EntityCode, number>();
  let rest = text;
  for (const { re, code } of ALIASES) {
    re.lastIndex = 0;
    rest = rest.replace(re, (m) => {
      out.set(code, (out.get(code) ?? 0) + 1);
      return ' '.repeat(m.length);
    });
  }
  return out;
}

export interface EntityCheck {
  /** Multiplier for relevance, 0..1. */
  factor: number;
  missing: EntityCode[];
  confused: EntityCode[];
}

/**
 * Compares a claim's entities with an article's. Every claim entity missing from the
 * article discounts relevance (x0.5); a missing entity whose confusable partner is present
 * (Ukraine for Russia, Taiwan for China, ...) discounts it much more.
 */
export function checkEntities(claim: Map<EntityCode, number>, article: Map<EntityCode, number>): EntityCheck {
  const missing: EntityCode[] = [];
  const confused: EntityCode[] = [];
  for (const code of claim.keys()) {
    if ((article.get(code) ?? 0) > 0) continue;
    missing.push(code);
    if ((CONFUSABLE[code] ?? []).some((p) => (article.get(p) ?? 0) > 0)) confused.push(code);
  }
  let factor = 1;
  for (const code of missing) {
    if (!confused.includes(code)) factor *= 0.5;
    // The partner standing in is itself named by the claim ("sanctions on Russia over Ukraine"
    // vs an article about Ukraine only): still a strong sign the article is about something else.
    else factor *= (CONFUSABLE[code] ?? []).some((p) => claim.has(p)) ? 0.25 : 0.15;
  }
  return { factor, missing, confused };
}

/** Lower-cased words that only name an entity (used to tell topical overlap from mere co-mention). */
export const ENTITY_WORDS = new Set(
  (
    'china chinese beijing prc ccp cpc xi jinping taiwan taiwanese taipei roc russia russian russians moscow ' +
    'kremlin putin ukraine ukrainian ukrainians kyiv kiev zelensky zelenskyy korea korean koreans north south ' +
    'pyongyang seoul dprk rok eu european union brussels us usa america american americans washington india ' +
    'indian japan japanese tokyo sino'
  ).split(' '),
);
