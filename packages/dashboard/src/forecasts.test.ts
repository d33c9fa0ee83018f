import { describe, expect, it } from 'vitest';
import { movementOf, safeHttpUrl } from './forecasts.ts';

describe('forecast views', () => {
  it('measures movement over the last four weeks, from zero for a short series', () => {
    const s = (balances: number[]) =>
      balances.map((balance, i) => ({ week: `2026-W0${i + 1}`, agree: 0, disagree: 0, discuss: 0, balance }));
    expect(movementOf(s([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]))).toBe(0.4);
    expect(movementOf(s([0.3, 0.5]))).toBe(0.5);
    expect(movementOf([])).toBe(0);
  });

  it('keeps only http(s) links', () => {
    expect(safeHttpUrl('https://a.example/x?y=1')).toBe('https://a.example/x?y=1');
    expect(safeHttpUrl('javascript:alert(1)')).toBeNull();
    expect(safeHttpUrl(' JavaScript:alert(1)')).toBeNull();
    expect(safeHttpUrl('data:text/html,<script>')).toBeNull();
    expect(safeHttpUrl('not a url')).toBeNull();
    expect(safeHttpUrl(null)).toBeNull();
  });
});
