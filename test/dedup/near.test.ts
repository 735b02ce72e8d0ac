import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { jaccard, measureNearDedup, plantNearDuplicates, shingles, type NearDedupQuality, type PlantedCorpus } from '../../bench/near-duplicates.js';
import { estimatedJaccard, MinHasher } from '../../src/dedup/minhash.js';
import { tokenize } from '../../src/text/tokenizer.js';
import { fixtureTexts, FULL, readManifest, ROOT, rows, slice, snapshot, tempDir, winnow } from '../helpers.js';

const FINEWEB = { shingle: 5, bands: 14, rows: 8, seed: 1 };

async function medicalTexts(): Promise<string[]> {
  return (await fixtureTexts()).filter((t) => t.source.startsWith('medquad')).map((t) => t.text);
}

describe('MinHash signatures', () => {
  it('estimate the exact Jaccard similarity of real near-copies without bias, within sampling error', async () => {
    const corpus = plantNearDuplicates(await medicalTexts(), { bases: 150, variants: 3, background: 0, seed: 11 });
    const text = new Map(corpus.docs.map((d) => [d.id, d.text]));
    const hasher = new MinHasher(FINEWEB);
    const sign = (id: string) => hasher.sign(tokenize(text.get(id)!))!.slice();
    let bias = 0;
    let squared = 0;
    let expected = 0;
    for (const p of corpus.pairs) {
      const exact = jaccard(shingles(text.get(p.a)!), shingles(text.get(p.b)!));
      expect(exact).toBeCloseTo(p.jaccard, 12);
      const error = estimatedJaccard(sign(p.a), sign(p.b)) - exact;
      bias += error;
      squared += error * error;
      expected += (exact * (1 - exact)) / hasher.hashes; // the variance of an estimate from independent permutations
    }
    const n = corpus.pairs.length;
    expect(n).toBeGreaterThan(400);
    expect(Math.abs(bias / n)).toBeLessThan(0.01);
    expect(Math.sqrt(squared / n)).toBeLessThan(1.25 * Math.sqrt(expected / n));
  });

  it('are the same for the same words, whatever their case, punctuation, accents or digits', () => {
    const hasher = new MinHasher(FINEWEB);
    const a = hasher.sign(tokenize('The patient, aged 45, was seen at the café on Monday morning.'))!.slice();
    const b = hasher.sign(tokenize('the PATIENT aged 12 -- was seen at the cafe on monday morning'))!.slice();
    expect(estimatedJaccard(a, b)).toBe(1);
    expect(hasher.sign(tokenize('only four words here'))).toBeNull();
    const other = new MinHasher({ ...FINEWEB, seed: 2 }).sign(tokenize('The patient, aged 45, was seen at the café on Monday morning.'))!;
    expect(estimatedJaccard(a, other)).toBeLessThan(0.2);
  });

  it('shingle the words simplified as the string definition does (lower case, no punctuation, accents or digits)', async () => {
    const hasher = new MinHasher(FINEWEB);
    // A fixed quarter of the sample texts (all of them under `npm run test:full`): the reference
    // simplifies every word with regular expressions, seconds over all of them.
    const texts = [...slice((await fixtureTexts()).map((t) => t.text), 4), 'Ünïcode wörds, "quoted", e-mail: a@b.org <tag> 12:30 $5 ... café CAFÉ naïve 3x4 x\u0001y'];
    for (const text of texts) expect(hasher.shingleSet(tokenize(text)).length, text.slice(0, 60)).toBe(shingles(text).size);
  });

  it('are computed by the WebAssembly kernel exactly as the plain JavaScript definition says', async () => {
    for (const config of [FINEWEB, { shingle: 3, bands: 5, rows: 3, seed: 9 }]) {
      const hasher = new MinHasher(config);
      let signed = 0;
      for (const { text } of (await fixtureTexts()).slice(0, 400)) {
        const fast = hasher.sign(tokenize(text));
        const plain = hasher.signScalar(tokenize(text));
        expect(fast === null ? null : [...fast]).toEqual(plain === null ? null : [...plain]);
        if (fast) signed++;
      }
      expect(signed).toBeGreaterThan(300);
    }
    // A document longer than the kernel's first memory page of shingles.
    const long = Array.from({ length: 40_000 }, (_, i) => `w${i % 997}x${i % 13}`).join(' ');
    const hasher = new MinHasher(FINEWEB);
    expect([...hasher.sign(tokenize(long))!]).toEqual([...hasher.signScalar(tokenize(long))!]);
  });

  it('ship the kernel compiled from its text form (npm run kernels)', async () => {
    const { compileKernel, kernelModule, KERNELS } = await import('../../scripts/build-kernels.js');
    // AssemblyScript's optimizing compiler takes seconds: the word kernel is rebuilt under `npm run test:full`.
    const kernels = KERNELS.filter((k) => FULL || k.source.endsWith('.wat'));
    expect(kernels.length).toBeGreaterThan(0);
    for (const k of kernels) {
      expect(readFileSync(join(ROOT, k.ts), 'utf8')).toBe(kernelModule(k.source, k.name, await compileKernel(k.source, k.enable)));
    }
  });

  it('give 64-bit band keys that agree exactly when a band agrees', () => {
    const hasher = new MinHasher(FINEWEB);
    const sig = hasher.sign(tokenize('one two three four five six seven eight nine ten'))!.slice();
    const keys = hasher.bandKeys(sig);
    expect(keys).toHaveLength(14);
    expect(new Set(keys).size).toBe(14);
    const changed = sig.slice();
    changed[3] = changed[3]! + 1; // a row of band 0
    const after = hasher.bandKeys(changed);
    expect(after[0]).not.toBe(keys[0]);
    expect(after.slice(1)).toEqual(keys.slice(1));
  });
});

