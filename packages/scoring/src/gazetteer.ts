/**
 * Actors by name: countries, blocs and organisations with their demonyms, capitals, leaders and
 * institutions, so that "Beijing", "Chinese" and "Xi" are all China and the direction analysis can
 * tell who acts on whom. Multi-word names are matched longest first.
 */

const ACTORS: Record<string, string[]> = {
  CN: [
    'china',
    'chinese',
    'beijing',
    'prc',
    "people's republic of china",
    'xi',
    'xi jinping',
    'li qiang',
    'wang yi',
    'ccp',
    'cpc',
    'sino',
    'zhongnanhai',
    'pla',
    "people's liberation army",
    'cnpc',
    'sinopec',
    'huawei',
    'icbc',
    'bank of china',
    'china construction bank',
    'hong kong',
    'mofcom',
    'xinhua',
    'global times',
  ],
  TW: ['taiwan', 'taiwanese', 'taipei', 'republic of china', 'tsai ing-wen', 'lai ching-te', 'kuomintang', 'kmt', 'dpp'],
  RU: [
    'russia',
    'russian',
    'russians',
    'moscow',
    'kremlin',
    'putin',
    'vladimir putin',
    'lavrov',
    'sergei lavrov',
    'medvedev',
    'mishustin',
    'peskov',
    'gazprom',
    'rosneft',
    'rosatom',
    'sberbank',
    'vtb',
    'tass',
    'ria novosti',
    'novak',
    'russian federation',
  ],
  UA: [
    'ukraine',
    'ukrainian',
    'ukrainians',
    'kyiv',
    'kiev',
    'zelensky',
    'zelenskyy',
    'zelenskiy',
    'donbas',
    'donbass',
    'kharkiv',
    'crimea',
  ],
  KP: ['north korea', 'north korean', 'north koreans', 'dprk', 'pyongyang', 'kim jong un', 'kim jong-un'],
  KR: ['south korea', 'south korean', 'seoul', 'republic of korea', 'rok', 'yoon suk yeol', 'lee jae-myung'],
  EU: ['eu', 'european union', 'european commission', 'brussels', 'von der leyen', 'european council', 'europe', 'european'],
  US: [
    'us',
    'u.s.',
    'usa',
    'united states',
    'america',
    'american',
    'americans',
    'washington',
    'biden',
    'trump',
    'white house',
    'pentagon',
    'state department',
    'treasury',
    'ofac',
    'blinken',
    'rubio',
    'congress',
  ],
  IN: ['india', 'indian', 'new delhi', 'delhi', 'modi', 'jaishankar'],
  JP: ['japan', 'japanese', 'tokyo', 'kishida', 'ishiba'],
  IR: ['iran', 'iranian', 'tehran'],
  BY: ['belarus', 'belarusian', 'minsk', 'lukashenko'],
  KZ: ['kazakhstan', 'kazakh', 'astana', 'tokayev'],
  CA: ['central asia', 'central asian', 'uzbekistan', 'kyrgyzstan', 'tajikistan', 'turkmenistan', 'uzbek', 'kyrgyz', 'tajik', 'turkmen'],
  TR: ['turkey', 'turkish', 'türkiye', 'ankara', 'erdogan'],
  DE: ['germany', 'german', 'berlin', 'scholz', 'merz'],
  FR: ['france', 'french', 'paris', 'macron'],
  GB: ['britain', 'british', 'uk', 'united kingdom', 'london'],
  NATO: ['nato', 'north atlantic treaty organization'],
  UN: ['un', 'united nations', 'security council', 'general assembly', 'guterres'],
  SCO: ['sco', 'shanghai cooperation organisation', 'shanghai cooperation organization'],
  BRICS: ['brics'],
  G7: ['g7', 'group of seven'],
  SA: ['saudi arabia', 'saudi', 'riyadh', 'opec'],
  BR: ['brazil', 'brazilian', 'lula'],
  MN: ['mongolia', 'mongolian'],
  VN: ['vietnam', 'vietnamese'],
  AU: ['australia', 'australian'],
  GE: ['georgia', 'georgian', 'tbilisi'],
  MD: ['moldova', 'moldovan'],
  IL: ['israel', 'israeli'],
  // Russia's and China's other partners and rivals, so that who acts is known beyond the corpus's core.
  PL: ['poland', 'polish', 'warsaw'],
  HU: ['hungary', 'hungarian', 'budapest', 'orban', 'viktor orban'],
  RS: ['serbia', 'serbian', 'belgrade', 'vucic'],
  FI: ['finland', 'finnish', 'helsinki'],
  SE: ['sweden', 'swedish', 'stockholm'],
  NO: ['norway', 'norwegian', 'oslo'],
  BALT: ['estonia', 'estonian', 'latvia', 'latvian', 'lithuania', 'lithuanian', 'baltic states', 'tallinn', 'riga', 'vilnius'],
  IT: ['italy', 'italian', 'rome', 'meloni'],
  ES: ['spain', 'spanish', 'madrid'],
  NL: ['netherlands', 'dutch', 'the hague'],
  AM: ['armenia', 'armenian', 'yerevan', 'pashinyan'],
  AZ: ['azerbaijan', 'azerbaijani', 'baku', 'aliyev'],
  SY: ['syria', 'syrian', 'damascus', 'assad'],
  IQ: ['iraq', 'iraqi', 'baghdad'],
  AF: ['afghanistan', 'afghan', 'kabul', 'taliban'],
  PK: ['pakistan', 'pakistani', 'islamabad'],
  MM: ['myanmar', 'burma', 'burmese', 'naypyidaw'],
  PH: ['philippines', 'philippine', 'filipino', 'manila', 'marcos'],
  ID: ['indonesia', 'indonesian', 'jakarta', 'prabowo'],
  MY: ['malaysia', 'malaysian', 'kuala lumpur'],
  TH: ['thailand', 'thai', 'bangkok'],
  EG: ['egypt', 'egyptian', 'cairo'],
  ZA: ['south africa', 'south african', 'pretoria', 'ramaphosa'],
  DZ: ['algeria', 'algerian', 'algiers'],
  MA: ['morocco', 'moroccan', 'rabat'],
  LY: ['libya', 'libyan', 'tripoli'],
  SD: ['sudan', 'sudanese', 'khartoum'],
  SAHEL: ['mali', 'malian', 'bamako', 'niger', 'nigerien', 'niamey', 'burkina faso', 'burkinabe', 'ouagadougou'],
  NG: ['nigeria', 'nigerian', 'abuja'],
  ET: ['ethiopia', 'ethiopian', 'addis ababa'],
  AE: ['united arab emirates', 'uae', 'emirati', 'abu dhabi', 'dubai'],
  QA: ['qatar', 'qatari', 'doha'],
  VE: ['venezuela', 'venezuelan', 'caracas', 'maduro'],
  CU: ['cuba', 'cuban', 'havana'],
  NI: ['nicaragua', 'nicaraguan', 'managua'],
  MX: ['mexico', 'mexican'],
  AR: ['argentina', 'argentine', 'buenos aires', 'milei'],
};

