import { isListRule, isQuantileRule, type ComparisonRule, type Rule } from '../config/ruleset.js';
import { sqlIdent, sqlString } from '../io/duckdb.js';
import { describeQuantile, type QuantileThreshold } from './quantiles.js';
import { formatThreshold } from './rules.js';

/** The reasons every rejected row lists: rule, signal, comparison, measured value and threshold. */
export const REASON_TYPE = 'STRUCT(rule VARCHAR, signal VARCHAR, op VARCHAR, value VARCHAR, threshold VARCHAR)';

export const BAD_INPUT_RULE = 'bad_input';
export const EXACT_DUPLICATE_RULE = 'exact_duplicate';
export const NEAR_DUPLICATE_RULE = 'near_duplicate';
export const BOILERPLATE_RULE = 'boilerplate_only';

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

function reason(fields: { rule: string; signal: string; op: string; value: string; threshold: string }): string {
  return `{'rule': ${fields.rule}, 'signal': ${fields.signal}, 'op': ${fields.op}, 'value': ${fields.value}, 'threshold': ${fields.threshold}}::${REASON_TYPE}`;
}

export interface ReasonSources {
  rules: readonly Rule[];
  /** The corpus-wide thresholds of quantile rules, by rule name. */
  quantiles?: ReadonlyMap<string, QuantileThreshold>;
  /** For each list rule (by name): SQL that is true when the row's value is in the list. */
  listHit?: (rule: Rule) => string;
  /** SQL for the bad-input description column (NULL when the row is fine). */
  badInput: string;
  /** SQL for the exact-dedup keeper key (NULL when the row is not a duplicate); omitted when exact dedup is off. */
  exactKeeper?: string;
  /** SQL for the row's content hash, shown as the duplicate reason's value. */
  contentHash?: string;
  /** Near-dedup, when on: SQL for the keeper key (NULL when the row is not a near duplicate) and the rest. */
  near?: { keeper: string; similarity: string; cluster: string; clusterSize: string; link: string };
  /** Boilerplate removal, when on: SQL for the words a document has left (NULL when nothing was removed). */
  boilerplate?: { wordsLeft: string; minWords: number; unit: 'line' | 'paragraph' };
}

/**
 * A SQL expression giving each row's list of reasons to be dropped, in a fixed order: bad input,
 * then the rules as declared, then exact and near duplication, then boilerplate-only documents. An empty list means the row is kept, and the
 * first entry is the primary reason.
 */
export function reasonsExpression(src: ReasonSources): string {
  const entries: string[] = [
    `CASE WHEN ${src.badInput} IS NOT NULL THEN ${reason({
      rule: sqlString(BAD_INPUT_RULE),
      signal: sqlString('text'),
      op: sqlString('valid'),
      value: src.badInput,
      threshold: 'NULL',
    })} END`,
  ];
  for (const rule of src.rules) {
    const column = sqlIdent(rule.signal);
    let keep: string;
    let threshold = formatThreshold(rule);
    if (isListRule(rule)) {
      if (!src.listHit) throw new Error(`list rule ${rule.name} needs list lookups`);
      keep = rule.op === 'in_list' ? src.listHit(rule) : `NOT ${src.listHit(rule)}`;
    } else if (isQuantileRule(rule)) {
      const q = src.quantiles?.get(rule.name);
      if (!q) throw new Error(`quantile rule ${rule.name} has no threshold`);
      keep = q.value === null ? 'false' : `coalesce(${column} ${rule.op} ${q.value}::DOUBLE, false)`;
      threshold = describeQuantile(q);
    } else keep = keepCondition(rule, column);
    entries.push(
      `CASE WHEN ${src.badInput} IS NULL AND NOT (${keep}) THEN ${reason({
        rule: sqlString(rule.name),
        signal: sqlString(rule.signal),
        op: sqlString(rule.op),
        value: `coalesce(CAST(${column} AS VARCHAR), 'null')`,
        threshold: sqlString(threshold),
      })} END`,
    );
  }
  if (src.exactKeeper) {
    entries.push(
      `CASE WHEN ${src.exactKeeper} IS NOT NULL THEN ${reason({
        rule: sqlString(EXACT_DUPLICATE_RULE),
        signal: sqlString('content_hash'),
        op: sqlString('=='),
        value: src.contentHash ? `lpad(lower(hex(${src.contentHash})), 16, '0')` : 'NULL',
        threshold: `'content_hash of ' || ${src.exactKeeper}`,
      })} END`,
    );
  }
  if (src.near) {
    const { keeper, similarity, cluster, clusterSize, link } = src.near;
    // value: the estimated similarity to the keeper; threshold: how pairs were linked, and to whom.
    entries.push(
      `CASE WHEN ${keeper} IS NOT NULL THEN ${reason({
        rule: sqlString(NEAR_DUPLICATE_RULE),
        signal: sqlString('minhash_signature'),
        op: sqlString('linked'),
        value: `coalesce(printf('%.3f', ${similarity}), 'null')`,
        threshold: `${sqlString(link)} || ' with ' || ${keeper} || ' (cluster ' || ${cluster} || ' of ' || ${clusterSize} || ')'`,
      })} END`,
    );
  }
  if (src.boilerplate) {
    const { wordsLeft, minWords, unit } = src.boilerplate;
    entries.push(
      `CASE WHEN ${src.badInput} IS NULL AND ${wordsLeft} < ${minWords} THEN ${reason({
        rule: sqlString(BOILERPLATE_RULE),
        signal: sqlString(`words left after removing boilerplate ${unit}s`),
        op: sqlString('>='),
        value: `CAST(${wordsLeft} AS VARCHAR)`,
        threshold: sqlString(String(minWords)),
      })} END`,
    );
  }
  return `list_filter([${entries.join(',\n  ')}], r -> r IS NOT NULL)`;
}
