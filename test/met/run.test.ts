import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sqlString } from '../../src/io/duckdb.js';
import { loadMetTree } from '../../src/met/tree.js';
import { FIXTURE_SHARDS, parquetGlob, pipelineYaml, readManifest, rows, sharedDryRun, tempDir, winnow, writePipeline } from '../helpers.js';

// The Medical Entity Tree in a run: the dry run tags the bundled shards with the shipped tree
// (pipelines/dry-run.yaml), and the tests read what it wrote.

describe('the dry run with the entity tree', () => {
  let dir = '';
  let summary = '';
  beforeAll(async () => {
    const shared = await sharedDryRun();
    expect(shared.code, shared.stderr).toBe(0);
    dir = shared.dir;
    summary = shared.stdout;
  });

  it('prints coverage and writes the coverage files and the gap report', () => {
    expect(summary).toMatch(/entities \(tree winnow-met, 26,113 nodes\): documents mentioning one [\d,]+ -> [\d,]+/);
    expect(summary).toMatch(/disease +leaves covered [\d,]+ -> [\d,]+ of 18,460, rare [\d,]+ -> [\d,]+ of 16,479/);
    for (const f of ['coverage.json', 'nodes.parquet', 'index.parquet', 'met-gaps.csv', 'met-gaps.json', 'tree.json.gz']) expect(existsSync(join(dir, 'met', f)), f).toBe(true);
    const manifest = readManifest(dir);
    expect(manifest.met.tree.sha256).toMatch(/^66ce7dcd03a9/);
    expect(manifest.met.documents).toEqual({ before: manifest.counts.documents.input, after: manifest.counts.documents.curated });
    const gaps = JSON.parse(readFileSync(join(dir, 'met', 'met-gaps.json'), 'utf8')) as { rank: number; kind: string; docs_after: number; subtree_thin: number }[];
    expect(gaps.length).toBe(1000); // gap_rows
    expect(gaps.map((g) => g.rank)).toEqual(gaps.map((_, i) => i + 1));
    // Ranked by how much thin tree a row holds.
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]!.subtree_thin).toBeLessThanOrEqual(gaps[i - 1]!.subtree_thin);
    expect(gaps.some((g) => g.kind === 'rare disease')).toBe(true);
    const csv = readFileSync(join(dir, 'met', 'met-gaps.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(1001);
  });

  it('counts before filtering at least what it counts after, and rolls up to the roots', async () => {
    const nodes = await rows<{ id: string; docs_before: number; docs_after: number; rolled_docs_before: number; rolled_docs_after: number }>(
      `SELECT id, docs_before, docs_after, rolled_docs_before, rolled_docs_after FROM read_parquet(${sqlString(join(dir, 'met', 'nodes.parquet'))})`,
    );
    for (const n of nodes) {
      expect(n.docs_after).toBeLessThanOrEqual(n.docs_before);
      expect(n.rolled_docs_before).toBeGreaterThanOrEqual(n.docs_before);
      expect(n.rolled_docs_after).toBeLessThanOrEqual(n.rolled_docs_before);
    }
    // A kept document is counted once under a node however many of its descendants it mentions.
    const tree = loadMetTree(join(dir, 'met', 'tree.json.gz'));
    const under = new Set([...tree.descendants('DOID:4'), 'DOID:4']);
    const index = await rows<{ node: string; key: string }>(`SELECT node, key FROM read_parquet(${sqlString(join(dir, 'met', 'index.parquet'))})`);
    const keys = new Set(index.filter((r) => under.has(r.node)).map((r) => r.key));
    const doid4 = nodes.find((n) => n.id === 'DOID:4')!;
    expect(doid4.rolled_docs_after).toBe(keys.size);
    expect(keys.size).toBeGreaterThan(500);
  });

  it('gives curated rows a weight: mean 1 over documents with entities, within the cap and the floor, and 1 without', async () => {
    const curated = parquetGlob(join(dir, 'curated'));
    const [w] = await rows<{ n: number; mean: number; lo: number; hi: number; plain: number }>(
      `SELECT count(*) FILTER (WHERE len(met_nodes) > 0) AS n, avg(weight) FILTER (WHERE len(met_nodes) > 0) AS mean,
              min(weight) AS lo, max(weight) AS hi, count(*) FILTER (WHERE len(met_nodes) = 0 AND weight <> 1) AS plain
       FROM read_parquet(${curated})`,
    );
    expect(w!.n).toBeGreaterThan(1000);
    expect(w!.mean).toBeCloseTo(1, 9);
    expect(w!.lo).toBeGreaterThanOrEqual(0.25); // min_weight
    expect(w!.hi).toBeLessThanOrEqual(4); // max_repeat
    expect(w!.lo).toBeLessThan(w!.hi); // the head is downsampled
    expect(w!.plain).toBe(0);
    // A rarer rarest node never weighs less.
    const byG = await rows<{ g: number; weight: number }>(
      `SELECT DISTINCT g, weight FROM (
         SELECT c.weight, min(f.docs_after) AS g FROM (SELECT winnow_key, weight, unnest(met_nodes) AS node FROM read_parquet(${curated})) c
         JOIN read_parquet(${sqlString(join(dir, 'met', 'nodes.parquet'))}) f ON f.id = c.node GROUP BY c.winnow_key, c.weight) ORDER BY g`,
    );
    for (let i = 1; i < byG.length; i++) expect(byG[i]!.weight).toBeLessThanOrEqual(byG[i - 1]!.weight);
  });

  it('shows a document\'s entities in `winnow why`, and lists and exports the documents under a node', async () => {
    const [doc] = await rows<{ id: string; nodes: string[] }>(`SELECT id, met_nodes AS nodes FROM read_parquet(${parquetGlob(join(dir, 'curated'))}) WHERE list_contains(met_nodes, 'DOID:1485') ORDER BY id LIMIT 1`);
    const why = winnow(['why', doc!.id, '--run', dir]);
    expect(why.code).toBe(0);
    expect(why.stdout).toMatch(/entities: .*cystic fibrosis \(DOID:1485\) x\d+/);

    const listed = winnow(['met', 'docs', 'cystic fibrosis', '--run', dir, '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const answer = JSON.parse(listed.stdout) as { node: { id: string }; documents: number; listed: { id: string }[] };
    expect(answer.node.id).toBe('DOID:1485');
    expect(answer.listed.map((d) => d.id)).toContain(doc!.id);

    // Under "disease by infectious agent": its descendants' documents, exported as curated rows.
    const out = join(tempDir(), 'infectious.parquet');
    const exported = winnow(['met', 'docs', 'DOID:0050117', '--run', dir, '--limit', '1', '--out', out]);
    expect(exported.code, exported.stderr).toBe(0);
    const got = await rows<{ id: string; weight: number }>(`SELECT id, weight FROM read_parquet(${sqlString(out)}) ORDER BY id`);
    expect(exported.stdout).toContain(`${got.length} kept documents mention it or one of the`);
    expect(got.length).toBeGreaterThan(10);

    const missing = winnow(['met', 'docs', 'no such disease', '--run', dir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe('winnow: no such disease: no node has this id, label or synonym');

    const coverage = winnow(['met', 'coverage', '--run', dir]);
    expect(coverage.code).toBe(0);
    expect(coverage.stdout).toMatch(/rare with >= 1 document +[\d,]+ -> [\d,]+ of 16,479/);
  });
});

describe('tail protection: a rule exception for documents about a rare disease', () => {
  it('spares them, says so in curated rows, the manifest and `winnow why`, and keeps every document in one place', async () => {
    const out = join(tempDir(), 'tail');
    // A length rule that would drop most MedQuAD answers; those mentioning a rare disease are
    // judged by 20 words instead.
    const ruleDir = tempDir();
    const ruleSet = join(ruleDir, 'long.yaml');
    writeFileSync(
      ruleSet,
      `name: long\nrules:\n  - name: long_enough\n    signal: word_count\n    op: ">="\n    threshold: 300\n    except:\n      when: { signal: met_rare, op: ">=", threshold: 1 }\n      threshold: 20\n`,
    );
    const pipeline = writePipeline(
      ruleDir,
      pipelineYaml({ input: join(FIXTURE_SHARDS, 'sample-00.parquet'), output: out, families: '[met]', rules: `[${JSON.stringify(ruleSet)}]`, extra: 'dedup:\n  exact: { enabled: false }\n' }).replace(
        '  rejected_text: true',
        '  rejected_text: true\n  curated_signals: [word_count, met_rare]',
      ),
    );
    const r = winnow(['run', pipeline, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/long_enough +spared [\d,]+ by its exception, [\d,]+ of them kept/);

    const manifest = readManifest(out);
    const e = manifest.counts.exemptions.long_enough as { exempted: number; saved: number };
    expect(e.saved).toBeGreaterThan(50);
    expect(e.saved).toBe(e.exempted); // no other rule here

    const spared = await rows<{ id: string; words: number; exempted: { rule: string; value: string; threshold: string }[] }>(
      `SELECT id, word_count AS words, winnow_exempted AS exempted FROM read_parquet(${parquetGlob(join(out, 'curated'))}) WHERE len(winnow_exempted) > 0 ORDER BY id`,
    );
    expect(spared).toHaveLength(e.saved);
    for (const s of spared) {
      expect(s.words).toBeLessThan(300);
      expect(s.words).toBeGreaterThanOrEqual(20);
      expect(s.exempted[0]).toMatchObject({ rule: 'long_enough', value: String(s.words), threshold: '300 (except: 20 when met_rare >= 1)' });
    }
    const why = winnow(['why', spared[0]!.id, '--run', out]);
    expect(why.stdout).toContain('kept');
    expect(why.stdout).toMatch(/spared by an exception: long_enough: word_count = \d+, must be >= 300 \(except: 20 when met_rare >= 1\)/);
    expect(why.stdout).toMatch(/entities: .+ \((DOID|MONDO):\d+\) x\d+/);

    // A short document about a rare disease is still dropped, with the softer threshold as its reason's.
    const [soft] = await rows<{ threshold: string }>(
      `SELECT r.threshold FROM (SELECT unnest(reasons) AS r FROM read_parquet(${parquetGlob(join(out, 'rejected'))})) WHERE r.rule = 'long_enough' AND r.threshold LIKE '%when%' LIMIT 1`,
    );
    expect(soft!.threshold).toBe('20 when met_rare >= 1');

    const input = await rows<{ id: string }>(`SELECT id FROM read_parquet(${sqlString(join(FIXTURE_SHARDS, 'sample-00.parquet'))})`);
    const outputs = await rows<{ id: string }>(
      `SELECT id FROM read_parquet(${parquetGlob(join(out, 'curated'))}) UNION ALL SELECT id FROM read_parquet(${parquetGlob(join(out, 'rejected'))})`,
    );
    expect(outputs.map((o) => o.id).sort()).toEqual(input.map((o) => o.id).sort());
  });
});
