import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { BAD_INPUT_RULE, BOILERPLATE_RULE, EXACT_DUPLICATE_RULE, NEAR_DUPLICATE_RULE, REASON_TYPE, reasonsExpression } from '../decisions/reasons-sql.js';
import { cleanedTextsQuery, wordsSql } from '../dedup/lines.js';
import { allRules } from '../decisions/rules.js';
import { listHitsQuery, materializeList } from '../decisions/lists.js';
import type { QuantileThreshold } from '../decisions/quantiles.js';
import type { NearDedupConfig } from '../config/pipeline.js';
import { isListRule, type ListRule } from '../config/ruleset.js';
import { queryRows, sqlFileList, sqlIdent, sqlString } from '../io/duckdb.js';
import { InputError } from '../io/errors.js';
import { freshDir, writeJsonAtomic, type FileRecord } from '../io/files.js';
import type { InputShard } from '../io/inputs.js';
import { shardLabel } from '../io/layout.js';
import { copyToParquetFiles } from '../io/parquet-writer.js';
import type { AnnotateResult, ShardInputRecord } from './annotate.js';
import type { TaskContext } from './context.js';
import { publish, removeShardOutputs } from './publish.js';

export const SHARD_MANIFEST_VERSION = 1;

export interface RuleCount {
  /** Documents the rule rejected, whatever else rejected them. */
  any: number;
  /** Documents for which it is the primary (first) reason. */
  primary: number;
  /** The first document (in input order) the rule rejected, with its measured value. */
  example?: { id: string | null; value: string };
}

export interface ShardManifest {
  schema_version: number;
  shard: { index: number; name: string };
  input: ShardInputRecord;
  status: 'done' | 'skipped';
  error?: AnnotateResult['error'];
  counts: {
    /** Rows in the input shard; null when even its footer could not be read. */
    input: number | null;
    curated: number;
    rejected: number;
    /** Rows of a skipped shard: accounted for, in neither output. */
    skipped: number | null;
    bad_input: number;
  };
  rules: Record<string, RuleCount>;
  /** Boilerplate removed from curated documents (when `dedup.lines` is on): documents changed, units and characters removed. */
  boilerplate?: { documents: number; units: number; chars: number };
  /** Counts per value of the source column, when the pipeline maps one. */
  sources?: Record<string, { input: number; curated: number; rejected: number }>;
  outputs: { curated: FileRecord[]; rejected: FileRecord[] };
}

/** Columns curated rows get with `dedup.lines`: what boilerplate was removed from them (units, characters, unit hashes). */
export const BOILERPLATE_COLUMNS = ['boilerplate_units', 'boilerplate_chars', 'boilerplate_removed'] as const;

/** The name curated rows carry their winnow key under: traceable to (input shard, row). */
export const CURATED_KEY_COLUMN = 'winnow_key';

/** The global dedup results a shard's decision joins, relative to the run folder. */
export interface DedupFiles {
  exact: readonly string[];
  near?: string;
  /** Boilerplate units (lines or paragraphs), when `dedup.lines` is on. */
  boilerplate: readonly string[];
}

/**
 * Decide one shard: join its signals with the global dedup results, evaluate every rule as a SQL
 * expression over the signal columns (quantile rules with the thresholds found over the corpus),
 * and write curated rows (input columns with the normalized text, plus chosen signals) and
 * rejected rows (every reason, value and threshold). Cheap by design: it reads signals, not
 * models, so a new threshold re-decides in seconds.
 */
export async function decideShard(
  ctx: TaskContext,
  shard: InputShard,
  annotated: AnnotateResult,
  dedupFiles: DedupFiles,
  quantiles: readonly QuantileThreshold[] = [],
): Promise<ShardManifest> {
  const { layout } = ctx;
  const label = shardLabel(shard.index);
  const manifest: ShardManifest =
    annotated.status === 'skipped'
      ? skippedManifest(shard, annotated)
      : await decideAnnotated(ctx, shard, annotated, dedupFiles, quantiles);

  if (annotated.status === 'skipped') {
    for (const dir of [layout.curatedDir, layout.rejectedDir]) removeShardOutputs(dir, label);
  }
  writeJsonAtomic(layout.shardManifest(shard.index), manifest);
  return manifest;
}

