import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { REASON_TYPE } from '../decisions/reasons-sql.js';
import { queryRows, sqlIdent, sqlString } from '../io/duckdb.js';
import { InputError } from '../io/errors.js';
import type { FileRecord } from '../io/files.js';
import { checkUnchanged, localShard, type InputShard } from '../io/inputs.js';
import { RunKeys, shardLabel } from '../io/layout.js';
import { copyToParquetFiles } from '../io/parquet-writer.js';
import { curatedWeight, WEIGHT_COLUMN, type WeightSettings } from '../met/weights.js';
import type { AnnotateResult, ShardInputRecord } from './annotate.js';
import type { TaskContext } from './context.js';
import { publish, removeShardOutputs } from './publish.js';
import { judgeShard, releaseJudged } from './judge.js';
import type { Judgement, SourceInputs } from './reason-source.js';
import { reasonRules } from './reason-sources.js';
import type { ScoreFiles } from './signals-sql.js';

export const SHARD_MANIFEST_VERSION = 1;

export interface RuleCount {
  /** Documents the rule rejected, whatever else rejected them. */
  any: number;
  /** Documents for which it is the primary (first) reason. */
  primary: number;
  /** Documents it alone drops (their reasons name no other rule): those that would be kept without it. */
  alone: number;
  /** The first document (in input order) the rule rejected, with its measured value. */
  example?: { id: string | null; value: string };
}

/** Documents two rules both drop (whatever else drops them). */
export interface RuleOverlap {
  rules: [string, string];
  documents: number;
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
  /** Per pair of rules, documents both drop: nonzero pairs only, in the rules' order (`rules[0]` before `rules[1]`). */
  overlaps: RuleOverlap[];
  /** Boilerplate removed from curated documents (when `dedup.lines` is on): documents changed, units and characters removed. */
  boilerplate?: { documents: number; units: number; chars: number };
  /** Per rule with an exception: documents it covered that the rule would have dropped, and those kept in the end. */
  exemptions?: Record<string, { exempted: number; saved: number }>;
  /** Counts per value of the source column, when the pipeline maps one. */
  sources?: Record<string, { input: number; curated: number; rejected: number }>;
  outputs: { curated: FileRecord[]; rejected: FileRecord[] };
}

/** The name curated rows carry their winnow key under: traceable to (input shard, row). */
export const CURATED_KEY_COLUMN = 'winnow_key';

/** What decide's task gets besides its shard: each reason source's input (absent when it is off) and the iteration. */
export interface DecideInputs {
  sources: Partial<SourceInputs>;
  /** The shard's model scores (the score phase's files), one entry per model. */
  scores: ScoreFiles[];
  /** The refinement iteration the rejected rows record; 0 for a run's first decision. */
  iteration: number;
  /** Balancing weights (src/met/weights.ts): the run's per-node counts and coverage's scale; absent when off. */
  weights?: { nodes: string; scale: number; settings: WeightSettings };
}

/**
 * Decide one shard: join its signals with what each reason source found (src/phases/reason-sources.ts:
 * bad input, the rules, the global dedup results), evaluate every rule as a SQL expression over
 * the signal columns (quantile rules with the thresholds found over the corpus), and write curated
 * rows (input columns with the final text, plus chosen signals) and rejected rows (every reason,
 * value and threshold). Cheap by design: it reads signals, not models, so a new threshold
 * re-decides in seconds.
 */
export async function decideShard(ctx: TaskContext, shard: InputShard, annotated: AnnotateResult, inputs: DecideInputs): Promise<ShardManifest> {
  const { layout } = ctx;
  const label = shardLabel(shard.index);
  const manifest: ShardManifest =
    annotated.status === 'skipped' ? skippedManifest(shard, annotated) : await decideAnnotated(ctx, shard, annotated, inputs);

  if (annotated.status === 'skipped') {
    for (const folder of [RunKeys.curated, RunKeys.rejected]) await removeShardOutputs(layout.storage, folder, label);
  }
  await layout.storage.writeJson(RunKeys.shardManifest(shard.index), manifest);
  return manifest;
}

