import { existsSync } from 'node:fs';
import { atLine } from '../config/key-lines.js';
import { isListRule, isQuantileRule } from '../config/rule-kinds.js';
import type { Comparison, Rule, RuleSet } from '../config/ruleset.js';
import type { ColumnType } from '../io/parquet-writer.js';

const NUMERIC: ReadonlySet<ColumnType> = new Set(['INTEGER', 'BIGINT', 'UBIGINT', 'DOUBLE']);
const ORDERING: ReadonlySet<Comparison> = new Set(['>=', '>', '<=', '<']);

export interface RuleProblem {
  file: string;
  problem: string;
}

/**
 * Checks every rule against the columns a signals file has: the signal must exist and the
 * threshold must fit its type. Returns problems instead of throwing so `winnow validate` can list
 * them all at once.
 */
export function checkRules(
  sets: readonly RuleSet[],
  columns: ReadonlyMap<string, ColumnType>,
  /** For an unknown signal: the signal family that would compute it, if any. */
  familyOf: (signal: string) => string | undefined = () => undefined,
): RuleProblem[] {
  const unknownHint = (signal: string): string => {
    const family = familyOf(signal);
    if (family) return `it comes from the "${family}" signal family, which this pipeline does not compute (add it to signals.families)`;
    return `known signals: ${[...columns.keys()].join(', ')}`;
  };
  const problems: RuleProblem[] = [];
  for (const set of sets) {
    set.rules.forEach((rule, i) => {
      const say = (problem: string) => problems.push({ file: set.file, problem: `${atLine(set.lines, `rules.${i}`)}rules.${i} (${rule.name}): ${problem}` });
      const type = columns.get(rule.signal);
      if (!type) {
        say(`unknown signal "${rule.signal}"; ${unknownHint(rule.signal)}`);
        return;
      }
      if (isListRule(rule)) {
        if (type !== 'VARCHAR') say(`op "${rule.op}" compares text; signal "${rule.signal}" is ${type}`);
        if (!existsSync(rule.list)) say(`list file ${rule.list} not found`);
        return;
      }
      if (isQuantileRule(rule)) {
        if (!NUMERIC.has(type)) say(`a quantile threshold needs a numeric signal; "${rule.signal}" is ${type}`);
      } else checkComparison(rule.signal, type, rule.op, rule.threshold, say);
      if (rule.except) {
        const w = rule.except.when;
        const whenType = columns.get(w.signal);
        if (!whenType) say(`except.when: unknown signal "${w.signal}"; ${unknownHint(w.signal)}`);
        else checkComparison(w.signal, whenType, w.op, w.threshold, (p) => say(`except.when: ${p}`));
        if (rule.except.threshold !== undefined) checkComparison(rule.signal, type, rule.op, rule.except.threshold, (p) => say(`except.threshold: ${p}`));
      }
    });
  }
  return problems;
}


/** A comparison's threshold against its signal's type: numbers for numbers, true/false for flags, text for text. */
function checkComparison(signal: string, type: ColumnType, op: Comparison, threshold: unknown, say: (problem: string) => void): void {
  const values = Array.isArray(threshold) ? (threshold as unknown[]) : [threshold];
  if (NUMERIC.has(type)) {
    if (values.some((v) => typeof v !== 'number')) say(`signal "${signal}" is a number; the threshold must be a number`);
  } else if (type === 'BOOLEAN') {
    if (values.some((v) => typeof v !== 'boolean')) say(`signal "${signal}" is true/false; the threshold must be true or false`);
    if (ORDERING.has(op)) say(`op "${op}" does not apply to a true/false signal; use == or !=`);
  } else {
    if (values.some((v) => typeof v !== 'string')) say(`signal "${signal}" is text; the threshold must be text (quote it)`);
    if (ORDERING.has(op)) say(`op "${op}" does not apply to a text signal; use ==, !=, in or not_in`);
  }
}

export const allRules = (sets: readonly RuleSet[]): Rule[] => sets.flatMap((s) => s.rules);

/** How a rule's threshold reads in the audit trail: `50`, `en`, `[en, fr]`, `list blocked.txt`. */
export function formatThreshold(rule: Rule): string {
  if (isListRule(rule)) return `list ${rule.list.split(/[\\/]/).pop()}${rule.match === 'domain' ? ' (domains)' : ''}`;
  if (isQuantileRule(rule)) return `quantile ${rule.threshold.quantile}`;
  const t = rule.threshold;
  return Array.isArray(t) ? `[${t.map(String).join(', ')}]` : String(t);
}
