import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeCoverage, gini, topShare, type SourceTotals } from '../../src/met/coverage.js';
import { MetTree, type MetNode, type MetTreeFile } from '../../src/met/tree.js';
import { sqlString } from '../../src/io/duckdb.js';
import { db, rows, tempDir } from '../helpers.js';

const node = (id: string, label: string, parents: string[], depth: number, extra: Partial<MetNode> = {}): MetNode => ({
  id,
  label,
  type: 'disease',
  parents,
  depth,
  rare: false,
  synonyms: [],
  xrefs: [],
  source: 'doid',
  ...extra,
});

// A slice of the Human Disease Ontology as it is: "pseudohermaphroditism" has two parents.
const FILE: MetTreeFile = {
  format: 'winnow-met',
  format_version: 1,
  name: 'test',
  build: {},
  sources: [],
  excluded: [],
  nodes: [
    node('MET:diseases', 'diseases', [], 0, { type: 'branch' }),
    node('DOID:4', 'disease', ['MET:diseases'], 1),
    node('DOID:630', 'genetic disease', ['DOID:4'], 2),
    node('DOID:0050177', 'monogenic disease', ['DOID:630'], 3),
    node('DOID:0080014', 'chromosomal disease', ['DOID:630'], 3),
    node('DOID:1', 'disease of anatomical entity', ['DOID:4'], 2),
    node('DOID:2030', 'anxiety disorder', ['DOID:1'], 3),
    node('DOID:0112248', '17-beta hydroxysteroid dehydrogenase 3 deficiency', ['DOID:0050177', 'DOID:0080014'], 4, {
      rare: true,
      xrefs: ['GARD:5659', 'MESH:C538146', 'ORDO:752', 'UMLS_CUI:C0268297'],
    }),
    node('DOID:9562', 'primary ciliary dyskinesia', ['DOID:0050177'], 4, { rare: true, xrefs: ['GARD:4449', 'ORDO:244'] }),
  ],
};

async function tally(dir: string, name: string, docs: { key: string; source: string; kept: boolean; words: number; nodes: [string, number][] }[]) {
  const file = join(dir, name);
  const values = docs
    .map((d) => `(${sqlString(d.key)}, ${sqlString(d.key)}, ${sqlString(d.source)}, ${d.kept}, ${d.words}, ${`[${d.nodes.map(([n]) => sqlString(n)).join(', ')}]`}::VARCHAR[], [${d.nodes.map(([, c]) => c).join(', ')}]::INTEGER[])`)
    .join(', ');
  await (await db()).run(`COPY (SELECT * FROM (VALUES ${values}) t(key, id, source, kept, words, nodes, counts)) TO ${sqlString(file)} (FORMAT parquet)`);
  return file;
}

