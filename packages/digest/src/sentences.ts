/**
 * The digest's sentences about a forecast's week, generated from the one vocabulary
 * (@signpost/ledger) and the record at the window's start and end. Each sentence is built from the
 * same three facts (the status before, the status after, the evidence of the week), so it cannot
 * say "no evidence yet" beside a balance, or "still" beside a change (issue #15).
 */
import { STANCE_ADJECTIVES, isResolved, statusLabel, statusWord, type Status } from '@signpost/vocabulary';
import type { DigestForecast } from './build-digest.ts';

export interface ChangeSentence {
  /** A short headline: "Contested → Under pressure", "▲ +0.12", "Resolved: came true". */
  label: string;
  /** One sentence that says what happened and why. */
  detail: string;
}

const signed = (x: number) => `${x > 0 ? '+' : x < 0 ? '−' : '±'}${Math.abs(x).toFixed(2)}`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The record as a reader should see it: a balance only where there is enough evidence to have one. */
export function recordText(side: { status: Status; balance: number }): string {
  if (side.status === 'no-evidence') return 'too little evidence to judge';
  return `record ${signed(side.balance)}`;
}

/** "2 supporting and 1 undermining articles this week" (or that none took a side). */
export function weekEvidenceText(f: Pick<DigestForecast, 'supporting' | 'undermining' | 'discussing'>, weeks = 1): string {
  const when = weeks > 1 ? `in these ${weeks} weeks` : 'this week';
  const parts = [
    f.supporting.length ? `${f.supporting.length} ${STANCE_ADJECTIVES.agree}` : '',
    f.undermining.length ? `${f.undermining.length} ${STANCE_ADJECTIVES.disagree}` : '',
  ].filter(Boolean);
  const sided = f.supporting.length + f.undermining.length;
  if (sided === 0)
    return f.discussing ? `no article took a side ${when} (${plural(f.discussing, 'article')} discussed it)` : `no new evidence ${when}`;
  return `${parts.join(' and ')} ${sided === 1 ? 'article' : 'articles'} ${when}`;
}

/** "Was holding up (record +0.40)", "Had no evidence yet", "now contested (record +0.05)", "now has no evidence yet". */
function statePhrase(x: { status: Status; balance: number }, when: 'was' | 'now'): string {
  if (x.status === 'no-evidence') return when === 'was' ? `Had ${statusWord(x.status)}` : `now has ${statusWord(x.status)}`;
  return `${when === 'was' ? 'Was' : 'now'} ${statusWord(x.status)} (${recordText(x)})`;
}

/** The status change of an open forecast, in one sentence. Both statuses are named; "still" only when equal. */
export function statusChangeSentence(
  f: Pick<DigestForecast, 'before' | 'after' | 'supporting' | 'undermining' | 'discussing'>,
  weeks = 1,
): ChangeSentence {
  const { before, after } = f;
  const evidence = weekEvidenceText(f, weeks);
  if (before.status === after.status) {
    const delta = after.balance - before.balance;
    const label =
      after.status === 'no-evidence' ? `Still ${statusWord(after.status)}` : `${delta > 0 ? '▲' : delta < 0 ? '▼' : '●'} ${signed(delta)}`;
    const record = after.status === 'no-evidence' ? '' : `; record ${signed(before.balance)} → ${signed(after.balance)}`;
    return { label, detail: `Still ${statusWord(after.status)}: ${evidence}${record}.` };
  }
  const why =
    f.supporting.length + f.undermining.length > 0
      ? ` after ${evidence}`
      : `; ${evidence}, so a correction or re-scoring of earlier articles moved it`;
  return {
    label: `${statusLabel(before.status)} → ${statusLabel(after.status)}`,
    detail: `${statePhrase(before, 'was')}, ${statePhrase(after, 'now')}${why}.`,
  };
}

/** What a forecast that fell due in the window looks like now. */
export function fellDueSentence(f: Pick<DigestForecast, 'deadline' | 'after'>): ChangeSentence {
  if (isResolved(f.after.status)) return { label: 'Fell due', detail: `Deadline ${f.deadline}; already ${statusWord(f.after.status)}.` };
  return {
    label: 'Fell due',
    detail: `Deadline ${f.deadline}; the record says ${statusWord(f.after.status)} (${recordText(f.after)}); awaiting resolution.`,
  };
}

/** A forecast added to the config in the window. */
export function newForecastSentence(f: Pick<DigestForecast, 'authors' | 'outlet' | 'after'>): ChangeSentence {
  const by = [f.authors.join(', '), f.outlet].filter(Boolean).join(', ');
  const state = f.after.status === 'no-evidence' ? statusWord(f.after.status) : `${statusWord(f.after.status)} (${recordText(f.after)})`;
  return { label: 'New forecast', detail: `${by ? `${by}; ` : ''}${state}.` };
}

/** A forecast resolved in the window. */
export function resolvedSentence(f: Pick<DigestForecast, 'resolved' | 'after'>): ChangeSentence {
  const r = f.resolved!;
  return {
    label: statusLabel(f.after.status),
    detail: [r.date ? `On ${r.date}` : 'Resolved', r.note ?? ''].filter(Boolean).join(': ') + '.',
  };
}
