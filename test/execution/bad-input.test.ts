import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetWriteFile } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { accounting, FIXTURE_SHARDS, pipelineYaml, readManifest, rows, parquetGlob, tempDir, winnow, writePipeline, writeShard } from '../helpers.js';

const GOOD = join(FIXTURE_SHARDS, 'sample-00.parquet');

/** An input folder with one good shard and one bad one, plus a pipeline over it. */
async function setup(bad: (file: string) => void | Promise<void>, options: Partial<Parameters<typeof pipelineYaml>[0]> = {}) {
  const input = tempDir();
  copyFileSync(GOOD, join(input, 'a-good.parquet'));
  const badFile = join(input, 'b-bad.parquet');
  await bad(badFile);
  const output = join(tempDir(), 'run');
  const pipeline = writePipeline(tempDir(), pipelineYaml({ input, output, ...options }));
  return { input, badFile, output, pipeline };
}

// Unreadable shards are read by two workers at once, the setting in which they once aborted the
// process natively (test/execution/hardening.test.ts repeats it); row-level problems need one.
const run = (pipeline: string, workers = 1) => winnow(['run', pipeline, '--quiet', '--workers', String(workers)]);

function corrupt(file: string): void {
  const bytes = Buffer.from(readFileSync(GOOD));
  for (let i = Math.floor(bytes.length * 0.3); i < bytes.length * 0.6; i++) bytes[i]! ^= 0x5a;
  writeFileSync(file, bytes);
}

function truncate(file: string): void {
  const bytes = readFileSync(GOOD);
  writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
}

