import { describe, expect, it } from 'vitest';
import {
  RELATED_STANCES,
  STANCES,
  STATUSES,
  isResolved,
  resolutionOf,
  signpostMeaning,
  stanceLabel,
  statusLabel,
  statusOfResolution,
  statusWord,
} from './index.ts';

describe('vocabulary', () => {
  it('has one distinct label per status, and the sentence form is the label in lower case', () => {
    const labels = STATUSES.map(statusLabel);
    expect(new Set(labels).size).toBe(STATUSES.length);
    expect(statusLabel('no-evidence')).toBe('No evidence yet');
    expect(statusWord('under-pressure')).toBe('under pressure');
    expect(stanceLabel('disagree')).toBe('undermines');
    expect(statusLabel('made-up')).toBe('made-up');
  });

  it('lists the four stances, the related three first', () => {
    expect(STANCES).toEqual(['agree', 'disagree', 'discuss', 'unrelated']);
    expect(STANCES.slice(0, 3)).toEqual([...RELATED_STANCES]);
    expect(STATUSES.filter(isResolved)).toEqual(['resolved-true', 'resolved-false', 'ambiguous']);
  });

  it('says what a signpost means for the forecast according to its direction', () => {
    expect(signpostMeaning('fails', { seen: 13, contradicted: 0 })).toBe('Seen in 13 articles, which counts against the forecast.');
    expect(signpostMeaning('holds', { seen: 1, contradicted: 2 })).toBe(
      'Seen in 1 article, which counts for the forecast; contradicted in 2 articles, which counts against the forecast.',
    );
    expect(signpostMeaning('holds', { seen: 0, contradicted: 0 })).toBe('Not reported yet.');
  });
});

describe('resolutionOf: an analyst resolution wins over the record', () => {
  const record = { resolution: { status: 'true', date: '2026-03-01', note: 'It happened.' } };

  it('takes the analyst resolution over the record one, even when the analyst reopens it', () => {
    expect(resolutionOf(record, { status: 'false', date: '2026-04-01', note: null })).toEqual({
      status: 'false',
      date: '2026-04-01',
      setBy: 'dashboard',
    });
    expect(resolutionOf(record, { status: 'open', date: null, note: null })).toEqual({ status: 'open', setBy: 'dashboard' });
  });

  it('falls back to the record, and to open when neither says anything readable', () => {
    expect(resolutionOf(record, null)).toEqual({ status: 'true', date: '2026-03-01', note: 'It happened.', setBy: 'record' });
    expect(resolutionOf(record, { status: 'maybe' })).toEqual({
      status: 'true',
      date: '2026-03-01',
      note: 'It happened.',
      setBy: 'record',
    });
    expect(resolutionOf({}, undefined)).toEqual({ status: 'open', setBy: 'record' });
    expect(resolutionOf({ resolution: { status: 'soon' } })).toEqual({ status: 'open', setBy: 'record' });
  });

  it('shows a resolved forecast by its resolution and an open one by its record', () => {
    expect(statusOfResolution('true', 'under-pressure')).toBe('resolved-true');
    expect(statusOfResolution('ambiguous', 'holding')).toBe('ambiguous');
    expect(statusOfResolution('open', 'contested')).toBe('contested');
    expect(statusOfResolution(null, 'no-evidence')).toBe('no-evidence');
  });
});
