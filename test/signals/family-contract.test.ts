import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DuckDBValue } from '@duckdb/node-api';
import { loadPipeline, type Pipeline } from '../../src/config/load.js';
import { sqlString } from '../../src/io/duckdb.js';
import { columnValue, ParquetPartWriter, type ColumnSpec } from '../../src/io/parquet-writer.js';
import { createAnnotator } from '../../src/signals/annotator.js';
import { c4Family } from '../../src/signals/c4.js';
import { coreFamily } from '../../src/signals/core.js';
import { Doc } from '../../src/signals/doc.js';
import { pipelineFamilies } from '../../src/signals/registry.js';
import { defineFamily, type SignalValue } from '../../src/signals/signal.js';
import { db, DRY_RUN, fixtureTexts, rows, tempDir } from '../helpers.js';

/** The dry run's pipeline with no optional family, no model and no near-dedup: the families come from each test. */
function bare(change: (p: Pipeline) => void = () => {}): Pipeline {
  const p = loadPipeline(DRY_RUN);
  p.signals.families = [];
  p.models = [];
  p.dedup.near = { ...p.dedup.near, enabled: false };
  change(p);
  return p;
}

/** Writes rows given column by column through the signals files' writer; returns the folder's glob. */
async function writeParquet(columns: readonly ColumnSpec[], values: readonly (readonly SignalValue[])[]): Promise<string> {
  const dir = tempDir('parquet-');
  const writer = await ParquetPartWriter.open(await db(), dir, columns, { partRows: 1000, partBytes: 1e9, rowGroupRows: 1000 });
  await writer.append(columns.map((_, c) => values.map((row) => columnValue(row[c]!) as DuckDBValue)), values.length);
  await writer.close();
  return sqlString(join(dir, '*.parquet'));
}

/**
 * What an entity family would emit: the ids of the terms a text mentions, and how often each
 * occurs. A small fixed vocabulary stands in for an ontology.
 */
const TERMS: ReadonlyMap<string, string> = new Map([
  ['fever', 'HP:0001945'],
  ['cough', 'HP:0012735'],
  ['asthma', 'DOID:2841'],
]);
const entityFamily = defineFamily({
  name: 'entities',
  stage: 'final',
  version: 1,
  description: 'mentions of a fixed vocabulary, by node id',
  signals: [
    { name: 'entity_ids', type: 'VARCHAR[]', description: 'ids mentioned, in order of first mention' },
    { name: 'entity_counts', type: 'MAP(VARCHAR, INTEGER)', description: 'mentions per id' },
    { name: 'entity_spans', type: 'INTEGER[]', description: 'UTF-16 offset of each mention' },
  ],
  measure(doc, out) {
    const counts = new Map<string, number>();
    const spans: number[] = [];
    for (const m of doc.text.toLowerCase().matchAll(/\p{L}+/gu)) {
      const id = TERMS.get(m[0]);
      if (!id) continue;
      counts.set(id, (counts.get(id) ?? 0) + 1);
      spans.push(m.index);
    }
    out.entity_ids([...counts.keys()]);
    out.entity_counts(counts);
    out.entity_spans(Int32Array.from(spans));
  },
});

