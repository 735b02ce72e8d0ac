import type { ComparisonRule, ListRule, Rule } from './ruleset.js';

// Apart from the rule-set schema, so that worker threads, which judge rules but never parse a rule
// set, do not load the schema library (a tenth of a second per thread).

export const isListRule = (rule: Rule): rule is ListRule => rule.op === 'in_list' || rule.op === 'not_in_list';
export type QuantileRule = ComparisonRule & { op: '>=' | '<='; threshold: { quantile: number } };
export const isQuantileRule = (rule: Rule): rule is QuantileRule =>
  !isListRule(rule) && typeof rule.threshold === 'object' && !Array.isArray(rule.threshold);
