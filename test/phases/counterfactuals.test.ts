import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sqlString } from '../../src/io/duckdb.js';
import { orderOverlaps, type RuleCount, type RuleOverlap, type ShardManifest } from '../../src/phases/decide.js';
import type { RunManifest } from '../../src/phases/report.js';
import { readManifest, rows, sharedDryRun } from '../helpers.js';

const n = (x: number): string => x.toLocaleString('en-US');

/** Per rule, documents whose reasons name it and no other rule; per pair (in `order`), documents naming both. */
async function bruteForce(runDir: string, files: readonly string[], order: readonly string[]) {
  const alone = new Map<string, number>(order.map((r) => [r, 0]));
  const pairs = new Map<string, number>();
  let documents = 0;
  for (const file of files) {
    const rejected = await rows<{ reasons: { rule: string }[] }>(`SELECT reasons FROM read_parquet(${sqlString(join(runDir, file))})`);
    for (const doc of rejected) {
      documents++;
      const rules = [...new Set(doc.reasons.map((r) => r.rule))];
      expect(rules.length).toBeGreaterThan(0);
      if (rules.length === 1) alone.set(rules[0]!, (alone.get(rules[0]!) ?? 0) + 1);
      for (const a of rules) {
        for (const b of rules) {
          if (order.indexOf(a) < order.indexOf(b)) pairs.set(`${a} ${b}`, (pairs.get(`${a} ${b}`) ?? 0) + 1);
        }
      }
    }
  }
  // Every pair, in the rules' order: the first rule's place, then the second's; empty pairs left out.
  const overlaps: RuleOverlap[] = [];
  for (const [i, a] of order.entries()) {
    for (const b of order.slice(i + 1)) {
      const count = pairs.get(`${a} ${b}`) ?? 0;
      if (count > 0) overlaps.push({ rules: [a, b], documents: count });
    }
  }
  return { alone: Object.fromEntries(alone), overlaps, documents };
}

describe('counterfactuals: documents a rule alone drops, and overlaps between rules', () => {
  let dir = '';
  let summary = '';
  let manifest: RunManifest;

  beforeAll(async () => {
    const run = await sharedDryRun();
    expect(run.code, run.stderr).toBe(0);
    dir = run.dir;
    summary = run.stdout;
    manifest = readManifest(dir) as RunManifest;
  });

  it('manifest.json counts them as brute force over the rejected rows does', async () => {
    const order = Object.keys(manifest.counts.rules);
    const expected = await bruteForce(dir, manifest.outputs.rejected.map((f) => f.path), order);
    expect(expected.documents).toBe(manifest.counts.documents.rejected);
    expect(Object.fromEntries(Object.entries(manifest.counts.rules).map(([rule, c]) => [rule, c.alone]))).toEqual(expected.alone);
    expect(manifest.counts.overlaps).toEqual(expected.overlaps);
    // The dry run has something to show: rules that drop documents alone, and pairs that overlap.
    expect(Object.values(expected.alone).filter((x) => x > 0).length).toBeGreaterThan(3);
    expect(expected.overlaps.length).toBeGreaterThan(10);
  });

  it('each shard manifest counts its own shard, and manifest.json is their sum', async () => {
    const order = Object.keys(manifest.counts.rules);
    const summed = new Map<string, number>();
    for (const path of manifest.outputs.shard_manifests) {
      const s = JSON.parse(readFileSync(join(dir, path), 'utf8')) as ShardManifest;
      const expected = await bruteForce(dir, s.outputs.rejected.map((f) => f.path), Object.keys(s.rules));
      expect(expected.documents).toBe(s.counts.rejected);
      expect(Object.keys(s.rules)).toEqual(order);
      expect(Object.fromEntries(Object.entries(s.rules).map(([rule, c]) => [rule, c.alone]))).toEqual(expected.alone);
      expect(s.overlaps).toEqual(expected.overlaps);
      for (const o of s.overlaps) summed.set(o.rules.join(' '), (summed.get(o.rules.join(' ')) ?? 0) + o.documents);
    }
    expect(Object.fromEntries(manifest.counts.overlaps.map((o) => [o.rules.join(' '), o.documents]))).toEqual(Object.fromEntries(summed));
  });

  it('alone is at most any, and alone plus the documents two or more rules drop are all the rejected', () => {
    const rules = Object.values(manifest.counts.rules) as RuleCount[];
    for (const c of rules) expect(c.alone).toBeLessThanOrEqual(c.any);
    const alone = rules.reduce((a, c) => a + c.alone, 0);
    expect(alone).toBeLessThan(manifest.counts.documents.rejected);
    // A pair's overlap is at most either rule's count.
    for (const o of manifest.counts.overlaps) {
      expect(o.documents).toBeGreaterThan(0);
      expect(o.documents).toBeLessThanOrEqual(Math.min(manifest.counts.rules[o.rules[0]]!.any, manifest.counts.rules[o.rules[1]]!.any));
    }
  });

  it('the summary prints each rule\'s alone count and the largest overlaps', () => {
    for (const [rule, c] of Object.entries(manifest.counts.rules)) {
      if (c.any === 0) continue;
      const line = summary.split('\n').find((l) => l.startsWith(`    ${rule} `) && !l.includes('spared'));
      expect(line, rule).toBeDefined();
      expect(line).toMatch(new RegExp(`^    ${rule}\\s+${n(c.primary)}\\s+(\\(${n(c.any)} in all\\)\\s+)?${n(c.alone)} alone\\s`));
    }
    const largest = [...manifest.counts.overlaps].sort((a, b) => b.documents - a.documents).slice(0, 2);
    const overlapLines = summary.split('\n').filter((l) => l.includes('dropped by both'));
    expect(overlapLines).toHaveLength(2);
    expect(overlapLines[0]).toMatch(/^  overlap   /);
    expect(overlapLines[0]).toContain(`${manifest.counts.overlaps.length} pairs in manifest.json`);
    for (const [i, o] of largest.entries()) expect(overlapLines[i]).toContain(`${o.rules[0]} & ${o.rules[1]}: ${n(o.documents)} dropped by both`);
  });
});

describe('orderOverlaps', () => {
  it('puts each pair and the pairs in the rules\' order, leaving out empty pairs and unknown rules', () => {
    const order = ['a', 'b', 'c'];
    const got = orderOverlaps(
      [
        { rules: ['c', 'b'], documents: 2 },
        { rules: ['b', 'a'], documents: 1 },
        { rules: ['a', 'c'], documents: 0 },
        { rules: ['a', 'z'], documents: 5 },
        { rules: ['c', 'a'], documents: 3 },
      ],
      order,
    );
    expect(got).toEqual([
      { rules: ['a', 'b'], documents: 1 },
      { rules: ['a', 'c'], documents: 3 },
      { rules: ['b', 'c'], documents: 2 },
    ]);
  });
});
