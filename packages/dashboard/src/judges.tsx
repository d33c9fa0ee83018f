/**
 * Two judges side by side (issue #17): where a language model (`llm:` scorer) has judged an article
 * of a forecast as well as the built-in scorer, the forecast page lists both verdicts, so an analyst
 * can compare them. A small section of its own; the page shows it only when such pairs exist.
 */
import { listArticlesByIds, listJudgmentPairs, readPreferredScorer, type Db, type EvidenceArticle, type PairJudgment } from '@signpost/db';
import { ColumnHeads, ExternalLink, formatDate, percent, Stance } from './views/components.tsx';

export interface JudgeRow {
  article: EvidenceArticle;
  /** The built-in scorer's judgment; null when it found the article unrelated (nothing stored). */
  builtin: PairJudgment | null;
  model: PairJudgment;
}

export interface JudgeComparison {
  rows: JudgeRow[];
  /** The scorer whose judgment counts where it exists (null: the built-in scorer). */
  counting: string | null;
}

/** The model's judgments of a forecast with the built-in ones beside them, newest articles first. */
export async function loadJudgeComparison(
  db: Db,
  options: { scorer: string; predictionId: string; limit?: number },
): Promise<JudgeComparison> {
  const [pairs, counting] = await Promise.all([listJudgmentPairs(db, options.predictionId), readPreferredScorer(db)]);
  const ids = [...pairs.keys()].sort((a, b) => b - a).slice(0, options.limit ?? 50);
  const articles = await listArticlesByIds(db, ids);
  const rows: JudgeRow[] = [];
  for (const id of ids) {
    const article = articles.get(id);
    const judged = pairs.get(id) ?? [];
    if (!article) continue;
    const builtin = judged.find((j) => j.scorer === options.scorer) ?? judged.find((j) => !j.scorer.startsWith('llm:')) ?? null;
    for (const model of judged.filter((j) => j.scorer.startsWith('llm:'))) rows.push({ article, builtin, model });
  }
  rows.sort((a, b) => b.article.publishedAt.getTime() - a.article.publishedAt.getTime() || b.article.id - a.article.id);
  return { rows, counting };
}

export function JudgeComparisonSection(props: { comparison: JudgeComparison; builtinScorer: string }) {
  const { rows, counting } = props.comparison;
  if (rows.length === 0) return null;
  const agreeing = rows.filter((r) => (r.builtin?.stance ?? 'unrelated') === r.model.stance).length;
  return (
    <section aria-labelledby="judges">
      <h2 id="judges">Two judges</h2>
      <p class="small">
        Articles a language model judged as well as the built-in scorer: the two agree on {agreeing} of {rows.length}. Counting in the
        evidence above: <strong>{counting ?? props.builtinScorer}</strong>
        {counting ? ' where it has judged, the built-in scorer elsewhere' : ''}.
      </p>
      <table class="stack small">
        <ColumnHeads columns={['Article', 'Built-in', 'Model', "The model's reason and quote"]} />
        <tbody>
          {rows.map((r) => (
            <tr>
              <td>
                <ExternalLink href={r.article.url}>{r.article.title || '(untitled)'}</ExternalLink>{' '}
                <span class="muted">{formatDate(r.article.publishedAt)}</span>
              </td>
              <td>
                {r.builtin ? (
                  <>
                    <Stance stance={r.builtin.stance} /> {percent(r.builtin.confidence)} <span class="muted">{r.builtin.scorer}</span>
                  </>
                ) : (
                  <>
                    <Stance stance="unrelated" /> <span class="muted">{props.builtinScorer}</span>
                  </>
                )}
              </td>
              <td>
                <Stance stance={r.model.stance} /> {percent(r.model.confidence)} <span class="muted">{r.model.scorer}</span>
              </td>
              <td>
                {r.model.reason ?? ''}
                {r.model.evidence[0] ? <blockquote>{r.model.evidence[0].text}</blockquote> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
