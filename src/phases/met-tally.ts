import { emptyRelation, queryRows } from '../io/duckdb.js';
import type { InputShard } from '../io/inputs.js';
import { RunKeys } from '../io/layout.js';
import { TALLY_COLUMNS, type SourceTotals } from '../met/coverage.js';
import type { AnnotateResult } from './annotate.js';
import { commitQuery } from './commit-query.js';
import type { TaskContext } from './context.js';
import { judgeShard, releaseJudged } from './judge.js';
import type { SourceInputs } from './reason-source.js';
import type { ScoreFiles } from './signals-sql.js';

export interface MetTallyResult {
  shard: number;
  /** work/met/tally/part-<shard>.parquet: one row per document that mentions a node (TALLY_COLUMNS). */
  file: string;
  /** Every document of the shard, and those decide will keep, per value of the source column ('(all)' for all of them). */
  totals: Record<string, SourceTotals>;
}

/**
 * The entity tally of one shard, before decide: which documents mention which nodes, and whether
 * decide will keep them, judged by decide's own judgement (src/phases/judge.ts) so the counts
 * "after filtering" are exactly the curated rows'. Coverage (src/met/coverage.ts) reads every
 * shard's tally; balancing weights will, too, before decide writes them.
 */
export async function metTallyShard(
  ctx: TaskContext,
  shard: InputShard,
  annotated: AnnotateResult,
  sources: Partial<SourceInputs>,
  scores: readonly ScoreFiles[],
): Promise<MetTallyResult> {
  const key = RunKeys.metTally(shard.index);
  if (annotated.status === 'skipped') {
    const { file } = await commitQuery(ctx, { phase: 'entities', name: String(shard.index) }, emptyRelation(TALLY_COLUMNS), key);
    return { shard: shard.index, file, totals: {} };
  }
  const judged = await judgeShard(ctx, shard, annotated, sources, scores);
  const query = `SELECT j.key, j.id, j.source, len(j.reasons) = 0 AS kept, s.word_count AS words, s.met_nodes AS nodes, s.met_counts AS counts
    FROM judged j JOIN sig s ON s."row" = j."row"
    WHERE len(s.met_nodes) > 0 ORDER BY j."row"`;
  const { file } = await commitQuery(ctx, { phase: 'entities', name: String(shard.index) }, query, key);
  const rows = await queryRows<{ source: string | null; input: number; kept: number; entity_input: number; entity_kept: number }>(
    ctx.con,
    `SELECT coalesce(j.source, '(null)') AS source, count(*) AS input, count(*) FILTER (WHERE len(j.reasons) = 0) AS kept,
       count(*) FILTER (WHERE len(s.met_nodes) > 0) AS entity_input,
       count(*) FILTER (WHERE len(s.met_nodes) > 0 AND len(j.reasons) = 0) AS entity_kept
     FROM judged j JOIN sig s ON s."row" = j."row" GROUP BY GROUPING SETS ((1), ()) ORDER BY 1 NULLS FIRST`,
  );
  await releaseJudged(ctx, judged);
  const totals: Record<string, SourceTotals> = {};
  for (const r of rows) {
    // The grand total is the grouping set without a source; a source column that is not mapped is all '(null)'.
    const name = r.source === null ? '(all)' : r.source;
    totals[name] = { documents: { before: r.input, after: r.kept }, with_entities: { before: r.entity_input, after: r.entity_kept } };
  }
  if (!ctx.pipeline.input.columns.source) for (const k of Object.keys(totals)) if (k !== '(all)') delete totals[k];
  return { shard: shard.index, file, totals };
}
