/**
 * Which newly written real-event articles report an event already written (datasets/real-events/README.md):
 * compares each article of the given files with every article of the four sets and with the files' other
 * articles by the content words of its title and lead (the first 60 words), and prints the close pairs with
 * the days between their event dates. A pair is printed at Jaccard `--min` (0.22) or more, or at 0.12 or
 * more when the events are at most 45 days apart. Writers are given every event to avoid, yet write some
 * again; a reader decides from this list which to drop (the same event, or the previous or next instalment
 * of a measured article's story).
 *
 *   npx tsx scripts/event-overlap.ts new.jsonl [...] [--min 0.22]
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  readJsonl,
  REAL_EVENTS_DEV_FILE,
  REAL_EVENTS_FILE,
  REAL_EVENTS_TEST_FILE,
  REAL_EVENTS_VALIDATION_FILE,
  scriptArg,
  statementTerms,
  termJaccard,
} from './datasets.ts';

interface Written {
  id: string;
  event_date: string;
  article: { title: string; body: string };
}

const LEAD_WORDS = 60;
/** Events this close in time are printed at a lower overlap: the same story told with other words. */
const NEAR_DAYS = 45;
const NEAR_MIN = 0.12;

const read = (file: string) => readJsonl<Written>(path.resolve(file));

function main(): void {
  const min = Number(scriptArg('min') ?? 0.22);
  const files = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--min');
  if (files.length === 0) throw new Error('event-overlap: name the new articles file(s)');
  const terms = (w: Written) => statementTerms(`${w.article.title} ${w.article.body.split(/\s+/).slice(0, LEAD_WORDS).join(' ')}`);
  const written = [REAL_EVENTS_FILE, REAL_EVENTS_DEV_FILE, REAL_EVENTS_TEST_FILE, REAL_EVENTS_VALIDATION_FILE]
    .filter((f) => fs.existsSync(f))
    .flatMap(read)
    .map((w) => ({ w, t: terms(w) }));
  const fresh = files.flatMap(read).map((w) => ({ w, t: terms(w) }));
  const known = new Set(written.map(({ w }) => w.id));
  let close = 0;
  fresh.forEach((n, i) => {
    // Against the sets (an article already merged is not compared with itself) and the files' later articles.
    const others = [...written.filter(({ w }) => w.id !== n.w.id), ...fresh.slice(i + 1).filter(({ w }) => !known.has(w.id))];
    for (const o of others) {
      const score = termJaccard(n.t, o.t);
      const days = Math.abs(Date.parse(n.w.event_date) - Date.parse(o.w.event_date)) / 86_400_000;
      if (score < min && !(score >= NEAR_MIN && days <= NEAR_DAYS)) continue;
      close++;
      console.log(`${score.toFixed(2)} ${days.toFixed(0)}d  ${n.w.id} ${n.w.event_date} ${n.w.article.title}`);
      console.log(`              ${o.w.id} ${o.w.event_date} ${o.w.article.title}`);
    }
  });
  console.log(`${close} close pairs for ${fresh.length} articles`);
}

main();
