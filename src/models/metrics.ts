/** How well scores separate positives (label 1) from negatives (label 0). */
export interface ClassifierMetrics {
  positives: number;
  negatives: number;
  /** Area under the ROC curve: the chance a random positive scores above a random negative (ties count half). */
  roc_auc: number | null;
  threshold: number;
  /** At the threshold: a score >= threshold is called positive. */
  accuracy: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  /** Negatives called positive, over all negatives. */
  false_positive_rate: number | null;
  confusion: { true_positive: number; false_positive: number; true_negative: number; false_negative: number };
}

/**
 * ROC AUC by the Mann-Whitney statistic: sort the scores, give tied scores their average rank,
 * and compare the positives' rank sum with what chance gives. Exact, O(n log n). Null when either
 * class is empty.
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[order[k]!] === 1) {
        positives++;
        rankSum += rank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export function classifierMetrics(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): ClassifierMetrics {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < scores.length; i++) {
    const called = scores[i]! >= threshold;
    if (labels[i] === 1) called ? tp++ : fn++;
    else called ? fp++ : tn++;
  }
  const ratio = (a: number, b: number): number | null => (b > 0 ? round(a / b) : null);
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  const auc = rocAuc(scores, labels);
  return {
    positives: tp + fn,
    negatives: tn + fp,
    roc_auc: auc === null ? null : round(auc),
    threshold,
    accuracy: ratio(tp + tn, scores.length) ?? 0,
    precision,
    recall,
    f1: precision !== null && recall !== null && precision + recall > 0 ? round((2 * precision * recall) / (precision + recall)) : null,
    false_positive_rate: ratio(fp, fp + tn),
    confusion: { true_positive: tp, false_positive: fp, true_negative: tn, false_negative: fn },
  };
}

/** Six decimals: metrics are reported, and compared between runs, as text. */
const round = (x: number): number => Math.round(x * 1e6) / 1e6;