describe('list and map columns', () => {
  it('the signals writer stores lists and maps that DuckDB reads back as such', async () => {
    const columns: ColumnSpec[] = [
      { name: 'n', type: 'INTEGER' },
      { name: 'ids', type: 'VARCHAR[]' },
      { name: 'ints', type: 'INTEGER[]' },
      { name: 'scores', type: 'DOUBLE[]' },
      { name: 'counts', type: 'MAP(VARCHAR, INTEGER)' },
      { name: 'by_node', type: 'MAP(UBIGINT, DOUBLE)' },
    ];
    const glob = await writeParquet(columns, [
      [1, ['DOID:1', 'HP:2'], Int32Array.of(3, -1), Float64Array.of(0.5, 2), new Map([['DOID:1', 2], ['HP:2', 1]]), new Map([[2n ** 63n, 0.25]])],
      [2, [], Int32Array.of(), [], new Map(), new Map()],
      [3, null, null, null, null, null],
    ]);
    const [types] = await rows<Record<string, string>>(
      `SELECT typeof(ids) AS ids, typeof(ints) AS ints, typeof(scores) AS scores, typeof(counts) AS counts, typeof(by_node) AS by_node FROM read_parquet(${glob}) LIMIT 1`,
    );
    expect(types).toEqual({ ids: 'VARCHAR[]', ints: 'INTEGER[]', scores: 'DOUBLE[]', counts: 'MAP(VARCHAR, INTEGER)', by_node: 'MAP(UBIGINT, DOUBLE)' });
    const read = await rows(
      `SELECT n, ids, ints, scores, map_keys(counts) AS keys, map_values(counts) AS vals, counts['HP:2'] AS hp2,
              CAST(map_keys(by_node) AS VARCHAR[]) AS nodes, map_values(by_node) AS weights, cardinality(counts) AS size
       FROM read_parquet(${glob}) ORDER BY n`,
    );
    expect(read).toEqual([
      { n: 1, ids: ['DOID:1', 'HP:2'], ints: [3, -1], scores: [0.5, 2], keys: ['DOID:1', 'HP:2'], vals: [2, 1], hp2: 1, nodes: ['9223372036854775808'], weights: [0.25], size: 2 },
      { n: 2, ids: [], ints: [], scores: [], keys: [], vals: [], hp2: null, nodes: [], weights: [], size: 0 },
      { n: 3, ids: null, ints: null, scores: null, keys: null, vals: null, hp2: null, nodes: null, weights: null, size: null },
    ]);
  });

  it('a family that emits a list and a map passes through the annotator into a signals file', async () => {
    const annotator = await createAnnotator(bare(), { families: [coreFamily, entityFamily] });
    expect(annotator.columns.slice(-3)).toEqual([
      { name: 'entity_ids', type: 'VARCHAR[]' },
      { name: 'entity_counts', type: 'MAP(VARCHAR, INTEGER)' },
      { name: 'entity_spans', type: 'INTEGER[]' },
    ]);
    const texts = ['Fever and a cough; then fever again.', 'Nothing to see.', 'Asthma.'];
    const annotated = texts.map((t) => annotator.annotate(t, null));
    expect(annotated[0]!.values.slice(-3)).toEqual([['HP:0001945', 'HP:0012735'], new Map([['HP:0001945', 2], ['HP:0012735', 1]]), Int32Array.of(0, 12, 24)]);

    const glob = await writeParquet(annotator.columns, annotated.map((a) => a.values));
    const read = await rows(`SELECT word_count, entity_ids, map_keys(entity_counts) AS ids, map_values(entity_counts) AS counts, entity_spans FROM read_parquet(${glob})`);
    expect(read).toEqual([
      { word_count: 7, entity_ids: ['HP:0001945', 'HP:0012735'], ids: ['HP:0001945', 'HP:0012735'], counts: [2, 1], entity_spans: [0, 12, 24] },
      { word_count: 3, entity_ids: [], ids: [], counts: [], entity_spans: [] },
      { word_count: 1, entity_ids: ['DOID:2841'], ids: ['DOID:2841'], counts: [1], entity_spans: [0] },
    ]);
  });
});

/** A family that records what it was given, for checking what the annotator runs and passes. */
function probe(stage: 'normalized' | 'final', needs: { passes?: ('c4' | 'pii')[]; inputs?: ('url' | 'source')[] }, seen: Doc[]) {
  return defineFamily({
    name: `probe_${stage}`,
    stage,
    version: 1,
    description: 'records its documents',
    needs: needs as { passes?: never[]; inputs?: never[] },
    signals: [{ name: `probe_${stage}`, type: 'BOOLEAN', description: '' }],
    measure(doc, out) {
      seen.push(doc as unknown as Doc);
      out[`probe_${stage}`]!(true);
    },
  });
}

