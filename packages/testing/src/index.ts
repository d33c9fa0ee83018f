/**
 * Test support shared by every package. Budgets (how long a test may take before it is called
 * stuck) scale with the machine: `scaled(30_000)` is 30 s on a quiet machine and more on a loaded
 * one. Waits end on the event, not on the clock: `waitFor` polls a condition and returns as soon as
 * it holds, failing with what it waited for once the (scaled) budget is spent.
 */
import os from 'node:os';
import { TIME_FACTOR_ENV, timeFactorOf } from './time-factor.ts';

export {
  measureTimeFactor,
  probeCpuShare,
  sampleMachine,
  timeFactorOf,
  TIME_FACTOR_ENV,
  type MachineSample,
  type TimeFactor,
} from './time-factor.ts';

/**
 * The factor for a budget set now: the one vitest.shared.ts measured when the run began (1 outside
 * vitest), or more if the machine has got busier since (the load average now, per core, up to 6).
 * A run is long and the load changes under it: a run that began on a quiet machine once gave a
 * process test file, started ten minutes later under a load of 12 on two cores, the quiet budgets.
 */
export function timeFactor(loadNow: number = loadFactorNow()): number {
  const given = Number(process.env[TIME_FACTOR_ENV]);
  const atStart = Number.isFinite(given) && given >= 1 ? given : 1;
  return Math.max(atStart, loadNow);
}

/** What the one-minute load average says now, as a factor (1..6; 1 where there is no load average). */
export function loadFactorNow(): number {
  return timeFactorOf({ cpus: os.availableParallelism(), load1: os.loadavg()[0] ?? 0, cpuShare: 1 });
}

/** A budget of `ms` on a quiet machine, scaled to this one. */
export function scaled(ms: number): number {
  return Math.round(ms * timeFactor());
}

export class WaitTimeoutError extends Error {
  override name = 'WaitTimeoutError';
}

export interface WaitOptions {
  /** Budget on a quiet machine (scaled); default 30 s. */
  timeoutMs?: number;
  /** Poll interval; default 50 ms. */
  everyMs?: number;
  /** Fails at once, instead of at the deadline, when this returns a reason (e.g. the child exited). */
  abortIf?: () => string | false | undefined;
  /** Appended to the timeout message (e.g. the child's last log lines). */
  diagnose?: () => string;
}

/**
 * Polls `condition` until it returns a truthy value and returns that value. Rejects, naming `what`,
 * when `abortIf` gives a reason or when the scaled budget is spent.
 */
export async function waitFor<T>(condition: () => T | Promise<T>, what: string, options: WaitOptions = {}): Promise<NonNullable<T>> {
  const factor = timeFactor();
  const budget = Math.round((options.timeoutMs ?? 30_000) * factor);
  const until = Date.now() + budget;
  for (;;) {
    const value = await condition();
    if (value) return value as NonNullable<T>;
    const reason = options.abortIf?.();
    if (reason)
      throw new WaitTimeoutError(`testing: gave up waiting for ${what}: ${reason}${options.diagnose ? `\n${options.diagnose()}` : ''}`);
    if (Date.now() > until) {
      throw new WaitTimeoutError(
        `testing: timed out after ${budget} ms (factor ${factor}) waiting for ${what}${options.diagnose ? `\n${options.diagnose()}` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, options.everyMs ?? 50));
  }
}
