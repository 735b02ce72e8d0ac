import { describe, expect, it } from 'vitest';
import { Spans } from '../../src/text/spans.js';

describe('Spans', () => {
  it('grows as spans are pushed, keeps its buffers when cleared, and lets a huge document go', () => {
    const spans = new Spans();
    for (let i = 0; i < 1000; i++) spans.push(2 * i, 2 * i + 1);
    expect([spans.count, spans.starts[999], spans.ends[999]]).toEqual([1000, 1998, 1999]);
    const kept = spans.starts;
    expect(spans.clear().count).toBe(0);
    expect(spans.starts).toBe(kept);
    for (let i = 0; i < 100_000; i++) spans.push(i, i + 1);
    expect(spans.starts.length).toBeGreaterThanOrEqual(100_000);
    spans.clear();
    expect(spans.starts.length).toBeLessThan(100_000);
    spans.push(5, 7);
    expect([spans.count, spans.starts[0], spans.ends[0]]).toEqual([1, 5, 7]);
  });
});