/** Which actor a name stands for; keys are lower-case word sequences joined by one space. */
const BY_NAME = new Map<string, string>();
/** The longest name, in words. */
let maxWords = 1;
for (const [code, names] of Object.entries(ACTORS)) {
  for (const name of names) {
    const words = name.split(/[\s]+/);
    maxWords = Math.max(maxWords, words.length);
    BY_NAME.set(words.join(' '), code);
  }
}

/** Names that are also ordinary words: only counted when written with a capital. */
const CAPITALISED_ONLY = new Set(['us', 'treasury', 'congress', 'un', 'georgia', 'sino', 'european', 'europe', 'polish', 'rome']);

/**
 * The actor of each token (or ''), matching the longest name that starts at each token. `lower` are
 * lower-cased token texts and `text` the original ones (for the capitalised-only names).
 */
export function tagActors(lower: readonly string[], text: readonly string[]): string[] {
  const out = new Array<string>(lower.length).fill('');
  for (let i = 0; i < lower.length; i++) {
    for (let n = Math.min(maxWords, lower.length - i); n >= 1; n--) {
      const name = n === 1 ? (lower[i] ?? '') : lower.slice(i, i + n).join(' ');
      const code = BY_NAME.get(name);
      if (!code) continue;
      if (n === 1 && CAPITALISED_ONLY.has(name)) {
        const t = text[i] ?? '';
        if (!/^\p{Lu}/u.test(t)) continue;
        if (name === 'us' && t !== 'US' && t !== 'U.S.') continue;
      }
      for (let k = i; k < i + n; k++) out[k] = code;
      i += n - 1;
      break;
    }
  }
  return out;
}