async function decideAnnotated(ctx: TaskContext, shard: InputShard, annotated: AnnotateResult, inputs: DecideInputs): Promise<ShardManifest> {
  const { layout, pipeline } = ctx;
  const tmp = await layout.scratch('decide', String(shard.index));
  const judged = await judgeShard(ctx, shard, annotated, inputs.sources, inputs.scores);
  const curated: NonNullable<Judgement['curated']>[] = judged.flatMap((j) => (j.curated ? [j.curated] : []));
  if (inputs.weights) {
    const { join: weightJoin, column } = curatedWeight(await layout.storage.localPath(inputs.weights.nodes), inputs.weights.scale, inputs.weights.settings);
    curated.push({ join: weightJoin, text: (t) => t, columns: [column], names: [WEIGHT_COLUMN] });
  }
  let outputs: Awaited<ReturnType<typeof writeOutputs>>;
  try {
    // The input's columns go into curated rows: the file annotated (a local one unchanged since;
    // one on S3 read at the listed version), downloaded again into the scratch folder from S3.
    await checkUnchanged(shard, annotated.input.sha256);
    const input = (await localShard(shard, join(tmp, 'input'))).path;
    await checkNoClash(ctx, input, shard.path, pipeline.output.curated_signals, curated.flatMap((c) => c.names));
    outputs = await writeOutputs(ctx, shard, input, curated, inputs.iteration, tmp);
  } finally {
    // A failed task leaves no download behind (a whole shard, on S3).
    rmSync(tmp, { recursive: true, force: true });
  }
  const counts = await countOutcomes(ctx, reasonRules(pipeline));
  const summaries: Record<string, unknown> = {};
  for (const j of judged) Object.assign(summaries, await j.summarize?.());
  await releaseJudged(ctx, judged);

  return {
    schema_version: SHARD_MANIFEST_VERSION,
    shard: { index: shard.index, name: shard.name },
    input: annotated.input,
    status: 'done',
    counts: {
      input: annotated.rows,
      curated: sum(outputs.curated.map((f) => f.rows)),
      rejected: sum(outputs.rejected.map((f) => f.rows)),
      skipped: 0,
      bad_input: annotated.badRows,
    },
    rules: counts.rules,
    overlaps: counts.overlaps,
    ...summaries,
    ...(pipeline.input.columns.source ? { sources: counts.sources } : {}),
    outputs,
  };
}

/**
 * Writes the shard's curated rows (input columns, the text as the sources left it, the key and
 * chosen signals, the sources' columns) and rejected rows (reasons, links, iteration), and
 * publishes them as part-<shard>-<k>.parquet.
 */
async function writeOutputs(ctx: TaskContext, shard: InputShard, input: string, curated: NonNullable<Judgement['curated']>[], iteration: number, tmp: string) {
  const { con, layout, pipeline } = ctx;
  const label = shardLabel(shard.index);
  const textColumn = pipeline.input.columns.text;
  const extras = [
    `s.key AS ${CURATED_KEY_COLUMN}`,
    ...pipeline.output.curated_signals.map((c) => `s.${sqlIdent(c)}`),
    ...curated.flatMap((c) => c.columns),
  ];
  const text = curated.reduce((t, c) => c.text(t), 's.text');
  const curatedQuery = `
    SELECT inp.* EXCLUDE (file_row_number) REPLACE (${text} AS ${sqlIdent(textColumn)}), ${extras.join(', ')}
    FROM read_parquet(${sqlString(input)}, file_row_number = true) inp
    JOIN sig s ON s."row" = inp.file_row_number
    JOIN judged j ON j."row" = inp.file_row_number${curated.map((c) => c.join).join('')}
    WHERE len(j.reasons) = 0
    ORDER BY inp.file_row_number`;
  const rejectedQuery = `
    SELECT j.id, j.key, j.reasons[1].rule AS primary_reason, j.reasons::${REASON_TYPE}[] AS reasons,
      j.duplicate_of, j.duplicate_of_id, j.exact_keeper, j.exact_keeper_id, j.near_cluster, ${Math.trunc(iteration)} AS iteration${pipeline.output.rejected_text ? ', s.text' : ''}
    FROM judged j${pipeline.output.rejected_text ? ' JOIN sig s ON s."row" = j."row"' : ''}
    WHERE len(j.reasons) > 0
    ORDER BY j."row"`;
  const fileOptions = { targetFileBytes: pipeline.output.target_file_bytes, rowGroupRows: pipeline.output.row_group_rows };
  const curatedFiles = await copyToParquetFiles(con, curatedQuery, join(tmp, 'curated'), fileOptions);
  const rejectedFiles = await copyToParquetFiles(con, rejectedQuery, join(tmp, 'rejected'), fileOptions);
  return {
    curated: await publish(layout.storage, curatedFiles, RunKeys.curated, label),
    rejected: await publish(layout.storage, rejectedFiles, RunKeys.rejected, label),
  };
}