async function decideAnnotated(
  ctx: TaskContext,
  shard: InputShard,
  annotated: AnnotateResult,
  files: DedupFiles,
  quantiles: readonly QuantileThreshold[],
): Promise<ShardManifest> {
  const { con, layout, pipeline } = ctx;
  const { exact: dedupFiles, near: nearFile, boilerplate: boilerplateFiles } = files;
  const label = shardLabel(shard.index);
  const rules = allRules(pipeline.ruleSets);
  const signalFiles = annotated.signalFiles.map((f) => join(layout.root, f));
  const tmp = freshDir(layout.taskTmp('decide', String(shard.index)));

  await con.run(`CREATE OR REPLACE TEMP VIEW sig AS SELECT * FROM read_parquet(${sqlFileList(signalFiles)})`);
  const dup =
    dedupFiles.length > 0
      ? `SELECT "row", keeper_key, keeper_id FROM read_parquet(${sqlFileList(dedupFiles.map((f) => join(layout.root, f)))}) WHERE shard = ${shard.index}`
      : `SELECT NULL::BIGINT AS "row", NULL::VARCHAR AS keeper_key, NULL::VARCHAR AS keeper_id WHERE false`;
  const near = nearFile
    ? `SELECT "row", keeper_key, keeper_id, cluster, cluster_size, similarity FROM read_parquet(${sqlString(join(layout.root, nearFile))}) WHERE shard = ${shard.index}`
    : `SELECT NULL::BIGINT AS "row", NULL::VARCHAR AS keeper_key, NULL::VARCHAR AS keeper_id, NULL::VARCHAR AS cluster, NULL::BIGINT AS cluster_size, NULL::DOUBLE AS similarity WHERE false`;
  const lines = pipeline.dedup.lines;
  const cleaned = lines.enabled && boilerplateFiles.length > 0
    ? cleanedTextsQuery(`(SELECT shard, "row", text FROM sig WHERE bad_input IS NULL)`, boilerplateFiles.map((f) => join(layout.root, f)), lines)
    : `SELECT NULL::BIGINT AS "row", NULL::VARCHAR AS text, NULL::BIGINT AS boilerplate_units, NULL::BIGINT AS boilerplate_chars, NULL::UBIGINT[] AS boilerplate_removed WHERE false`;
  await con.run(`CREATE OR REPLACE TEMP TABLE cleaned AS ${cleaned}`);
  const lists = await prepareLists(ctx, rules.filter(isListRule));
  const reasons = reasonsExpression({
    rules,
    quantiles: new Map(quantiles.map((q) => [q.rule, q])),
    listHit: (rule) => `${lists.alias.get(rule.name)}."row" IS NOT NULL`,
    badInput: 's.bad_input',
    ...(pipeline.dedup.exact.enabled ? { exactKeeper: 'd.keeper_key', contentHash: 's.content_hash' } : {}),
    ...(pipeline.dedup.near.enabled
      ? {
          near: {
            keeper: 'n.keeper_key',
            similarity: 'n.similarity',
            cluster: 'n.cluster',
            clusterSize: 'n.cluster_size',
            link: nearLink(pipeline.dedup.near),
          },
        }
      : {}),
    ...(lines.enabled ? { boilerplate: { wordsLeft: `CASE WHEN c."row" IS NOT NULL THEN ${wordsSql('c.text')} END`, minWords: lines.min_words, unit: lines.unit } } : {}),
  });
  // A document that is both an exact and a near duplicate names its exact copy: the stronger link.
  await con.run(`CREATE OR REPLACE TEMP TABLE judged AS
    SELECT s."row", s.key, s.id, s.source,
      coalesce(d.keeper_key, n.keeper_key) AS duplicate_of, coalesce(d.keeper_id, n.keeper_id) AS duplicate_of_id,
      n.cluster AS near_cluster,
      ${reasons} AS reasons
    FROM sig s LEFT JOIN (${dup}) d ON d."row" = s."row" LEFT JOIN (${near}) n ON n."row" = s."row"
      LEFT JOIN cleaned c ON c."row" = s."row"${lists.joins}`);

  const textColumn = pipeline.input.columns.text;
  await checkNoClash(ctx, shard.path, pipeline.output.curated_signals);
  const extras = [
    `s.key AS ${CURATED_KEY_COLUMN}`,
    ...pipeline.output.curated_signals.map((c) => `s.${sqlIdent(c)}`),
    ...(lines.enabled ? BOILERPLATE_COLUMNS.map((c) => (c === 'boilerplate_removed' ? `coalesce(c.${c}, [])` : `coalesce(c.${c}, 0)`) + ` AS ${c}`) : []),
  ];
  const curatedQuery = `
    SELECT inp.* EXCLUDE (file_row_number) REPLACE (coalesce(c.text, s.text) AS ${sqlIdent(textColumn)}), ${extras.join(', ')}
    FROM read_parquet(${sqlString(shard.path)}, file_row_number = true) inp
    JOIN sig s ON s."row" = inp.file_row_number
    JOIN judged j ON j."row" = inp.file_row_number
    LEFT JOIN cleaned c ON c."row" = inp.file_row_number
    WHERE len(j.reasons) = 0
    ORDER BY inp.file_row_number`;
  const rejectedQuery = `
    SELECT j.id, j.key, j.reasons[1].rule AS primary_reason, j.reasons::${REASON_TYPE}[] AS reasons,
      j.duplicate_of, j.duplicate_of_id, j.near_cluster, 0 AS iteration${pipeline.output.rejected_text ? ', s.text' : ''}
    FROM judged j${pipeline.output.rejected_text ? ' JOIN sig s ON s."row" = j."row"' : ''}
    WHERE len(j.reasons) > 0
    ORDER BY j."row"`;
  const fileOptions = { targetFileBytes: pipeline.output.target_file_bytes, rowGroupRows: pipeline.output.row_group_rows };
  const curated = await copyToParquetFiles(con, curatedQuery, join(tmp, 'curated'), fileOptions);
  const rejected = await copyToParquetFiles(con, rejectedQuery, join(tmp, 'rejected'), fileOptions);

  const outputs = {
    curated: await publish(curated, layout.curatedDir, label, layout.root),
    rejected: await publish(rejected, layout.rejectedDir, label, layout.root),
  };
  const counts = await countOutcomes(ctx, rules.map((r) => r.name));
  const [removed] = lines.enabled
    ? await queryRows<{ documents: number; units: number; chars: number }>(
        con,
        `SELECT count(*) AS documents, coalesce(sum(c.boilerplate_units), 0) AS units, coalesce(sum(c.boilerplate_chars), 0) AS chars
         FROM cleaned c JOIN judged j USING ("row") WHERE len(j.reasons) = 0`,
      )
    : [];
  rmSync(tmp, { recursive: true, force: true });
  await con.run(`${lists.drop}DROP TABLE judged; DROP TABLE cleaned; DROP VIEW sig`);

  const curatedRows = sum(outputs.curated.map((f) => f.rows));
  const rejectedRows = sum(outputs.rejected.map((f) => f.rows));
  return {
    schema_version: SHARD_MANIFEST_VERSION,
    shard: { index: shard.index, name: shard.name },
    input: annotated.input,
    status: 'done',
    counts: { input: annotated.rows, curated: curatedRows, rejected: rejectedRows, skipped: 0, bad_input: annotated.badRows },
    rules: counts.rules,
    ...(removed ? { boilerplate: removed } : {}),
    ...(pipeline.input.columns.source ? { sources: counts.sources } : {}),
    outputs,
  };
}

