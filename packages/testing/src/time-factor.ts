/**
 * How much slower than a quiet machine this one is right now, as one number (>= 1) that every test
 * budget is multiplied by. Measured once per `vitest` run (vitest.shared.ts) and handed to the test
 * workers and their children in SIGNPOST_TEST_TIME_FACTOR, which also overrides the measurement.
 */
import os from 'node:os';

export const TIME_FACTOR_ENV = 'SIGNPOST_TEST_TIME_FACTOR';
const MIN_FACTOR = 1;
const MAX_FACTOR = 6;

export interface TimeFactor {
  factor: number;
  /** Where the factor came from, for the line vitest.shared.ts prints. */
  why: string;
}

export interface MachineSample {
  cpus: number;
  /** One-minute load average (0 where the platform has none). */
  load1: number;
  /** Share of one core a busy loop got over the probe's wall time (1 = a core of its own). */
  cpuShare: number;
}

/**
 * The factor for a sample: the worse of what the load average says (runnable tasks per core) and
 * what the probe saw (1 / the share of a core it got), clamped to 1..6.
 */
export function timeFactorOf(sample: MachineSample): number {
  const byLoad = sample.load1 / Math.max(1, sample.cpus);
  const byProbe = 1 / Math.max(0.05, Math.min(1, sample.cpuShare));
  const raw = Math.max(byLoad, byProbe);
  return Math.round(Math.min(MAX_FACTOR, Math.max(MIN_FACTOR, raw)) * 10) / 10;
}

/** Spins for `wallMs` and returns the share of a core this process got meanwhile. */
export function probeCpuShare(wallMs = 200): number {
  const start = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const wallNs = BigInt(Math.round(wallMs * 1e6));
  let spins = 0;
  while (process.hrtime.bigint() - start < wallNs) spins++;
  const used = process.cpuUsage(cpu0);
  const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  return spins > 0 ? (used.user + used.system) / 1000 / elapsedMs : 1;
}

export function sampleMachine(probeMs = 200): MachineSample {
  return { cpus: os.availableParallelism(), load1: os.loadavg()[0] ?? 0, cpuShare: probeCpuShare(probeMs) };
}

/**
 * The factor for this run: SIGNPOST_TEST_TIME_FACTOR when set (a number >= 1; anything else is an
 * error, so a typo does not silently fall back), else measured.
 */
export function measureTimeFactor(env: NodeJS.ProcessEnv = process.env): TimeFactor {
  const given = env[TIME_FACTOR_ENV];
  if (given !== undefined && given !== '') {
    const factor = Number(given);
    if (!Number.isFinite(factor) || factor < 1) throw new Error(`testing: ${TIME_FACTOR_ENV}="${given}" is not a number >= 1`);
    return { factor, why: `${TIME_FACTOR_ENV}=${given}` };
  }
  const s = sampleMachine();
  const factor = timeFactorOf(s);
  return { factor, why: `load ${s.load1.toFixed(2)} on ${s.cpus} cores, probe got ${(s.cpuShare * 100).toFixed(0)}% of a core` };
}
