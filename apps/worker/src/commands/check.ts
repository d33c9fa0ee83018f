/**
 * `signpost check`: validates every config file under the data directory and prints each
 * problem as `FILE:LINE: entry <id>: field: message`, then one summary line.
 */
import { formatProblem, loadConfig } from '@signpost/config';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Prints every problem and a summary line; returns 0 when the config is valid, 1 when not. */
export async function checkCommand(opts: { dataDir: string; out: NodeJS.WritableStream; now?: Date; maxBytes?: number }): Promise<number> {
  const { config, problems } = await loadConfig(opts.dataDir, { now: opts.now, maxBytes: opts.maxBytes });
  for (const problem of problems) opts.out.write(`${formatProblem(problem)}\n`);
  if (problems.length) {
    const files = new Set(problems.map((p) => p.file)).size;
    opts.out.write(`${plural(problems.length, 'problem')} in ${plural(files, 'file')}\n`);
    return 1;
  }
  opts.out.write(
    `ok: ${plural(config.predictions.length, 'forecast')}, ${plural(config.feeds.length, 'feed')}, ${plural(config.digest.subscribers.length, 'subscriber')}\n`,
  );
  return 0;
}
