/**
 * Test support shared by every package. Budgets (how long a test may take before it is called
 * stuck) scale with the machine: `scaled(30_000)` is 30 s on a quiet machine and more on a loaded
 * one. Waits end on the event, not on the clock: `waitFor` polls a condition and returns as soon as
 * it holds, failing with what it waited for once the (scaled) budget is spent.
 */
import { TIME_FACTOR_ENV } from './time-factor.ts';

export {
  measureTimeFactor,
  probeCpuShare,
  sampleMachine,
  timeFactorOf,
  TIME_FACTOR_ENV,
  type MachineSample,
  type TimeFactor,
} from './time-factor.ts';

/** The factor vitest.shared.ts measured for this run (1 outside vitest). */
export function timeFactor(): number {
  const factor = Number(process.env[TIME_FACTOR_ENV]);
  return Number.isFinite(factor) && factor >= 1 ? factor : 1;
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
  const budget = scaled(options.timeoutMs ?? 30_000);
  const until = Date.now() + budget;
  for (;;) {
    const value = await condition();
    if (value) return value as NonNullable<T>;
    const reason = options.abortIf?.();
    if (reason)
      throw new WaitTimeoutError(`testing: gave up waiting for ${what}: ${reason}${options.diagnose ? `\n${options.diagnose()}` : ''}`);
    if (Date.now() > until) {
      throw new WaitTimeoutError(
        `testing: timed out after ${budget} ms (factor ${timeFactor()}) waiting for ${what}${options.diagnose ? `\n${options.diagnose()}` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, options.everyMs ?? 50));
  }
}