describe('near-duplicate dedup, through the pipeline', () => {
  let corpus: PlantedCorpus;
  let quality: NearDedupQuality;
  const dir = tempDir('near-');

  beforeAll(async () => {
    corpus = plantNearDuplicates(await medicalTexts(), { bases: 60, variants: 4, background: 600, seed: 5 });
    quality = await measureNearDedup(corpus, join(dir, 'a'), { shards: 4, workers: 1 });
  });

  it('finds every planted pair of Jaccard 0.9 or more, and links few pairs below the threshold', () => {
    expect(quality.recall_at_0_9.pairs).toBeGreaterThan(50);
    expect(quality.recall_at_0_9.recall).toBeGreaterThanOrEqual(0.95);
    expect(quality.linked_precision.linked).toBeGreaterThan(50);
    expect(quality.linked_precision.precision).toBe(1); // verified by exact Jaccard, as the measurement computes it
    // Pairs far apart are never linked.
    const far = Object.entries(quality.recall_by_jaccard).filter(([band]) => Number(band.split('-')[0]) < 0.5);
    for (const [, b] of far) expect(b.found).toBe(0);
  });

  it('keeps the longest document of each cluster and names it in every removal, with the similarity', async () => {
    const run = join(dir, 'a', 'run');
    const removed = await rows<{ id: string; keeper_id: string; cluster: string; reason: { value: string; threshold: string } }>(
      `SELECT id, duplicate_of_id AS keeper_id, near_cluster AS cluster, reasons[1] AS reason
       FROM read_parquet('${run}/rejected/*.parquet') WHERE near_cluster IS NOT NULL`,
    );
    expect(removed.length).toBeGreaterThan(100);
    const length = new Map(
      (await rows<{ id: string; char_count: number }>(`SELECT id, char_count FROM read_parquet('${run}/work/signals/*/*/*.parquet')`)).map((r) => [r.id, r.char_count]),
    );
    const curated = new Set((await rows<{ id: string }>(`SELECT id FROM read_parquet('${run}/curated/*.parquet')`)).map((r) => r.id));
    const byCluster = new Map<string, string[]>();
    for (const r of removed) byCluster.set(r.cluster, [...(byCluster.get(r.cluster) ?? []), r.id]);
    for (const r of removed) {
      expect(curated.has(r.keeper_id), r.keeper_id).toBe(true);
      for (const member of byCluster.get(r.cluster)!) expect(length.get(r.keeper_id)!).toBeGreaterThanOrEqual(length.get(member)!);
      expect(Number(r.reason.value)).toBeGreaterThan(0.3);
      expect(r.reason.threshold).toContain('exact Jaccard >= 0.8 with ');
    }
    const manifest = readManifest(run);
    expect(manifest.counts.dedup.near).toMatchObject({ enabled: true, duplicates: removed.length, clusters: byCluster.size });
    expect(manifest.counts.documents.input).toBe(corpus.docs.length);
    expect(manifest.counts.documents.curated + manifest.counts.documents.rejected).toBe(corpus.docs.length);
  });

  it('explains a removal with `winnow why`', async () => {
    const [one] = await rows<{ id: string }>(`SELECT id FROM read_parquet('${join(dir, 'a', 'run')}/rejected/*.parquet') WHERE near_cluster IS NOT NULL ORDER BY id LIMIT 1`);
    const out = winnow(['why', one!.id, '--run', join(dir, 'a', 'run')]);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/near_duplicate: estimated Jaccard similarity [\d.]+ with \S+#\d+, the kept document of its cluster \(\d+ documents/);
  });

  it('writes byte-identical outputs with 1 or 3 workers and 2 or 5 band partitions', async () => {
    const again = await measureNearDedup(corpus, join(dir, 'b'), { shards: 4, workers: 3, partitions: 5 });
    expect(again.linked_precision).toEqual(quality.linked_precision);
    const a = snapshot(join(dir, 'a', 'run'));
    const b = snapshot(join(dir, 'b', 'run'));
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [file, bytes] of a) expect(bytes.equals(b.get(file)!), file).toBe(true);
  });
});