describe('coverage of the entity tree', () => {
  it('rolls documents up every path to the root once, before and after filtering, and ranks the gaps', async () => {
    const dir = tempDir();
    const tree = new MetTree(FILE, 'f'.repeat(64));
    const files = [
      await tally(dir, 'a.parquet', [
        // Mentions the two-parent node and its sibling: under DOID:630 once, not three times.
        { key: '0#1', source: 'gard', kept: true, words: 100, nodes: [['DOID:0112248', 2], ['DOID:9562', 1]] },
        { key: '0#2', source: 'gard', kept: false, words: 50, nodes: [['DOID:0112248', 1]] },
      ]),
      await tally(dir, 'b.parquet', [{ key: '1#0', source: 'web', kept: true, words: 10, nodes: [['DOID:2030', 5]] }]),
    ];
    const totals: Record<string, SourceTotals> = {
      '(all)': { documents: { before: 10, after: 6 }, with_entities: { before: 3, after: 2 } },
      gard: { documents: { before: 4, after: 2 }, with_entities: { before: 2, after: 1 } },
      web: { documents: { before: 6, after: 4 }, with_entities: { before: 1, after: 1 } },
    };
    const out = { nodes: join(dir, 'nodes.parquet'), index: join(dir, 'index.parquet'), gapsCsv: join(dir, 'gaps.csv'), gapsJson: join(dir, 'gaps.json') };
    const c = await computeCoverage(await db(), tree, files, totals, { thinDocuments: 2, gapRows: 100, weights: { temperature: 0.5, max_repeat: 4, min_weight: 0.25 } }, dir, out);

    const counts = new Map((await rows<{ id: string; docs_before: number; docs_after: number; rolled_docs_before: number; rolled_docs_after: number; rolled_mentions_before: number }>(`SELECT * FROM read_parquet(${sqlString(out.nodes)})`)).map((r) => [r.id, r]));
    expect(counts.get('DOID:0112248')).toMatchObject({ docs_before: 2, docs_after: 1, rolled_docs_before: 2, rolled_docs_after: 1 });
    // Both parents of the two-parent node get its documents; their common ancestor counts each document once.
    expect(counts.get('DOID:0080014')).toMatchObject({ docs_before: 0, rolled_docs_before: 2, rolled_docs_after: 1 });
    expect(counts.get('DOID:630')).toMatchObject({ rolled_docs_before: 2, rolled_docs_after: 1, rolled_mentions_before: 4 });
    expect(counts.get('DOID:4')).toMatchObject({ rolled_docs_before: 3, rolled_docs_after: 2 });

    expect(c.documents).toEqual({ before: 10, after: 6 });
    expect(c.with_rare).toEqual({ before: 2, after: 1 });
    const d = c.by_type.disease!;
    expect(d.nodes).toBe(8);
    expect(d.leaves).toBe(3);
    expect(d.leaves_with_1).toEqual({ before: 3, after: 3 });
    expect(d.rare_with_1).toEqual({ before: 2, after: 2 });
    expect(d.rare_with_thin).toEqual({ before: 1, after: 0 });
    expect(d.mentions).toEqual({ before: 9, after: 8 });
    expect(c.by_source.gard).toMatchObject({ with_entities: { before: 2, after: 1 }, rare: { before: 2, after: 2 }, mentions: { before: 4, after: 3 } });

    // The index lists kept documents only, per node.
    expect(await rows(`SELECT node, key, mentions FROM read_parquet(${sqlString(out.index)}) ORDER BY node, key`)).toEqual([
      { node: 'DOID:0112248', key: '0#1', mentions: 2 },
      { node: 'DOID:2030', key: '1#0', mentions: 5 },
      { node: 'DOID:9562', key: '0#1', mentions: 1 },
    ]);

    // Thin (fewer than 2 kept documents under it): both rare diseases and the branches above them,
    // ranked by the thin nodes they hold, then the rare diseases among them, then the documents
    // filtering took; each with its ids for collecting more. "disease" itself has 2: not a gap.
    const gaps = JSON.parse(readFileSync(out.gapsJson, 'utf8')) as { id: string; kind: string; subtree_thin: number; gard: string; orphanet: string }[];
    expect(gaps.map((g) => [g.id, g.subtree_thin])).toEqual([
      ['DOID:630', 5],
      ['DOID:0050177', 3],
      ['DOID:0080014', 2],
      ['DOID:1', 2],
      ['DOID:0112248', 1],
      ['DOID:9562', 1],
    ]);
    expect(gaps.find((g) => g.id === 'DOID:0112248')).toMatchObject({ kind: 'rare disease', gard: '5659', orphanet: '752' });
    expect(readFileSync(out.gapsCsv, 'utf8').split('\n')[0]).toBe('rank,id,label,kind,type,depth,subtree_nodes,subtree_rare,subtree_thin,docs_before,docs_after,mesh,orphanet,gard,icd10cm,umls');

    // Balancing: both kept documents' rarest nodes are in one kept document each, so both weigh 1.
    expect(c.balance).toMatchObject({ documents: 2, total_weight: 2 });
  });

  it('measures concentration', () => {
    expect(gini([1, 1, 1, 1])).toBe(0);
    expect(gini([0, 0, 0, 10])).toBeCloseTo(0.75, 10);
    expect(gini([])).toBe(0);
    expect(topShare([5, 1, 1, 1, 1, 1], 0.01)).toBeCloseTo(0.5, 10);
  });
});