/** Curated rows add columns to the input's; an input column of the same name would be ambiguous. */
async function checkNoClash(ctx: TaskContext, file: string, name: string, signals: readonly string[], sourceColumns: readonly string[]): Promise<void> {
  const added = new Set([CURATED_KEY_COLUMN, 'file_row_number', ...signals, ...sourceColumns]);
  const columns = await queryRows<{ column_name: string }>(ctx.con, `DESCRIBE SELECT * FROM read_parquet(${sqlString(file)})`);
  const clash = columns.map((c) => c.column_name).filter((c) => added.has(c));
  if (clash.length > 0) {
    throw new InputError(
      name,
      `input column(s) ${clash.map((c) => `"${c}"`).join(', ')} clash with columns winnow adds to curated rows ` +
        `(${[...added].join(', ')}); rename them in the input or drop them from output.curated_signals`,
    );
  }
}

/**
 * Per rule (in the sources' order): documents it drops at all, as the primary reason and alone
 * (no other rule among its reasons), with the first example; documents each pair of rules both
 * drops; and per source column value.
 */
async function countOutcomes(ctx: TaskContext, order: readonly string[]) {
  const { con } = ctx;
  // Each rejected document's distinct rules: a rule named twice in one document's reasons counts once.
  const distinctRules = `SELECT "row", list_distinct(list_transform(reasons, r -> r.rule)) AS rules FROM judged WHERE len(reasons) > 0`;
  const alone = await queryRows<{ rule: string; n: number }>(
    con,
    `SELECT rules[1] AS rule, count(*) AS n FROM (${distinctRules}) WHERE len(rules) = 1 GROUP BY 1`,
  );
  const pairs = await queryRows<{ a: string; b: string; n: number }>(
    con,
    `WITH per_rule AS (SELECT "row", unnest(rules) AS rule FROM (${distinctRules}))
     SELECT x.rule AS a, y.rule AS b, count(*) AS n
     FROM per_rule x JOIN per_rule y ON x."row" = y."row" AND x.rule < y.rule GROUP BY 1, 2`,
  );
  const any = await queryRows<{ rule: string; n: number; id: string | null; value: string }>(
    con,
    `SELECT r.rule AS rule, count(*) AS n, arg_min(id, "row") AS id, arg_min(r.value, "row") AS value
     FROM (SELECT "row", id, unnest(reasons) AS r FROM judged) GROUP BY 1`,
  );
  const primary = await queryRows<{ rule: string; n: number }>(
    con,
    `SELECT reasons[1].rule AS rule, count(*) AS n FROM judged WHERE len(reasons) > 0 GROUP BY 1`,
  );
  const rules: Record<string, RuleCount> = {};
  for (const name of order) {
    const hit = any.find((r) => r.rule === name);
    rules[name] = {
      any: hit?.n ?? 0,
      primary: primary.find((r) => r.rule === name)?.n ?? 0,
      alone: alone.find((r) => r.rule === name)?.n ?? 0,
      ...(hit ? { example: { id: hit.id, value: hit.value } } : {}),
    };
  }
  const overlaps = orderOverlaps(
    pairs.map((p) => ({ rules: [p.a, p.b], documents: p.n })),
    order,
  );
  const bySource = await queryRows<{ source: string | null; input: number; rejected: number }>(
    con,
    `SELECT source, count(*) AS input, count(*) FILTER (WHERE len(reasons) > 0) AS rejected
     FROM judged GROUP BY 1 ORDER BY 1 NULLS LAST`,
  );
  const sources: Record<string, { input: number; curated: number; rejected: number }> = {};
  for (const s of bySource) sources[s.source ?? '(null)'] = { input: s.input, curated: s.input - s.rejected, rejected: s.rejected };
  return { rules, overlaps, sources };
}

/**
 * Overlaps in the rules' order: each pair's rules as they come in `order`, pairs by their first
 * rule's place, then their second's. Pairs naming a rule `order` lacks, and empty ones, are left out.
 */
export function orderOverlaps(overlaps: readonly RuleOverlap[], order: readonly string[]): RuleOverlap[] {
  const place = new Map(order.map((rule, i) => [rule, i]));
  const placed = overlaps.flatMap((o) => {
    const [a, b] = o.rules.map((r) => place.get(r)) as [number | undefined, number | undefined];
    if (a === undefined || b === undefined || a === b || o.documents === 0) return [];
    return [{ at: a < b ? ([a, b] as const) : ([b, a] as const), documents: o.documents }];
  });
  placed.sort((x, y) => x.at[0] - y.at[0] || x.at[1] - y.at[1]);
  return placed.map((p) => ({ rules: [order[p.at[0]]!, order[p.at[1]]!], documents: p.documents }));
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
    overlaps: [],
    outputs: { curated: [], rejected: [] },
  };
}

export const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
