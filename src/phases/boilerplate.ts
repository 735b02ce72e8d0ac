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
    const paths = files.length > 0 ? await localPaths(layout.storage, files) : [];
    const cleaned = (where: string) =>
      paths.length > 0
        ? cleanedTextsQuery(`(SELECT shard, "row", text FROM sig WHERE bad_input IS NULL${where})`, paths, lines)
        : emptyRelation({ row: 'BIGINT', text: 'VARCHAR', boilerplate_units: 'BIGINT', boilerplate_chars: 'BIGINT', boilerplate_removed: 'UBIGINT[]' });
    // In batches of rows (rowBatches): the texts are rebuilt by ordered aggregates, which hold
    // their input in memory (a shard of 31k documents and 95 MB ran out of a worker's 1 GB at
    // once; bench/report.ts).
    const batches = paths.length > 0 ? await rowBatches(ctx) : [];
    await con.run(`CREATE OR REPLACE TEMP TABLE cleaned AS ${cleaned(batches.length > 0 ? ` AND "row" >= ${batches[0]![0]} AND "row" < ${batches[0]![1]}` : '')}`);
    for (const [from, to] of batches.slice(1)) await con.run(`INSERT INTO cleaned ${cleaned(` AND "row" >= ${from} AND "row" < ${to}`)}`);
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

/**
 * The shard's rows in ranges [from, to) of about a 32nd of the worker's memory in text each (by
 * the core family's byte_count): the cleanup's peak was about ten times its text.
 */
async function rowBatches(ctx: TaskContext): Promise<[number, number][]> {
  const batchBytes = Math.max(2 ** 20, ctx.pipeline.execution.memory_per_worker / 32);
  const [stats] = await queryRows<{ rows: number | null; bytes: number | null }>(ctx.con, 'SELECT max("row") + 1 AS rows, sum(byte_count) AS bytes FROM sig');
  const rows = Number(stats?.rows ?? 0);
  if (rows === 0) return [];
  const per = Math.max(64, Math.floor((rows * batchBytes) / Math.max(1, Number(stats?.bytes ?? 0))));
  const out: [number, number][] = [];
  for (let from = 0; from < rows; from += per) out.push([from, Math.min(rows, from + per)]);
  return out;
}
