import { boilerplateQuery, cleanedTextsQuery, wordsSql } from '../dedup/lines.js';
import { reasonStruct, reasonWhen } from '../decisions/reasons-sql.js';
import { emptyRelation, queryRows, sqlString } from '../io/duckdb.js';
import { localPaths } from '../storage/storage.js';
import { RunKeys } from '../io/layout.js';
import { commitQuery } from './commit-query.js';
import type { TaskContext } from './context.js';
import type { ReasonSource } from './reason-source.js';

export interface BoilerplateResult {
  partition: number;
  /** Relative to the run folder. */
  file: string;
  /** Distinct boilerplate units (lines or paragraphs) in this partition. */
  units: number;
}

/** One line-hash partition of boilerplate detection: work/dedup/lines/part-<p>.parquet. */
export async function boilerplatePartition(ctx: TaskContext, partition: number, partitions: number, signalFiles: readonly string[]): Promise<BoilerplateResult> {
  const { layout, pipeline } = ctx;
  const files = await localPaths(layout.storage, signalFiles);
  const query =
    files.length > 0
      ? boilerplateQuery(files, pipeline.dedup.lines, partition, partitions)
      : emptyRelation({ hash: 'UBIGINT', unit: 'VARCHAR', documents: 'BIGINT', first_node: 'BIGINT' });
  const committed = await commitQuery(ctx, { phase: 'dedup', name: `lines-${partition}` }, query, RunKeys.boilerplate(partition));
  return { partition, file: committed.file, units: committed.rows };
}

export const BOILERPLATE_RULE = 'boilerplate_only';

/** Columns curated rows get with `dedup.lines`: what boilerplate was removed from them (units, characters, unit hashes). */
export const BOILERPLATE_COLUMNS = ['boilerplate_units', 'boilerplate_chars', 'boilerplate_removed'] as const;

/**
 * Boilerplate lines (or paragraphs) found across the corpus (work/dedup/lines/): removed from the
 * text of curated documents, and a document left with fewer than `min_words` words is dropped.
 */
export const boilerplateSource: ReasonSource<'boilerplate'> = {
  name: 'boilerplate',
  rules: (pipeline) => (pipeline.dedup.lines.enabled ? [BOILERPLATE_RULE] : []),
  async judge(ctx, _shard, { files }) {
    const { con, layout, pipeline } = ctx;
    const lines = pipeline.dedup.lines;
    const cleaned =
      files.length > 0
        ? cleanedTextsQuery(`(SELECT shard, "row", text FROM sig WHERE bad_input IS NULL)`, await localPaths(layout.storage, files), lines)
        : emptyRelation({ row: 'BIGINT', text: 'VARCHAR', boilerplate_units: 'BIGINT', boilerplate_chars: 'BIGINT', boilerplate_removed: 'UBIGINT[]' });
    await con.run(`CREATE OR REPLACE TEMP TABLE cleaned AS ${cleaned}`);
    const wordsLeft = `CASE WHEN c."row" IS NOT NULL THEN ${wordsSql('c.text')} END`;
    return {
      joins: ' LEFT JOIN cleaned c ON c."row" = s."row"',
      reasons: [
        reasonWhen(
          `s.bad_input IS NULL AND ${wordsLeft} < ${lines.min_words}`,
          reasonStruct({
            rule: sqlString(BOILERPLATE_RULE),
            signal: sqlString(`words left after removing boilerplate ${lines.unit}s`),
            op: sqlString('>='),
            value: `CAST(${wordsLeft} AS VARCHAR)`,
            threshold: sqlString(String(lines.min_words)),
          }),
        ),
      ],
      curated: {
        join: ' LEFT JOIN cleaned c ON c."row" = s."row"',
        text: (current) => `coalesce(c.text, ${current})`,
        columns: BOILERPLATE_COLUMNS.map((c) => (c === 'boilerplate_removed' ? `coalesce(c.${c}, [])` : `coalesce(c.${c}, 0)`) + ` AS ${c}`),
        names: BOILERPLATE_COLUMNS,
      },
      cleanup: 'DROP TABLE cleaned; ',
      async summarize() {
        const [removed] = await queryRows<{ documents: number; units: number; chars: number }>(
          con,
          `SELECT count(*) AS documents, coalesce(sum(c.boilerplate_units), 0) AS units, coalesce(sum(c.boilerplate_chars), 0) AS chars
           FROM cleaned c JOIN judged j USING ("row") WHERE len(j.reasons) = 0`,
        );
        return { boilerplate: removed };
      },
    };
  },
};
