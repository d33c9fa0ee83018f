import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildLexicon, fncBodiesFile, LEXICON_FILE } from '../scripts/build-lexicon.ts';

const haveFnc = fs.existsSync(fncBodiesFile());
if (!haveFnc) console.warn(`skipping the lexicon rebuild check: ${fncBodiesFile()} not found (needs ../shared)`);

// The lexicon's vocabulary is the texts the scorer learns from, so new data changes what the script
// builds; the committed file must be rebuilt with it (and the models retrained on it).
describe.skipIf(!haveFnc)('the committed lexicon (needs ../shared)', () => {
  it('is what scripts/build-lexicon.ts builds from WordNet and the data as committed', () => {
    const built = buildLexicon();
    const committed = fs.readFileSync(LEXICON_FILE, 'utf8');
    const parse = (text: string) => JSON.parse(text) as { related: Record<string, string[]>; classes: Record<string, string[]> };
    // Name the words that differ before comparing the whole text, so a failure says what to rebuild.
    const [want, got] = [parse(built.text), parse(committed)];
    const differing = [...new Set([...Object.keys(want.related), ...Object.keys(got.related)])].filter(
      (w) => JSON.stringify(want.related[w]) !== JSON.stringify(got.related[w]),
    );
    expect(differing, 'related words that differ: run npx tsx scripts/build-lexicon.ts').toEqual([]);
    expect(got.classes).toEqual(want.classes);
    expect(committed === built.text, 'lexicon.json differs from the build: run npx tsx scripts/build-lexicon.ts').toBe(true);
  }, 60_000);
});