/** How near-dedup linked a pair, as the removal reason says it. */
function nearLink(near: NearDedupConfig): string {
  if (near.verify === 'none') return 'a shared MinHash band';
  return `${near.verify === 'exact' ? 'exact' : 'estimated'} Jaccard >= ${near.threshold}`;
}

/** Curated rows add columns to the input's; an input column of the same name would be ambiguous. */
async function checkNoClash(ctx: TaskContext, file: string, signals: readonly string[]): Promise<void> {
  const added = new Set([CURATED_KEY_COLUMN, 'file_row_number', ...signals, ...(ctx.pipeline.dedup.lines.enabled ? BOILERPLATE_COLUMNS : [])]);
  const columns = await queryRows<{ column_name: string }>(ctx.con, `DESCRIBE SELECT * FROM read_parquet(${sqlString(file)})`);
  const clash = columns.map((c) => c.column_name).filter((c) => added.has(c));
  if (clash.length > 0) {
    throw new InputError(
      file,
      `input column(s) ${clash.map((c) => `"${c}"`).join(', ')} clash with columns winnow adds to curated rows ` +
        `(${[...added].join(', ')}); rename them in the input or drop them from output.curated_signals`,
    );
  }
}

/**
 * Finds, for each list rule, the rows whose value is listed: a join with the list's entries,
 * materialized once per run and content (src/decisions/lists.ts), so a list of millions of entries
 * costs each shard a scan of a sorted Parquet file, not a parse of the list.
 */
