import cliProgress from 'cli-progress';
import { countArticlesAfter, listScoringClaims, type Database } from '@signpost/db';
import { refreshStandings } from '@signpost/ledger';
import type { WorkerEnv } from '../env.ts';
import { logChunkFailure, scorePendingArticles } from '../pipeline/score-articles.ts';
import { openRuntime } from '../runtime.ts';

/**
 * Scores the stored archive against every forecast (or one) that lacks judgments from the current
 * scorer version or for its current wording. Resumable: progress is committed batch by batch, so an
 * interrupted backfill carries on where it stopped.
 */
export async function backfillCommand(
  env: WorkerEnv,
  opts: { predictionId?: string; out: NodeJS.WritableStream; err: NodeJS.WritableStream & { isTTY?: boolean }; database?: Database },
): Promise<number> {
  const runtime = await openRuntime(env, { database: opts.database });
  try {
    const { db } = runtime.database;
    await runtime.config.refresh();
    const claims = await listScoringClaims(db, runtime.scorer.id, { predictionId: opts.predictionId });
    if (opts.predictionId && claims.length === 0) {
      opts.err.write(`backfill: no active forecast with id "${opts.predictionId}"\n`);
      return 1;
    }
    let total = 0;
    for (const c of claims) total += await countArticlesAfter(db, c.throughArticleId);
    const bar = opts.err.isTTY
      ? new cliProgress.SingleBar(
          {
            stream: opts.err,
            format: 'backfill [{bar}] {percentage}% | {value}/{total} pairs | {judgments} judgments | ETA {eta_formatted}',
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        )
      : null;
    bar?.start(total, 0, { judgments: 0 });
    const result = await scorePendingArticles(db, runtime.scorer, {
      predictionId: opts.predictionId,
      executor: runtime.scoring,
      onChunkFailure: logChunkFailure(runtime.logger),
      onBatch: (p) => bar?.update(p.pairs, { judgments: p.judgments }),
    });
    bar?.stop();
    await refreshStandings(db, { scorer: runtime.scorer.id, now: new Date() });
    opts.out.write(
      `backfill: ${result.pairs} pairs scored over ${claims.length} forecast${claims.length === 1 ? '' : 's'}, ${result.judgments} judgments stored${result.failed ? `, ${result.failed} pairs failed (see scoring_failures)` : ''} (${runtime.scorer.id})\n`,
    );
    return 0;
  } finally {
    await runtime.close();
  }
}
