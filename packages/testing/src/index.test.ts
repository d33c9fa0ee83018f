import { afterEach, describe, expect, it } from 'vitest';
import {
  loadFactorNow,
  measureTimeFactor,
  probeCpuShare,
  scaled,
  timeFactor,
  timeFactorOf,
  TIME_FACTOR_ENV,
  waitFor,
  WaitTimeoutError,
} from './index.ts';

describe('timeFactorOf', () => {
  it('is 1 on a quiet machine', () => {
    expect(timeFactorOf({ cpus: 2, load1: 0.3, cpuShare: 0.98 })).toBe(1);
  });
  it('grows with runnable tasks per core and with a smaller share of a core', () => {
    expect(timeFactorOf({ cpus: 2, load1: 5, cpuShare: 0.9 })).toBe(2.5);
    expect(timeFactorOf({ cpus: 2, load1: 1, cpuShare: 0.4 })).toBe(2.5);
  });
  it('is clamped to 6', () => {
    expect(timeFactorOf({ cpus: 1, load1: 40, cpuShare: 0.01 })).toBe(6);
  });
});

describe('measureTimeFactor', () => {
  it('takes SIGNPOST_TEST_TIME_FACTOR over the measurement and refuses a bad one', () => {
    expect(measureTimeFactor({ [TIME_FACTOR_ENV]: '3' })).toEqual({ factor: 3, why: `${TIME_FACTOR_ENV}=3` });
    expect(() => measureTimeFactor({ [TIME_FACTOR_ENV]: 'fast' })).toThrow(/SIGNPOST_TEST_TIME_FACTOR="fast" is not a number >= 1/);
    expect(() => measureTimeFactor({ [TIME_FACTOR_ENV]: '0.5' })).toThrow(/not a number >= 1/);
  });
  it('measures a factor between 1 and 6 without the variable', () => {
    const { factor, why } = measureTimeFactor({});
    expect(factor).toBeGreaterThanOrEqual(1);
    expect(factor).toBeLessThanOrEqual(6);
    expect(why).toMatch(/load .* on \d+ cores, probe got \d+% of a core/);
  });
  it('probes a share of a core between 0 and about 1', () => {
    const share = probeCpuShare(30);
    expect(share).toBeGreaterThan(0);
    expect(share).toBeLessThan(1.2);
  });
});

describe('scaled and waitFor', () => {
  const saved = process.env[TIME_FACTOR_ENV];
  afterEach(() => {
    process.env[TIME_FACTOR_ENV] = saved;
  });

  it('scales a budget by the run factor, or by the load now when the machine got busier', () => {
    process.env[TIME_FACTOR_ENV] = '2.5';
    expect(timeFactor(1)).toBe(2.5);
    expect(timeFactor(4.2)).toBe(4.2);
    expect(timeFactor()).toBe(Math.max(2.5, loadFactorNow()));
    process.env[TIME_FACTOR_ENV] = '6';
    expect(scaled(1000)).toBe(6000);
    expect(loadFactorNow()).toBeGreaterThanOrEqual(1);
    expect(loadFactorNow()).toBeLessThanOrEqual(6);
  });

  it('returns the value as soon as the condition holds', async () => {
    process.env[TIME_FACTOR_ENV] = '1';
    let calls = 0;
    const started = Date.now();
    expect(await waitFor(() => (++calls >= 3 ? 'ready' : undefined), 'three calls', { everyMs: 5 })).toBe('ready');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('fails naming what it waited for, after the scaled budget', async () => {
    // The highest factor, so that the load now cannot raise it.
    process.env[TIME_FACTOR_ENV] = '6';
    const started = Date.now();
    const error = await waitFor(() => false, 'a thing that never comes', {
      timeoutMs: 50,
      everyMs: 5,
      diagnose: () => 'last line: nothing',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(String(error)).toMatch(/timed out after 300 ms \(factor 6\) waiting for a thing that never comes\nlast line: nothing/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('fails at once when abortIf gives a reason', async () => {
    const error = await waitFor(() => false, 'the child to listen', {
      timeoutMs: 60_000,
      abortIf: () => 'the child exited with code 1',
    }).catch((e: unknown) => e);
    expect(String(error)).toMatch(/gave up waiting for the child to listen: the child exited with code 1/);
  });
});