/** A lone UTF-16 surrogate, written the way careless encoders do (WTF-8): invalid UTF-8. */
function loneSurrogate(file: string): void {
  const enc = new TextEncoder();
  const texts = ['A fine first document.', 'A fine second document.', 'Broken: ', 'A fine last document.'].map((t) => enc.encode(t));
  texts[2] = new Uint8Array([...texts[2]!, 0xed, 0xa0, 0x80, ...enc.encode(' here')]);
  parquetWriteFile({
    filename: file,
    columnData: [
      { name: 'id', data: ['s0', 's1', 's2', 's3'] },
      { name: 'text', data: texts },
      { name: 'source', data: ['t', 't', 't', 't'] },
    ],
    schema: [
      { name: 'root', num_children: 3 },
      { name: 'id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      { name: 'text', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      { name: 'source', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
    ],
  });
}

const shardRows = (n: number, extra: { id: string; text: string | null }[] = []) => [
  ...Array.from({ length: n }, (_, i) => ({ id: `ok-${i}`, text: `Document ${i} has enough words to be kept. `.repeat(10) })),
  ...extra,
];

describe('bad input: unreadable shards', () => {
  const KINDS = [
    ['a corrupt file', corrupt, /b-bad\.parquet.*(cannot read|Parquet)/s],
    ['a truncated file', truncate, /b-bad\.parquet: cannot read Parquet footer: .*magic bytes/],
    ['a zero-byte file', (f: string) => writeFileSync(f, ''), /b-bad\.parquet: cannot read Parquet footer: .*too small/],
  ] as const;
  for (const [name, make, message] of KINDS) {
    it(`${name}: fails naming the file`, async () => {
      const failing = await setup(make);
      const r = run(failing.pipeline, 2);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(failing.badFile);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    });
  }

  // One run skips every kind at once (each skip run costs a whole run of the good shard).
  it('with on_error: skip, each unreadable kind and a shard of invalid UTF-8 is skipped and recorded; an empty shard is counted as 0 documents', async () => {
    const skipping = await setup(corrupt, { onError: 'skip' });
    truncate(join(skipping.input, 'c-truncated.parquet'));
    writeFileSync(join(skipping.input, 'd-zero.parquet'), '');
    loneSurrogate(join(skipping.input, 'e-utf8.parquet'));
    await writeShard(join(skipping.input, 'f-empty.parquet'), []);
    const ok = run(skipping.pipeline, 2);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/skipped +919 +in 4 unreadable shard/);
    expect(ok.stdout).toContain('empty     1 shard with no rows: f-empty.parquet');
    const manifest = readManifest(skipping.output);
    expect(manifest.skipped_shards.map((s: { path: string }) => s.path)).toEqual(['b-bad.parquet', 'c-truncated.parquet', 'd-zero.parquet', 'e-utf8.parquet']);
    expect(manifest.skipped_shards[0].error).toContain(skipping.badFile);
    expect(manifest.skipped_shards[3]).toMatchObject({ path: 'e-utf8.parquet', rows: 4 });
    expect(manifest.inputs.shards.map((s: { status: string }) => s.status)).toEqual(['done', 'skipped', 'skipped', 'skipped', 'skipped', 'done']);
    expect(manifest.inputs.shards[5]).toMatchObject({ path: 'f-empty.parquet', rows: 0, status: 'done' });
    const docs = manifest.counts.documents;
    expect(docs.curated + docs.rejected + docs.skipped).toBe(docs.input);
    expect(docs.curated + docs.rejected).toBe(915); // every row of the good shard
    // The corrupt file's footer still counts its 915 rows, and the invalid UTF-8 shard has 4; a truncated or empty file has no footer to count from.
    expect(docs.skipped).toBe(915 + 4);
    const good = await rows<{ id: string }>(`SELECT id FROM read_parquet('${GOOD}')`);
    const out = await rows<{ id: string }>(`SELECT id FROM read_parquet([${parquetGlob(join(skipping.output, 'curated'))}, ${parquetGlob(join(skipping.output, 'rejected'))}])`);
    expect(out.map((r) => r.id).sort()).toEqual(good.map((r) => r.id).sort());
  });

  it('a missing text column: names the file, the column and what the shard has', async () => {
    const { pipeline, badFile } = await setup(async (f) => {
      const con = (await import('../helpers.js')).db;
      await (await con()).run(`COPY (SELECT 'x' AS id, 'body' AS body) TO '${f}' (FORMAT parquet)`);
    });
    const r = run(pipeline);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${badFile}: column "text" (input.columns.text) not found; the shard has: id, body`);
  });

  it('an input column named like one winnow adds to curated rows: names the file and the column', async () => {
    const { pipeline, badFile } = await setup(async (f) => {
      const con = (await import('../helpers.js')).db;
      await (await con()).run(`COPY (SELECT 'x' AS id, 'some text' AS text, 's' AS source, 'k' AS winnow_key) TO '${f}' (FORMAT parquet)`);
    });
    const r = run(pipeline);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${badFile}: input column(s) "winnow_key" clash with columns winnow adds to curated rows`);
  });

  it('invalid UTF-8 (a lone surrogate): names the file, the row and the column', async () => {
    const failing = await setup(loneSurrogate);
    const r = run(failing.pipeline);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${failing.badFile} (row 2): column "text" is not valid UTF-8 (a lone UTF-16 surrogate encoded at byte 8)`);
  });
});

describe('bad input: bad rows', () => {
  it('null text: names the file, row and id; with bad_rows: reject it is rejected as bad_input', async () => {
    const make = (f: string) => writeShard(f, shardRows(3, [{ id: 'the-null-one', text: null }]));
    const failing = await setup(make);
    const r = run(failing.pipeline);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${failing.badFile} (row 3, id "the-null-one"): text is null`);

    // With on_error: skip, the row's shard is skipped and recorded whole.
    const skipping = await setup(make, { onError: 'skip' });
    expect(run(skipping.pipeline).code).toBe(0);
    expect(readManifest(skipping.output).skipped_shards).toEqual([
      expect.objectContaining({ path: 'b-bad.parquet', rows: 4, error: expect.stringContaining('(row 3, id "the-null-one"): text is null') }),
    ]);

    const rejecting = await setup(make, { badRows: 'reject' });
    expect(run(rejecting.pipeline).code).toBe(0);
    const [row] = await rows<{ id: string; primary_reason: string; reasons: { value: string }[] }>(
      `SELECT id, primary_reason, reasons FROM read_parquet(${parquetGlob(join(rejecting.output, 'rejected'))}) WHERE id = 'the-null-one'`,
    );
    expect(row).toMatchObject({ primary_reason: 'bad_input', reasons: [{ rule: 'bad_input', value: 'text is null' }] });
    const { input, curated, rejected } = await accounting(rejecting.input, rejecting.output);
    expect([...curated, ...rejected].sort()).toEqual(input.sort());
  });

  it('rejected bad rows before, between and after good ones leave every good row its own text and signals', async () => {
    // Annotate measures a vector's good rows together (annotateMany) and puts each back in its place.
    const texts = ['Short one here.', 'A somewhat longer second document, with more words in it.', 'Third.\nTwo lines.'];
    const { pipeline, output } = await setup(
      (f) =>
        writeShard(f, [
          { id: 'null-0', text: null },
          { id: 'good-0', text: texts[0]! },
          { id: 'null-1', text: null },
          { id: 'good-1', text: texts[1]! },
          { id: 'good-2', text: texts[2]! },
          { id: 'null-2', text: null },
        ]),
      { badRows: 'reject' },
    );
    expect(run(pipeline).code).toBe(0);
    const signals = await rows<{ id: string; text: string | null; char_count: number | null; line_count: number | null; bad_input: string | null }>(
      `SELECT id, text, char_count, line_count, bad_input FROM read_parquet(${parquetGlob(join(output, 'work', 'signals', '00001', '*'))}) ORDER BY "row"`,
    );
    expect(signals).toEqual([
      { id: 'null-0', text: null, char_count: null, line_count: null, bad_input: 'text is null' },
      { id: 'good-0', text: texts[0], char_count: texts[0]!.length, line_count: 1, bad_input: null },
      { id: 'null-1', text: null, char_count: null, line_count: null, bad_input: 'text is null' },
      { id: 'good-1', text: texts[1], char_count: texts[1]!.length, line_count: 1, bad_input: null },
      { id: 'good-2', text: texts[2], char_count: texts[2]!.length, line_count: 2, bad_input: null },
      { id: 'null-2', text: null, char_count: null, line_count: null, bad_input: 'text is null' },
    ]);
  });

  it('empty text is a document like any other: rejected by min_words with value 0', async () => {
    const { pipeline, output } = await setup((f) => writeShard(f, shardRows(2, [{ id: 'empty', text: '' }])));
    expect(run(pipeline).code).toBe(0);
    const [row] = await rows<{ reasons: { rule: string; value: string }[] }>(
      `SELECT reasons FROM read_parquet(${parquetGlob(join(output, 'rejected'))}) WHERE id = 'empty'`,
    );
    expect(row!.reasons[0]).toMatchObject({ rule: 'min_words', value: '0' });
  });

  it('a 20 MB document: over max_text_bytes it is an error naming the row; under it, it is processed', async () => {
    const huge = 'word '.repeat(4 * 2 ** 20); // 20 MiB
    const make = (f: string) => writeShard(f, shardRows(2, [{ id: 'huge', text: huge }]));
    const failing = await setup(make);
    const r = run(failing.pipeline);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${failing.badFile} (row 2, id "huge"): text is 20971520 bytes, over input.max_text_bytes (16777216)`);

    const roomy = await setup(make, { maxTextBytes: '64MiB' });
    expect(run(roomy.pipeline).code).toBe(0);
    const [row] = await rows<{ primary_reason: string; reasons: { value: string }[] }>(
      `SELECT primary_reason, reasons FROM read_parquet(${parquetGlob(join(roomy.output, 'rejected'))}) WHERE id = 'huge'`,
    );
    expect(row).toMatchObject({ primary_reason: 'max_words', reasons: [{ value: String(4 * 2 ** 20) }] });
  });
});

describe('bad pipeline files', () => {
  it('run and validate stop before any work, naming the file, line and key', () => {
    const dir = tempDir();
    const file = writePipeline(dir, 'name: t\ninput:\n  path: .\n  on_error: sometimes\n');
    for (const cmd of ['run', 'validate']) {
      const r = winnow([cmd, file]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(file);
      expect(r.stderr).toMatch(/line 4: input\.on_error: .*"fail".*"skip"/);
    }
  });

  it('validate checks the shards of a good pipeline', () => {
    const r = winnow(['validate', 'pipelines/dry-run.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('5 shards, 3,710 rows, columns present');
  });
});
