import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * How the worker runs: the bundle scripts/build.mjs makes (dist/signpost.mjs, plain Node, no tsx) under
 * these V8 flags. `npm start`, the `signpost` scripts, deploy/*.service, and every test and bench that
 * spawns the worker use them, so that they measure what users run; node-flags.test.ts checks that the
 * scripts and units agree with this list.
 *
 * Measured with bench/ingest (200 feeds x 50 items, PGlite; docs/ingest.md, "Memory (third session)"):
 * - --no-liftoff, --wasm-lazy-compilation: PGlite's WebAssembly is compiled once, by the optimising
 *   compiler, and only the functions that run. V8's default compiles all of it twice (a baseline tier,
 *   then the hot functions again); opening the database took 10–35 MB less RSS, and the store step less
 *   CPU.
 * - --heap-growing-percent=30: the heap grows by 30 % at a time rather than by V8's up-to-4x when
 *   it is collecting fast. A cycle's garbage (feed text, parser trees) had let the heap grow by about
 *   100 MB before a full collection; now by 20–45 MB, for about a tenth more CPU in the scorer.
 * (--optimize-for-size met the memory target as well, but it halved the scorer's speed, and the
 * dashboard's p99 under bench/load went from 0.3 s to 5 s.)
 */
export const WORKER_NODE_FLAGS = ['--no-liftoff', '--wasm-lazy-compilation', '--heap-growing-percent=30'] as const;

const workerDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The bundled CLI (built by scripts/build.mjs). */
export const SIGNPOST_BUNDLE = path.join(workerDir, 'dist', 'signpost.mjs');

/** Builds SIGNPOST_BUNDLE as `npm start` does, for tests and benches that spawn it; throws esbuild's complaint. */
export function buildSignpostBundle(): void {
  const script = path.join(workerDir, 'scripts', 'build.mjs');
  const built = spawnSync(process.execPath, [script], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`cannot build the signpost bundle (${script}): ${built.stderr || built.error?.message}`);
}

/** The arguments for `node` that run the bundled CLI as `npm start` does: flags, bundle, arguments. */
export function signpostNodeArgs(...args: string[]): string[] {
  return [...WORKER_NODE_FLAGS, SIGNPOST_BUNDLE, ...args];
}
