import { describe, expect, it } from 'vitest';
import { classifierMetrics, rocAuc } from '../../src/models/metrics.js';
import { thresholdIndex } from '../../src/decisions/quantiles.js';

describe('ROC AUC', () => {
  it('is 1 for a perfect ranking, 0 for a reversed one, 0.5 when every score ties', () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
  });

  it('counts the pairs a positive wins, ties as half, as the Mann-Whitney statistic', () => {
    // Positives 0.4, 0.7; negatives 0.1, 0.4, 0.8: pairs won 1 + 0.5 + 0 + 1 + 1 + 0 = 3.5 of 6.
    expect(rocAuc([0.4, 0.7, 0.1, 0.4, 0.8], [1, 1, 0, 0, 0])).toBeCloseTo(3.5 / 6, 12);
  });

  it('is undefined (null) without both classes', () => {
    expect(rocAuc([0.1, 0.2], [1, 1])).toBeNull();
  });
});

describe('metrics at a threshold', () => {
  it('call a score at or above the threshold positive', () => {
    const m = classifierMetrics([0.5, 0.49, 0.9, 0.2, 0.6], [1, 1, 0, 0, 0], 0.5);
    expect(m.confusion).toEqual({ true_positive: 1, false_negative: 1, false_positive: 2, true_negative: 1 });
    expect(m.precision).toBeCloseTo(1 / 3, 6);
    expect(m.recall).toBe(0.5);
    expect(m.accuracy).toBe(0.4);
    expect(m.false_positive_rate).toBeCloseTo(2 / 3, 6);
  });
});

describe('quantile thresholds', () => {
  it('keep the named share: ">=" the top (1 - q), "<=" the bottom q, at least one document', () => {
    // Ten values 0..9: quantile 0.7 with ">=" keeps 7, 8, 9.
    expect(thresholdIndex('>=', 0.7, 10)).toBe(7);
    expect(thresholdIndex('<=', 0.3, 10)).toBe(2);
    // 0.75 of 10 is 7.5: ">=" keeps the top 2 (not 3), "<=" keeps the bottom 7 (not 8).
    expect(thresholdIndex('>=', 0.75, 10)).toBe(8);
    expect(thresholdIndex('<=', 0.75, 10)).toBe(6);
    // Too few documents for the share: one is kept.
    expect(thresholdIndex('>=', 0.99, 10)).toBe(9);
    expect(thresholdIndex('<=', 0.01, 10)).toBe(0);
    // 0.07 * 100 is 7.000000000000001 in floating point: still the 7th, not the 8th.
    expect(0.07 * 100).not.toBe(7);
    expect(thresholdIndex('>=', 0.07, 100)).toBe(7);
  });
});
