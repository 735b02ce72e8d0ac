import { isListRule, isQuantileRule } from '../config/rule-kinds.js';
import type { ComparisonRule, Rule } from '../config/ruleset.js';
import { sqlIdent, sqlString } from '../io/duckdb.js';
import { describeQuantile, type QuantileThreshold } from './quantiles.js';
import { formatThreshold } from './rules.js';

/** The reasons every rejected row lists: rule, signal, comparison, measured value and threshold. */
export const REASON_TYPE = 'STRUCT(rule VARCHAR, signal VARCHAR, op VARCHAR, value VARCHAR, threshold VARCHAR)';

/** One entry of a rejected row's `reasons`, as read back. */
export interface Reason {
  rule: string;
  signal: string;
  op: string;
  value: string;
  threshold: string | null;
}

export const BAD_INPUT_RULE = 'bad_input';

/** A measured value as people read it: 0.3889, not 0.3888888888888889 (values are DuckDB's casts to text). */
export const readableValue = (value: string): string =>
  /^-?\d+\.\d{5,}$/.test(value) || /^-?\d+(\.\d+)?e[-+]\d+$/i.test(value) ? String(Number(Number(value).toPrecision(4))) : value;

function literal(value: string | number | boolean): string {
  if (typeof value === 'string') return sqlString(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return Number.isInteger(value) ? String(value) : `${value}::DOUBLE`;
}

/** The condition a kept document satisfies; NULL (a missing signal) never satisfies it. */
export function keepCondition(rule: ComparisonRule, column = sqlIdent(rule.signal)): string {
  if (isQuantileRule(rule)) throw new Error(`rule ${rule.name}: a quantile threshold must be resolved first`);
  if (Array.isArray(rule.threshold)) {
    const list = rule.threshold.map(literal).join(', ');
    return `coalesce(${column} ${rule.op === 'in' ? 'IN' : 'NOT IN'} (${list}), false)`;
  }
  const op = rule.op === '==' ? '=' : rule.op === '!=' ? '<>' : rule.op;
  return `coalesce(${column} ${op} ${literal(rule.threshold as string | number | boolean)}, false)`;
}

/** A REASON_TYPE struct from SQL expressions for each field. */
export function reasonStruct(fields: { rule: string; signal: string; op: string; value: string; threshold: string }): string {
  return `{'rule': ${fields.rule}, 'signal': ${fields.signal}, 'op': ${fields.op}, 'value': ${fields.value}, 'threshold': ${fields.threshold}}::${REASON_TYPE}`;
}

/** `reason` when `condition` holds, else NULL: one entry of a reasons list. */
export const reasonWhen = (condition: string, reason: string): string => `CASE WHEN ${condition} THEN ${reason} END`;

/** A row's reasons from its sources' entries: the non-NULL ones, in order. Empty means kept; the first is the primary reason. */
export const reasonList = (entries: readonly string[]): string => `list_filter([${entries.join(',\n  ')}], r -> r IS NOT NULL)`;

/** The bad-input reason, given SQL for the row's bad-input description (NULL when the row is fine). */
export function badInputReason(badInput: string): string {
  return reasonWhen(
    `${badInput} IS NOT NULL`,
    reasonStruct({ rule: sqlString(BAD_INPUT_RULE), signal: sqlString('text'), op: sqlString('valid'), value: badInput, threshold: 'NULL' }),
  );
}

export interface RuleReasonInputs {
  rules: readonly Rule[];
  /** SQL for the bad-input description column: a bad row is not judged by the rules. */
  badInput: string;
  /** The corpus-wide thresholds of quantile rules, by rule name. */
  quantiles?: ReadonlyMap<string, QuantileThreshold>;
  /** For each list rule (by name): SQL that is true when the row's value is in the list. */
  listHit?: (rule: Rule) => string;
}

interface RuleSql {
  rule: Rule;
  /** True when the document passes the rule's own threshold. */
  keep: string;
  threshold: string;
  /** For a rule with an exception: true for the documents it covers, and (softened) whether they pass the softer threshold. */
  except?: { when: string; keep: string | null; describe: string };
}

/** The SQL of each rule: its keep condition, threshold as the audit shows it, and its exception. */
function ruleSql({ rules, quantiles, listHit }: RuleReasonInputs): RuleSql[] {
  return rules.map((rule) => {
    const column = sqlIdent(rule.signal);
    let keep: string;
    let threshold = formatThreshold(rule);
    if (isListRule(rule)) {
      if (!listHit) throw new Error(`list rule ${rule.name} needs list lookups`);
      return { rule, keep: rule.op === 'in_list' ? listHit(rule) : `NOT ${listHit(rule)}`, threshold };
    }
    if (isQuantileRule(rule)) {
      const q = quantiles?.get(rule.name);
      if (!q) throw new Error(`quantile rule ${rule.name} has no threshold`);
      keep = q.value === null ? 'false' : `coalesce(${column} ${rule.op} ${q.value}::DOUBLE, false)`;
      threshold = describeQuantile(q);
    } else keep = keepCondition(rule, column);
    if (!rule.except) return { rule, keep, threshold };
    const w = rule.except.when;
    const when = keepCondition({ name: rule.name, signal: w.signal, op: w.op, threshold: w.threshold });
    const soft = rule.except.threshold;
    const condition = `${w.signal} ${w.op} ${Array.isArray(w.threshold) ? `[${w.threshold.join(', ')}]` : String(w.threshold)}`;
    return {
      rule,
      keep,
      threshold,
      except: {
        when,
        keep: soft === undefined ? null : keepCondition({ name: rule.name, signal: rule.signal, op: rule.op, threshold: soft }, column),
        describe: soft === undefined ? `exempt when ${condition}` : `${String(soft)} when ${condition}`,
      },
    };
  });
}

const ruleReason = (r: RuleSql, threshold: string): string =>
  reasonStruct({
    rule: sqlString(r.rule.name),
    signal: sqlString(r.rule.signal),
    op: sqlString(r.rule.op),
    value: `coalesce(CAST(${sqlIdent(r.rule.signal)} AS VARCHAR), 'null')`,
    threshold,
  });

/**
 * One reason per rule, as declared: the rule, its signal, the comparison, the value and the
 * threshold. A document an exception covers is judged by the softer threshold, or not at all.
 */
export function ruleReasons(inputs: RuleReasonInputs): string[] {
  return ruleSql(inputs).map((r) => {
    const judged = `${inputs.badInput} IS NULL`;
    if (!r.except) return reasonWhen(`${judged} AND NOT (${r.keep})`, ruleReason(r, sqlString(r.threshold)));
    const { when, keep, describe } = r.except;
    if (keep === null) return reasonWhen(`${judged} AND NOT (${r.keep}) AND NOT (${when})`, ruleReason(r, sqlString(r.threshold)));
    return reasonWhen(
      `${judged} AND CASE WHEN ${when} THEN NOT (${keep}) ELSE NOT (${r.keep}) END`,
      ruleReason(r, `CASE WHEN ${when} THEN ${sqlString(describe)} ELSE ${sqlString(r.threshold)} END`),
    );
  });
}

/**
 * For rules with an exception: the reason each would have given a document that its exception
 * spared (it fails the rule's own threshold, and the exception covers it and, softened, it passes
 * the softer one). Its threshold says which exception: "0.25 (except: exempt when met_rare >= 1)".
 */
export function ruleExemptions(inputs: RuleReasonInputs): string[] {
  return ruleSql(inputs).flatMap((r) => {
    if (!r.except) return [];
    const { when, keep, describe } = r.except;
    return [
      reasonWhen(
        `${inputs.badInput} IS NULL AND NOT (${r.keep}) AND ${when}${keep === null ? '' : ` AND ${keep}`}`,
        ruleReason(r, sqlString(`${r.threshold} (except: ${describe})`)),
      ),
    ];
  });
}