async function prepareLists(ctx: TaskContext, rules: readonly ListRule[]) {
  const alias = new Map<string, string>();
  let joins = '';
  const tables: string[] = [];
  for (const [i, rule] of rules.entries()) {
    const file = await materializeList(ctx.con, ctx.layout.workDir, rule, { checkAborted: () => ctx.checkAborted() });
    await ctx.con.run(`CREATE OR REPLACE TEMP TABLE hits_${i} AS ${listHitsQuery(rule, file)}`);
    alias.set(rule.name, `h${i}`);
    joins += ` LEFT JOIN hits_${i} h${i} ON h${i}."row" = s."row"`;
    tables.push(`hits_${i}`);
  }
  return { alias, joins, drop: tables.map((t) => `DROP TABLE ${t}; `).join('') };
}

async function countOutcomes(ctx: TaskContext, ruleNames: string[]) {
  const { con, pipeline } = ctx;
  const any = await queryRows<{ rule: string; n: number; id: string | null; value: string }>(
    con,
    `SELECT r.rule AS rule, count(*) AS n, arg_min(id, "row") AS id, arg_min(r.value, "row") AS value
     FROM (SELECT "row", id, unnest(reasons) AS r FROM judged) GROUP BY 1`,
  );
  const primary = await queryRows<{ rule: string; n: number }>(
    con,
    `SELECT reasons[1].rule AS rule, count(*) AS n FROM judged WHERE len(reasons) > 0 GROUP BY 1`,
  );
  const order = [
    BAD_INPUT_RULE,
    ...ruleNames,
    ...(pipeline.dedup.exact.enabled ? [EXACT_DUPLICATE_RULE] : []),
    ...(pipeline.dedup.near.enabled ? [NEAR_DUPLICATE_RULE] : []),
    ...(pipeline.dedup.lines.enabled ? [BOILERPLATE_RULE] : []),
  ];
  const rules: Record<string, RuleCount> = {};
  for (const name of order) {
    const hit = any.find((r) => r.rule === name);
    rules[name] = { any: hit?.n ?? 0, primary: primary.find((r) => r.rule === name)?.n ?? 0, ...(hit ? { example: { id: hit.id, value: hit.value } } : {}) };
  }
  const bySource = await queryRows<{ source: string | null; input: number; rejected: number }>(
    con,
    `SELECT source, count(*) AS input, count(*) FILTER (WHERE len(reasons) > 0) AS rejected
     FROM judged GROUP BY 1 ORDER BY 1 NULLS LAST`,
  );
  const sources: Record<string, { input: number; curated: number; rejected: number }> = {};
  for (const s of bySource) sources[s.source ?? '(null)'] = { input: s.input, curated: s.input - s.rejected, rejected: s.rejected };
  return { rules, sources };
}

function skippedManifest(shard: InputShard, annotated: AnnotateResult): ShardManifest {
  return {
    schema_version: SHARD_MANIFEST_VERSION,
    shard: { index: shard.index, name: shard.name },
    input: annotated.input,
    status: 'skipped',
    ...(annotated.error ? { error: annotated.error } : {}),
    counts: { input: annotated.input.rows, curated: 0, rejected: 0, skipped: annotated.input.rows, bad_input: 0 },
    rules: {},
    outputs: { curated: [], rejected: [] },
  };
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
