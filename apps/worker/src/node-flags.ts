/**
 * Node (V8) flags the worker runs with: `npm start`, the `signpost` script, deploy/*.service, and
 * every test and bench that spawns the worker (so that they measure what users run). The package.json
 * scripts and the service files spell them out; node-flags.test.ts checks that they agree.
 *
 * --optimize-for-size: V8 grows the heap less eagerly and collects sooner. A cycle is mostly short-lived
 * garbage (feed text, parser trees), which V8 otherwise lets pile up to about 100 MB above the
 * baseline before collecting. bench/ingest, 200 feeds x 50 items: the peak RSS during the cycles went
 * from 387–473 MB to 255–271 MB on PGlite and from 268 to 138 MB on PostgreSQL; the cycle took about
 * 25 % longer (docs/ingest.md, "Memory"). A worker is idle most of the time, and its memory is what a
 * small server runs out of, so size wins over speed here.
 */
export const WORKER_NODE_FLAGS = ['--optimize-for-size'] as const;

/** The arguments for `node` that run the CLI from source as `npm start` does: flags, then tsx. */
export function workerNodeArgs(script: string, ...args: string[]): string[] {
  return [...WORKER_NODE_FLAGS, '--import', 'tsx', script, ...args];
}
