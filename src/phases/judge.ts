import { reasonList } from '../decisions/reasons-sql.js';
import type { InputShard } from '../io/inputs.js';
import type { AnnotateResult } from './annotate.js';
import type { TaskContext } from './context.js';
import type { Judgement, SourceInputs } from './reason-source.js';
import { REASON_SOURCES } from './reason-sources.js';
import { signalsSql, type ScoreFiles } from './signals-sql.js';

/**
 * Judges one shard: a view `sig` of its signals (annotate's, with the score phase's model scores) and a table `judged` with one row per document
 * ("row", key, id, source, duplicate_of, duplicate_of_id, exact_keeper, exact_keeper_id, near_cluster, reasons), a document kept
 * when it has no reasons. Decide writes the outputs from them; the entity tally (src/phases/met-tally.ts)
 * counts what is kept, before decide, with exactly decide's judgement. `releaseJudged` drops them.
 */
export async function judgeShard(
  ctx: TaskContext,
  shard: InputShard,
  annotated: AnnotateResult,
  inputs: Partial<SourceInputs>,
  scores: readonly ScoreFiles[],
): Promise<Judgement[]> {
  const { con, layout } = ctx;
  await con.run(`CREATE OR REPLACE TEMP VIEW sig AS SELECT * FROM ${await signalsSql(layout.storage, annotated.signalFiles, scores)}`);
  const judged: Judgement[] = [];
  for (const source of REASON_SOURCES) {
    if (source.rules(ctx.pipeline).length === 0) continue;
    const input = inputs[source.name];
    if (!input) throw new Error(`no input planned for the ${source.name} reason source`);
    judged.push(await source.judge(ctx, shard, input as never));
  }
  // The copy finally kept: the last dedup step's keeper. An exact copy is in its keeper's near
  // cluster too (same text, same signature), so when near dedup dropped that keeper, the copy names
  // the near cluster's keeper, and its exact keeper stays as the direct link.
  const links = judged.flatMap((j) => (j.duplicateOf ? [j.duplicateOf] : [])).reverse();
  // The id from the same source as the key (an id column may be NULL where a key never is).
  const pick = (field: 'key' | 'id') =>
    links.length > 0 ? `CASE ${links.map((l) => `WHEN ${l.key} IS NOT NULL THEN ${l[field]}`).join(' ')} ELSE NULL::VARCHAR END` : 'NULL::VARCHAR';
  const exact = judged.find((j) => j.exactKeeper)?.exactKeeper;
  await con.run(`CREATE OR REPLACE TEMP TABLE judged AS
    SELECT s."row", s.key, s.id, s.source,
      ${pick('key')} AS duplicate_of, ${pick('id')} AS duplicate_of_id,
      ${exact?.key ?? 'NULL::VARCHAR'} AS exact_keeper, ${exact?.id ?? 'NULL::VARCHAR'} AS exact_keeper_id,
      ${judged.find((j) => j.nearCluster)?.nearCluster ?? 'NULL::VARCHAR'} AS near_cluster,
      ${reasonList(judged.flatMap((j) => j.reasons))} AS reasons
    FROM sig s${judged.map((j) => j.joins ?? '').join('')}`);
  return judged;
}

export async function releaseJudged(ctx: TaskContext, judged: readonly Judgement[]): Promise<void> {
  await ctx.con.run(`${judged.map((j) => j.cleanup ?? '').join('')}DROP TABLE judged; DROP VIEW sig`);
}
