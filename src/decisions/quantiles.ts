import type { QuantileRule } from '../config/rule-kinds.js';

/**
 * A quantile rule's threshold, found over the whole corpus before any shard is decided. The
 * population is the deduplicated corpus: every document with a value that is not bad input and
 * not a removed duplicate (exact or near), so that copies do not weigh twice. Other rules do not
 * change it: editing one rule never moves another rule's threshold.
 */
export interface QuantileThreshold {
  rule: string;
  signal: string;
  op: '>=' | '<=';
  quantile: number;
  /** Null when no document has a value. */
  value: number | null;
  /** Documents in the population. */
  documents: number;
}

/**
 * Which value (0-based, ascending) is the threshold, so that the rule keeps the share it names,
 * never more unless values tie at the threshold, and at least one document: `>=` with quantile q
 * keeps the top ⌊(1 - q)·n⌋ (at least one), `<=` keeps the bottom ⌊q·n⌋ (at least one).
 */
export function thresholdIndex(op: '>=' | '<=', quantile: number, n: number): number {
  // q·n computed in floating point can land a hair off a whole number (0.7 · 10 = 7.000000000000001).
  const qn = Math.round(quantile * n * 1e9) / 1e9;
  return op === '>=' ? Math.min(n - 1, Math.ceil(qn)) : Math.max(0, Math.floor(qn) - 1);
}

export const quantileOf = (rule: QuantileRule): Omit<QuantileThreshold, 'value' | 'documents'> => ({
  rule: rule.name,
  signal: rule.signal,
  op: rule.op,
  quantile: rule.threshold.quantile,
});

/** How the threshold reads in the audit trail: `0.9132 (quantile 0.7 of 3,120 unique documents)`. */
export function describeQuantile(t: QuantileThreshold): string {
  const value = t.value === null ? 'none' : String(Number(t.value.toPrecision(6)));
  return `${value} (quantile ${t.quantile} of ${t.documents.toLocaleString('en-US')} unique documents)`;
}
