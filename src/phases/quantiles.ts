import { allRules } from '../decisions/rules.js';
import { quantileOf, thresholdIndex, type QuantileThreshold } from '../decisions/quantiles.js';
import { isQuantileRule, type QuantileRule } from '../config/rule-kinds.js';
import type { Pipeline } from '../config/load.js';
import { queryRows, sqlFileList, sqlIdent, sqlString } from '../io/duckdb.js';
import { localPaths } from '../storage/storage.js';
import type { TaskContext } from './context.js';
import { signalsSql, type ScoreFiles } from './signals-sql.js';

/** The pipeline's rules with a quantile threshold, in declaration order. */
export const quantileRules = (pipeline: Pipeline): QuantileRule[] => allRules(pipeline.ruleSets).filter(isQuantileRule);

/**
 * The thresholds of every quantile rule, over the deduplicated corpus: documents that are not bad
 * input and not removed as exact or near duplicates. DuckDB sorts the values out of core; the
 * threshold is one value read at an offset, so the result is exact and the same on every run.
 */
export async function quantileThresholds(
  ctx: TaskContext,
  signalFiles: readonly string[],
  scores: readonly ScoreFiles[],
  dedup: { exact: readonly string[]; near?: string },
): Promise<QuantileThreshold[]> {
  const { con, layout, pipeline } = ctx;
  const rules = quantileRules(pipeline);
  const removed = [
    ...(dedup.exact.length > 0 ? [`SELECT shard, "row" FROM read_parquet(${sqlFileList(await localPaths(layout.storage, dedup.exact))})`] : []),
    ...(dedup.near ? [`SELECT shard, "row" FROM read_parquet(${sqlString(await layout.storage.localPath(dedup.near))})`] : []),
  ];
  if (signalFiles.length === 0) return rules.map((rule) => ({ ...quantileOf(rule), value: null, documents: 0 }));
  const thresholds: QuantileThreshold[] = [];
  for (const rule of rules) {
    ctx.checkAborted();
    const column = sqlIdent(rule.signal);
    await con.run(`CREATE OR REPLACE TEMP TABLE population AS
      SELECT s.${column}::DOUBLE AS v FROM ${await signalsSql(layout.storage, signalFiles, scores)} s
      ${removed.length > 0 ? `ANTI JOIN (${removed.join(' UNION ALL ')}) d ON d.shard = s.shard AND d."row" = s."row"` : ''}
      WHERE s.bad_input IS NULL AND s.${column} IS NOT NULL`);
    const [{ n }] = (await queryRows<{ n: number }>(con, 'SELECT count(*) AS n FROM population')) as [{ n: number }];
    let value: number | null = null;
    if (n > 0) {
      const at = thresholdIndex(rule.op, rule.threshold.quantile, n);
      [{ value }] = (await queryRows<{ value: number }>(con, `SELECT v AS value FROM population ORDER BY v LIMIT 1 OFFSET ${at}`)) as [{ value: number }];
    }
    thresholds.push({ ...quantileOf(rule), value, documents: n });
  }
  await con.run('DROP TABLE IF EXISTS population');
  return thresholds;
}