describe('the family contract', () => {
  it('the annotator runs the C4 pass only when a family needs it (or c4.rewrite is on)', async () => {
    const seen: Doc[] = [];
    await (await createAnnotator(bare(), { families: [probe('final', {}, seen)] })).annotate('One line here.', null);
    expect(seen[0]!.passes.c4).toBeUndefined();
    await (await createAnnotator(bare(), { families: [probe('final', { passes: ['c4'] }, seen)] })).annotate('One line here.', null);
    expect(seen[1]!.passes.c4?.sentences).toBe(1);
    await (await createAnnotator(bare((p) => (p.c4 = { ...p.c4, rewrite: true })), { families: [probe('final', {}, seen)] })).annotate('One line here.', null);
    expect(seen[2]!.passes.c4).toBeDefined();
    // The registry's C4 family is what turns the pass on in a pipeline.
    expect(pipelineFamilies(loadPipeline(DRY_RUN)).find((f) => f.name === 'c4')!.needs.passes).toEqual(['c4']);
  });

  it('the annotator passes on the input columns some family declares, and no other', async () => {
    // Which family may read which column is the compiler's to check (DocView); at run time a
    // column no family declared is withheld from all.
    const seen: Doc[] = [];
    const withUrl = await createAnnotator(bare(), { families: [probe('final', { inputs: ['url'] }, seen), probe('normalized', {}, seen)] });
    expect([...withUrl.inputs]).toEqual(['url']);
    withUrl.annotate('Some text.', 'https://example.org/a', 'web');
    const without = await createAnnotator(bare(), { families: [probe('final', {}, seen)] });
    expect([...without.inputs]).toEqual([]);
    without.annotate('Some text.', 'https://example.org/a', 'web');
    expect(seen.map((d) => d.inputs)).toEqual([
      { url: 'https://example.org/a', source: null },
      { url: 'https://example.org/a', source: null },
      { url: null, source: null },
    ]);
  });

  it('refuses needs no stage or pipeline can meet, and a document a family left a value out of', async () => {
    const noPii = bare((p) => {
      p.pii = { ...p.pii, enabled: false };
      delete p.piiPatterns;
    });
    await expect(createAnnotator(noPii, { families: [probe('final', { passes: ['pii'] }, [])] })).rejects.toThrow('needs the PII pass, which runs only with pii.enabled');
    await expect(createAnnotator(bare(), { families: [probe('normalized', { passes: ['c4'] }, [])] })).rejects.toThrow('measures the normalized text but needs the c4 pass');

    const partial = defineFamily({
      name: 'partial',
      stage: 'final',
      version: 1,
      description: '',
      signals: [
        { name: 'a', type: 'INTEGER', description: '' },
        { name: 'b', type: 'INTEGER', description: '' },
      ],
      measure(doc, out) {
        out.a(1);
        if (doc.text.length > 5) out.b(2);
      },
    });
    const annotator = await createAnnotator(bare(), { families: [partial] });
    expect(annotator.annotate('long enough', null).values).toEqual([1, 2]);
    expect(() => annotator.annotate('tiny', null)).toThrow('signal family partial wrote no value for b');
    const twice = () =>
      defineFamily({
        name: 'twice',
        stage: 'final',
        version: 1,
        description: '',
        signals: [
          { name: 'a', type: 'INTEGER', description: '' },
          { name: 'a', type: 'INTEGER', description: '' },
        ],
        measure: (_, out) => out.a(1),
      });
    expect(twice).toThrow('signal family twice declares a signal twice');
  });

  it('a batched family measures a batch after every document\'s other families, each document with its own tokens', async () => {
    const log: string[] = [];
    const words = (name: string, stage: 'normalized' | 'final', batched: boolean) =>
      defineFamily({
        name,
        stage,
        version: 1,
        description: '',
        ...(batched ? { batched: true as never } : {}),
        signals: [{ name, type: 'INTEGER', description: '' }],
        measure(doc, out) {
          log.push(`${name}:${doc.text}`);
          out[name]!(doc.tokens.count);
        },
      });
    // The normalized family fills the stage's shared token buffer for every document in turn: a
    // batched family handed that document would read the last document's tokens.
    const annotator = await createAnnotator(bare(), { families: [words('first', 'normalized', false), words('late', 'final', true), words('each', 'final', false)] });
    const texts = ['two words', 'three words here', 'one'];
    expect(annotator.annotateMany(texts).map((a) => a.values)).toEqual([
      [2, 2, 2],
      [3, 3, 3],
      [1, 1, 1],
    ]);
    expect(log).toEqual(['first:two words', 'each:two words', 'first:three words here', 'each:three words here', 'first:one', 'each:one', 'late:two words', 'late:three words here', 'late:one']);
    expect(texts.map((t) => annotator.annotate(t, null).values)).toEqual([
      [2, 2, 2],
      [3, 3, 3],
      [1, 1, 1],
    ]);
    await expect(createAnnotator(bare(), { families: [{ ...words('early', 'normalized', false), batched: true }] })).rejects.toThrow('signal family early is batched but measures the normalized text');
  });

  it("the dry run's batched families (language, entity tree) give the values annotate gives one document at a time", async () => {
    const pipeline = loadPipeline(DRY_RUN);
    const annotator = await createAnnotator(pipeline);
    expect(pipelineFamilies(pipeline).filter((f) => f.batched).map((f) => f.name)).toEqual(['language', 'met']);
    // Every 10th sample document: MedQuAD, e-mails with PII (their final text differs), UDHR's scripts.
    const docs = (await fixtureTexts()).filter((_, i) => i % 10 === 0);
    const many = annotator.annotateMany(
      docs.map((d) => d.text),
      undefined,
      docs.map((d) => d.source),
    );
    expect(many).toEqual(docs.map((d) => annotator.annotate(d.text, null, d.source)));
    expect(new Set(many.map((a) => a.values[annotator.columns.findIndex((c) => c.name === 'lang')])).size).toBeGreaterThan(5);
    // With C4's rewrite, the cleaned text is the pass's own (and made sequential) for most documents.
    const rewriting = loadPipeline(DRY_RUN);
    rewriting.c4 = { ...rewriting.c4, rewrite: true };
    const rewriter = await createAnnotator(rewriting);
    const rewritten = rewriter.annotateMany(docs.map((d) => d.text));
    expect(rewritten).toEqual(docs.map((d) => rewriter.annotate(d.text, null)));
    expect(rewritten.filter((a, i) => a.text !== many[i]!.text).length).toBeGreaterThan(docs.length / 4);
    expect(() => annotator.annotateMany(['a', 'b'], [null])).toThrow('annotateMany: 1 urls for 2 texts');
  });

  it("measure() gives one document's values by name, and says which pass is missing", async () => {
    expect(() => c4Family.measure(new Doc('text'))).toThrow('the c4 signals need the c4 pass');
    await coreFamily.prepare!();
    expect(coreFamily.measure(new Doc('two words\nthree'))).toEqual({ char_count: 15, word_count: 3, line_count: 2, byte_count: 15, content_hash: expect.any(BigInt) });
  });
});
