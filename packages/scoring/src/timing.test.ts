import { describe, expect, it } from 'vitest';
import { claimDeadline, dateYear, timeLeft } from './timing.ts';

describe('a forecast’s deadline against an article’s date', () => {
  it('read the end of the period the statement names last', () => {
    expect(claimDeadline('Gas will flow through Power of Siberia 2 before the end of 2030.')).toBe(2031);
    expect(claimDeadline('Beijing will lift the curbs before the end of March 2022.')).toBeCloseTo(2022.25, 6);
    expect(claimDeadline('Trade will top $90 billion in 2024.')).toBe(2025);
    expect(claimDeadline('The EU will adopt its package by 15 July 2025.')).toBeCloseTo(2025 + 7 / 12, 6);
    expect(claimDeadline('The EU will adopt its package by July 15, 2025.')).toBeCloseTo(2025 + 7 / 12, 6);
    expect(claimDeadline('Output will rise in the first half of 2026.')).toBe(2026.5);
    expect(claimDeadline('Output will rise in the second half of 2026.')).toBe(2027);
    expect(claimDeadline('Trade will not repeat the growth of 2022 and 2023 in 2024.')).toBe(2025);
    expect(claimDeadline('China will keep buying Russian oil.')).toBeUndefined();
  });

  it('end a period that closes before its year or within it where the words say so', () => {
    expect(claimDeadline('Georgia will not restore diplomatic relations with Russia before 2026.')).toBe(2026);
    expect(claimDeadline('BRICS will have at least ten full members by the start of 2025.')).toBe(2025);
    expect(claimDeadline('The EU will adopt a phase-out of Russian gas imports before mid-2026.')).toBe(2026.5);
    expect(claimDeadline('Beijing will drop its duties on Australian wine before the middle of 2024.')).toBe(2024.5);
    expect(claimDeadline("China's imports of Russian crude will fall in early 2025.")).toBe(2025.25);
    expect(claimDeadline('Gas will flow through Power of Siberia 2 before the end of 2030.')).toBe(2031);
    expect(claimDeadline('Output will rise in late 2026.')).toBe(2027);
  });

  it('not take a year that starts a span for a deadline', () => {
    expect(claimDeadline('Xi will visit Seoul for APEC, his first visit since 2014.')).toBeUndefined();
    expect(claimDeadline('Exports will double from 2022 levels by 2027.')).toBe(2028);
  });

  it('read a date as a fractional year, and nothing else', () => {
    expect(dateYear('2025-12-31')).toBeCloseTo(2025 + 11 / 12 + 30 / 365, 6);
    expect(dateYear(null)).toBeUndefined();
    expect(dateYear('2024-07-01')).toBeCloseTo(2024.5, 6);
    expect(dateYear('2024-01-01T10:00:00Z')).toBe(2024);
    expect(dateYear('2024-13-01')).toBeUndefined();
    expect(dateYear('July 2024')).toBeUndefined();
    expect(dateYear(undefined)).toBeUndefined();
  });

  it('give the years left, bounded, and -9 where either date is unknown', () => {
    expect(timeLeft(2027, 2022.25)).toBe(4.75);
    expect(timeLeft(2040, 2022)).toBe(5);
    expect(timeLeft(2020, 2026)).toBe(-2);
    expect(timeLeft(undefined, 2022)).toBe(-9);
    expect(timeLeft(2025, undefined)).toBe(-9);
  });
});
