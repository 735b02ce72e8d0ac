import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_SHARDS, fixtureSlice, fixtureTexts, writeShard, parquetGlob, pipelineYaml, readManifest, rows, tempDir, winnow, writePipeline } from '../helpers.js';

const run = (pipeline: string, ...args: string[]) => {
  const r = winnow(['run', pipeline, '--quiet', ...args]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
};

describe('curated and rejected files', () => {
  const out = join(tempDir(), 'run');
  beforeAll(() => {
    const pipeline = writePipeline(
      tempDir(),
      pipelineYaml({
        input: FIXTURE_SHARDS,
        output: out,
        columns: '{ text: text, id: id, url: url, source: source }',
        extra: '  curated_signals: [word_count, content_hash]\n',
      }),
    );
    run(pipeline);
  });

  it('carry every input column through, with the normalized text, the key and the chosen signals', async () => {
    const [columns] = await rows<{ names: string[] }>(
      `SELECT list(column_name) AS names FROM (DESCRIBE SELECT * FROM read_parquet(${parquetGlob(join(out, 'curated'))}))`,
    );
    expect(columns!.names).toEqual(['id', 'text', 'url', 'source', 'title', 'winnow_key', 'word_count', 'content_hash']);
    const joined = await rows<{ same_title: boolean; same_url: boolean; crlf: boolean }>(
      `SELECT bool_and(i.title IS NOT DISTINCT FROM c.title) AS same_title, bool_and(i.url IS NOT DISTINCT FROM c.url) AS same_url,
              bool_or(contains(c.text, chr(13))) AS crlf
       FROM read_parquet(${parquetGlob(FIXTURE_SHARDS)}) i JOIN read_parquet(${parquetGlob(join(out, 'curated'))}) c USING (id)`,
    );
    expect(joined[0]).toEqual({ same_title: true, same_url: true, crlf: false });
  });

  it('are zstd Parquet, in input order within each shard', async () => {
    const codecs = await rows<{ compression: string }>(
      `SELECT DISTINCT compression FROM parquet_metadata(${parquetGlob(join(out, 'curated'))})`,
    );
    expect(codecs.map((c) => c.compression)).toEqual(['ZSTD']);
    const keys = await rows<{ key: string }>(`SELECT winnow_key AS key FROM read_parquet(${parquetGlob(join(out, 'curated'))}) `);
    const parsed = keys.map((k) => k.key.split('#')).map(([s, r]) => [s!, Number(r)] as const);
    for (let i = 1; i < parsed.length; i++) {
      const [s0, r0] = parsed[i - 1]!;
      const [s1, r1] = parsed[i]!;
      expect(s0 < s1 || (s0 === s1 && r0 < r1)).toBe(true);
    }
  });
});

describe('output file size', () => {
  it('rolls over to a new file once a file passes output.target_file_bytes', async () => {
    // DuckDB checks the size between the batches it writes (a few thousand rows), so the shard
    // must be larger than one batch for a split to show.
    const texts = await fixtureTexts();
    const input = tempDir();
    const docs = Array.from({ length: 12_000 }, (_, i) => ({ id: `d${i}`, text: `${i} ${texts[i % texts.length]!.text}` }));
    await writeShard(join(input, 'big.parquet'), docs);
    const out = join(tempDir(), 'run');
    const yaml = pipelineYaml({ input, output: out, columns: '{ text: text, id: id }' });
    run(writePipeline(tempDir(), yaml));
    const files = readManifest(out).outputs.curated as { path: string; rows: number; bytes: number }[];
    expect(files.length).toBeGreaterThan(2);
    expect(files.map((f) => f.path)).toEqual(files.map((_, k) => `curated/part-00000-${String(k).padStart(4, '0')}.parquet`));
    for (const f of files.slice(0, -1)) expect(f.bytes).toBeGreaterThan(2e6);
    expect(files.reduce((a, f) => a + f.rows, 0)).toBe(readManifest(out).counts.documents.curated);
  });
});

describe('re-deciding with a changed threshold', () => {
  it('reuses the cached signals and dedup, and changes exactly the decisions the threshold moves', async () => {
    const dir = tempDir();
    const out = join(tempDir(), 'run');
    const input = await fixtureSlice(4); // the five sample shards, every fourth row
    const rules = (min: number) => `name: lengths\nrules:\n  - {name: min_words, signal: word_count, op: ">=", threshold: ${min}}\n`;
    writeFileSync(join(dir, 'lengths.yaml'), rules(50));
    const pipeline = writePipeline(dir, pipelineYaml({ input, output: out }).replace('rules: [basic]', 'rules: [./lengths.yaml]'));
    run(pipeline);
    const before = readManifest(out);

    writeFileSync(join(dir, 'lengths.yaml'), rules(200));
    run(pipeline);
    const after = readManifest(out);
    expect(after.timings.annotate.tasks_run).toBe(0);
    expect(after.timings.dedup.tasks_run).toBe(0);
    expect(after.timings.decide.tasks_run).toBe(5);
    expect(after.config.hash).not.toBe(before.config.hash);

    const [{ short }] = await rows<{ short: number }>(
      `SELECT count(*) AS short FROM read_parquet(${parquetGlob(join(out, 'rejected'))}, union_by_name = true)
       WHERE list_contains(list_transform(reasons, r -> r.rule), 'min_words')`,
    );
    const [{ expected }] = await rows<{ expected: number }>(
      `SELECT count(*) AS expected FROM read_parquet(${parquetGlob(join(out, 'work', 'signals', '*', '*'))}) WHERE word_count < 200`,
    );
    expect(short).toBe(expected);
    expect(after.counts.rules.min_words.any).toBe(expected);
    expect(after.counts.rules.min_words.any).toBeGreaterThan(before.counts.rules.min_words.any);

    // Back to the first threshold: the outputs are those of the first run again.
    writeFileSync(join(dir, 'lengths.yaml'), rules(50));
    run(pipeline);
    expect(readManifest(out).counts).toEqual(before.counts);
  });
});
