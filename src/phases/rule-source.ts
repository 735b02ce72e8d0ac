import { listHitsQuery, materializeList } from '../decisions/lists.js';
import { badInputReason, BAD_INPUT_RULE, REASON_TYPE, reasonList, ruleExemptions, ruleReasons } from '../decisions/reasons-sql.js';
import { queryRows } from '../io/duckdb.js';
import { allRules } from '../decisions/rules.js';
import { isListRule } from '../config/rule-kinds.js';
import type { ListRule } from '../config/ruleset.js';
import type { TaskContext } from './context.js';
import type { ReasonSource } from './reason-source.js';

/** Rows the input could not give a usable text for: dropped first, and judged by nothing else. */
export const badInputSource: ReasonSource<'bad_input'> = {
  name: 'bad_input',
  rules: () => [BAD_INPUT_RULE],
  judge: async () => ({ reasons: [badInputReason('s.bad_input')] }),
  explain: (r) => (r.rule === BAD_INPUT_RULE ? `bad_input: ${r.value}` : undefined),
};

/**
 * The rule sets: one reason per rule, in declaration order. Its tasks are the quantiles step
 * (corpus-wide thresholds, src/phases/quantiles.ts) and the lists each list rule materializes.
 */
export const ruleSource: ReasonSource<'rules'> = {
  name: 'rules',
  rules: (pipeline) => allRules(pipeline.ruleSets).map((r) => r.name),
  async judge(ctx, _shard, { quantiles }) {
    const rules = allRules(ctx.pipeline.ruleSets);
    const lists = await prepareLists(ctx, rules.filter(isListRule));
    const inputs = {
      rules,
      badInput: 's.bad_input',
      quantiles: new Map(quantiles.map((q) => [q.rule, q])),
      listHit: (rule: { name: string }) => `${lists.alias.get(rule.name)}."row" IS NOT NULL`,
    };
    const exemptions = ruleExemptions(inputs);
    return {
      joins: lists.joins,
      reasons: ruleReasons(inputs),
      ...(lists.drop ? { cleanup: lists.drop } : {}),
      ...(exemptions.length > 0 ? exemptionParts(ctx, exemptions) : {}),
    };
  },
};

/** The column curated rows get when a rule has an exception: the reasons it spared them. */
export const EXEMPTED_COLUMN = 'winnow_exempted';

/**
 * Curated rows list the reasons exceptions spared them (`winnow_exempted`, what `winnow why`
 * shows), and the shard's manifest counts, per rule, the documents an exception covered that the
 * rule would have dropped, and those of them kept in the end (no other rule dropped them).
 */
function exemptionParts(ctx: TaskContext, exemptions: string[]) {
  const spared = `(SELECT s."row", ${reasonList(exemptions)}::${REASON_TYPE}[] AS spared FROM sig s)`;
  return {
    curated: {
      join: ` LEFT JOIN ${spared} ex ON ex."row" = s."row"`,
      text: (current: string) => current,
      columns: [`ex.spared AS ${EXEMPTED_COLUMN}`],
      names: [EXEMPTED_COLUMN],
    },
    async summarize() {
      const rows = await queryRows<{ rule: string; exempted: number; saved: number }>(
        ctx.con,
        `SELECT r.rule AS rule, count(*) AS exempted, count(*) FILTER (WHERE len(j.reasons) = 0) AS saved
         FROM (SELECT "row", unnest(spared) AS r FROM ${spared}) x JOIN judged j ON j."row" = x."row" GROUP BY 1 ORDER BY 1`,
      );
      return { exemptions: Object.fromEntries(rows.map((r) => [r.rule, { exempted: r.exempted, saved: r.saved }])) };
    },
  };
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
    const file = await materializeList(ctx.con, ctx.layout.localWorkDir, rule, { checkAborted: () => ctx.checkAborted() });
    await ctx.con.run(`CREATE OR REPLACE TEMP TABLE hits_${i} AS ${listHitsQuery(rule, file)}`);
    alias.set(rule.name, `h${i}`);
    joins += ` LEFT JOIN hits_${i} h${i} ON h${i}."row" = s."row"`;
    tables.push(`hits_${i}`);
  }
  return { alias, joins, drop: tables.map((t) => `DROP TABLE ${t}; `).join('') };
}
