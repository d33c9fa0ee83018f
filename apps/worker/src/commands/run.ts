import { formatCycleSummary, runCycle } from '../cycle.ts';
import type { WorkerEnv } from '../env.ts';
import { openRuntime } from '../runtime.ts';

/** One full cycle now, then a one-line summary. Non-zero only if the cycle could not run at all. */
export async function runCommand(env: WorkerEnv, opts: { all?: boolean; out: NodeJS.WritableStream }): Promise<number> {
  const runtime = await openRuntime(env);
  try {
    const summary = await runCycle(runtime, { all: opts.all });
    opts.out.write(`${formatCycleSummary(summary)}\n`);
    return 0;
  } finally {
    await runtime.close();
  }
}
