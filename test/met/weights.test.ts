import { describe, expect, it } from 'vitest';
import { distribution, rawWeight, solveScale, type Histogram } from '../../src/met/weights.js';

const clip = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const weights = (h: Histogram, s: { temperature: number; max_repeat: number; min_weight: number }) => {
  const z = solveScale(h, s);
  return h.map((b) => ({ ...b, w: clip(z * rawWeight(b.g, s.temperature), s.min_weight, s.max_repeat) }));
};
const mean = (ws: ReturnType<typeof weights>) => ws.reduce((a, b) => a + b.w * b.documents, 0) / ws.reduce((a, b) => a + b.documents, 0);

describe('balancing weights', () => {
  // A long tail as corpora have it: one node in 5,000 documents, a few hundred in one or two.
  const histogram: Histogram = [
    { g: 1, documents: 300 },
    { g: 2, documents: 120 },
    { g: 10, documents: 200 },
    { g: 100, documents: 800 },
    { g: 5000, documents: 5000 },
  ];
  const settings = { temperature: 0.5, max_repeat: 4, min_weight: 0.25 };

  it('keep the corpus size: the mean weight of documents with entities is 1', () => {
    expect(mean(weights(histogram, settings))).toBeCloseTo(1, 9);
  });

  it('weigh a rarer node up and a common one down, within the cap and the floor', () => {
    const ws = weights(histogram, settings);
    for (let i = 1; i < ws.length; i++) expect(ws[i]!.w).toBeLessThanOrEqual(ws[i - 1]!.w);
    expect(ws[0]!.w).toBe(4); // the tail hits the cap: no document repeated more than max_repeat times
    expect(ws.at(-1)!.w).toBeLessThan(1);
    for (const w of ws) expect(w.w).toBeGreaterThanOrEqual(settings.min_weight);
  });

  it('leave the corpus as it is at temperature 1', () => {
    for (const w of weights(histogram, { ...settings, temperature: 1 })) expect(w.w).toBeCloseTo(1, 12);
  });

  it('flatten more at a lower temperature', () => {
    const tail = (t: number) => weights(histogram, { ...settings, temperature: t, max_repeat: 1000, min_weight: 0.0001 })[0]!.w;
    expect(tail(0.2)).toBeGreaterThan(tail(0.5));
    expect(tail(0.5)).toBeGreaterThan(tail(0.8));
  });

  it('weigh every document 1 when all share one frequency, and nothing to weigh scales by 1', () => {
    const ws = weights([{ g: 7, documents: 10 }], { temperature: 0.5, max_repeat: 4, min_weight: 0.5 });
    expect(ws[0]!.w).toBeCloseTo(1, 9);
    expect(solveScale([], settings)).toBe(1);
  });

  it('are the same numbers whatever order the histogram comes in', () => {
    expect(solveScale([...histogram].reverse(), settings)).toBe(solveScale(histogram, settings));
  });
});

describe('the distribution of node mass', () => {
  it('says how much falls on rare nodes and how evenly it spreads', () => {
    const even = distribution(Array.from({ length: 100 }, (_, i) => ({ rare: i < 10, mass: 1 })));
    expect(even.tail_share).toBeCloseTo(0.1, 6);
    expect(even.effective_nodes).toBeCloseTo(100, 4);
    expect(even.top1_share).toBeCloseTo(0.01, 6);
    const skewed = distribution([{ rare: false, mass: 97 }, { rare: true, mass: 1 }, { rare: true, mass: 1 }, { rare: false, mass: 1 }]);
    expect(skewed.effective_nodes).toBeLessThan(1.3);
    expect(skewed.top1_share).toBeCloseTo(0.97, 6);
    expect(distribution([])).toEqual({ tail_share: 0, effective_nodes: 0, top1_share: 0 });
  });
});
