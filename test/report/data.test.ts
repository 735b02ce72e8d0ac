import { beforeAll, describe, expect, it } from 'vitest';
import { auditRun } from '../../src/audit/audit.js';
import { reportData, type ReportData } from '../../src/report/data.js';
import { db, readManifest, rows, sharedDryRun } from '../helpers.js';

/** The report's data, from the dry run every test file shares: each part agrees with the manifest and with the rules. */
describe('report data of the dry run', () => {
  let data: ReportData;
  let manifest: ReturnType<typeof readManifest>;
  let dir = '';
  beforeAll(async () => {
    const shared = await sharedDryRun();
    expect(shared.code).toBe(0);
    manifest = readManifest(shared.dir);
    data = await reportData(await db(), shared.dir, { prefix: '', manifest, latest: manifest });
    dir = shared.dir;
  });

  it('funnels from the input to the kept documents, each family of reasons a step down', () => {
    expect(data.funnel[0]).toEqual({ stage: 'input', documents: manifest.counts.documents.input });
    expect(data.funnel.at(-1)!.documents).toBe(manifest.counts.documents.curated);
    for (let i = 1; i < data.funnel.length; i++) expect(data.funnel[i]!.documents).toBeLessThan(data.funnel[i - 1]!.documents);
    expect(data.volume.bytes_in).toBe(manifest.counts.annotate.text_bytes);
    expect(data.volume.words_kept!).toBeLessThan(data.volume.words_in!);
  });

  it('bins every thresholded signal and model score over every document, none kept on the failing side of a rule', () => {
    const exempted = new Set(Object.keys(manifest.counts.exemptions ?? {}));
    expect(data.histograms.map((h) => h.signal)).toEqual(expect.arrayContaining(['gopher_words', 'fineweb_line_punct_ratio', 'medical_score', 'quality_score']));
    for (const h of data.histograms) {
      expect(h.bins).toHaveLength(30);
      expect(h.bins.reduce((a, b) => a + b.kept + b.dropped, 0), h.signal).toBeLessThanOrEqual(manifest.counts.documents.input);
      for (const r of h.rules) {
        if (exempted.has(r.rule)) continue;
        // A bin wholly on the failing side holds no kept document: every such document is dropped.
        const failing = h.bins.filter((b) => (r.op.startsWith('>') ? b.x1 < r.threshold : b.x0 > r.threshold));
        for (const b of failing) expect(b.kept, `${r.rule}: bin ${b.x0}..${b.x1}`).toBe(0);
      }
    }
  });

  it('counts clusters, boilerplate lines, languages and samples as the run found them', async () => {
    expect(data.near!.sizes.reduce((a, s) => a + s.clusters, 0)).toBe(manifest.counts.dedup.near.clusters);
    expect(data.near!.largest[0]!.size).toBe(Math.max(...data.near!.sizes.map((s) => s.size)));
    expect(data.boilerplate[0]!.documents).toBeGreaterThanOrEqual(data.boilerplate.at(-1)!.documents);
    expect(data.languages.reduce((a, l) => a + l.kept, 0)).toBe(manifest.counts.documents.curated);
    for (const s of data.samples) {
      expect(s.documents.length).toBeGreaterThan(0);
      for (const d of s.documents) expect(d.primary_reason).toBe(s.reason);
    }
    // Sampled for every reason in one scan: the documents `winnow audit --reason R --primary -n 3` picks, with their texts.
    for (const s of data.samples.slice(0, 6)) {
      const audit = await auditRun(await db(), dir, { reason: s.reason, primary: true, sample: 3, seed: 0 });
      expect(s.documents.map((d) => [d.key, d.text])).toEqual(audit.documents.map((d) => [d.key, d.text?.slice(0, 600) ?? null]));
    }
    expect(data.samples.flatMap((s) => s.documents).filter((d) => d.text).length).toBeGreaterThan(10);
    expect(data.timings.map((t) => t.phase)).toContain('annotate');
    // The tree map's branches: each type's most mentioned nodes of one level, documents after within before.
    const types = new Set(data.met_branches.map((b) => b.type));
    expect([...types].sort()).toEqual(Object.keys(manifest.met.by_type).sort());
    for (const t of types) expect(data.met_branches.filter((b) => b.type === t).length).toBeLessThanOrEqual(25);
    for (const b of data.met_branches) expect(b.after).toBeLessThanOrEqual(b.before);
    expect(data.replaced).toEqual([]);
    // Aggregated and bounded: what a report embeds does not grow with the run.
    expect(JSON.stringify(data).length).toBeLessThan(400_000);
  });

  it("weighs each branch by its kept documents' weights: on a leaf, the curated rows' weights of the documents the index lists", async () => {
    const { balance } = manifest.met;
    for (const b of data.met_branches) {
      expect(b.weighted!, b.id).toBeGreaterThanOrEqual(b.after * balance.settings.min_weight - 1e-6);
      expect(b.weighted!, b.id).toBeLessThanOrEqual(b.after * balance.settings.max_repeat + 1e-6);
    }
    expect(data.met_branches.some((b) => Math.abs(b.weighted! - b.after) > 0.5)).toBe(true);
    // A leaf's rolled-up documents are its own: its weight is the sum of theirs in the curated rows.
    const check = await rows<{ id: string; nodes: number; curated: number }>(
      `WITH leaves AS (SELECT id, rolled_weight_after AS w FROM read_parquet('${dir}/met/nodes.parquet') WHERE leaf AND docs_after > 0 ORDER BY docs_after DESC, id LIMIT 20),
            cur AS (SELECT winnow_key AS key, weight FROM read_parquet('${dir}/curated/*.parquet'))
       SELECT l.id, any_value(l.w) AS nodes, sum(c.weight) AS curated FROM leaves l JOIN read_parquet('${dir}/met/index.parquet') i ON i.node = l.id JOIN cur c ON c.key = i.key GROUP BY l.id`,
    );
    expect(check).toHaveLength(20);
    for (const c of check) expect(c.nodes, c.id).toBeCloseTo(c.curated, 4);
  });
});
