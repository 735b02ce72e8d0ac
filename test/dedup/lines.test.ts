import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureTexts, parquetGlob, pipelineYaml, readManifest, rows, snapshot, tempDir, winnow, writePipeline, writeShard, type Doc } from '../helpers.js';

const FOOTER = 'This page is provided by the Example Health Library. Call the library desk for an appointment.';
const HEADER = 'Example Health Library > Conditions > Overview of the condition';
const RARE = 'A line shared by only three documents, well under the limit of ten documents.';

/**
 * 40 real answers: 30 with a template header and footer, 3 of them also with a line too rare to
 * be boilerplate, and one document that is only template (plus a few words).
 */
async function corpus(): Promise<Doc[]> {
  const texts = (await fixtureTexts()).filter((t) => t.source.startsWith('medquad') && t.text.split(/\s+/).length > 80).slice(0, 40);
  const docs: Doc[] = texts.map((t, i) => {
    if (i >= 30) return { id: t.id, text: t.text };
    const lines = [HEADER, t.text, ...(i < 3 ? [RARE] : []), FOOTER];
    return { id: t.id, text: lines.join('\n') };
  });
  docs.push({ id: 'only-template', text: `${HEADER}\nSee below.\n${FOOTER}` });
  return docs;
}

function linesYaml(input: string, output: string, lines: string, workers = 1): string {
  return pipelineYaml({
    input,
    output,
    rules: '[]',
    workers,
    extra: `dedup:\n  exact: { enabled: false }\n  lines: { enabled: true, max_documents: 10, min_words: 5, partitions: 3${lines} }\n`,
  });
}

describe('boilerplate lines across the corpus', () => {
  const dir = tempDir('lines-');
  const input = join(dir, 'in');
  const out = join(dir, 'out');
  let docs: Doc[];

  beforeAll(async () => {
    docs = await corpus();
    await writeShard(join(input, 'a.parquet'), docs.slice(0, 20));
    await writeShard(join(input, 'b.parquet'), docs.slice(20));
    const r = winnow(['run', writePipeline(dir, linesYaml(input, out, '')), '--quiet']);
    expect(r.code, r.stderr).toBe(0);
  });

  it('removes lines found in more documents than the limit, and only those, recording what it removed', async () => {
    const curated = await rows<{ id: string; text: string; boilerplate_units: number; boilerplate_chars: number; boilerplate_removed: bigint[] }>(
      `SELECT id, text, boilerplate_units, boilerplate_chars, boilerplate_removed FROM read_parquet(${parquetGlob(join(out, 'curated'))}) ORDER BY id`,
    );
    expect(curated).toHaveLength(40);
    const original = new Map(docs.map((d) => [d.id, d.text!]));
    // The text each document had before boilerplate removal: its final (normalized) text.
    const before = new Map(
      (await rows<{ id: string; text: string }>(`SELECT id, text FROM read_parquet('${join(out, 'work', 'signals')}/*/*/*.parquet')`)).map((r) => [r.id, r.text]),
    );
    for (const c of curated) {
      expect(c.text).not.toContain(FOOTER);
      expect(c.text).not.toContain(HEADER);
      const templated = original.get(c.id)!.includes(FOOTER);
      expect(c.boilerplate_units).toBe(templated ? 2 : 0);
      expect(c.boilerplate_chars).toBe(templated ? FOOTER.length + HEADER.length : 0);
      expect(c.boilerplate_removed).toHaveLength(templated ? 2 : 0);
      if (original.get(c.id)!.includes(RARE)) expect(c.text).toContain(RARE);
      if (!templated) expect(c.text).toBe(before.get(c.id));
      else expect(c.text).toBe(before.get(c.id)!.split('\n').filter((l) => l !== HEADER && l !== FOOTER).join('\n'));
    }
    const found = await rows<{ unit: string; documents: number }>(`SELECT unit, documents FROM read_parquet(${parquetGlob(join(out, 'work', 'dedup', 'lines'))}) ORDER BY unit`);
    expect(found).toEqual([
      { unit: HEADER, documents: 31 },
      { unit: FOOTER, documents: 31 },
    ]);
  });

  it('drops a document left with fewer words than min_words, saying how many it has left', async () => {
    const [rejected] = await rows<{ id: string; reasons: { rule: string; value: string; threshold: string }[] }>(
      `SELECT id, reasons FROM read_parquet(${parquetGlob(join(out, 'rejected'))})`,
    );
    expect(rejected!.id).toBe('only-template');
    expect(rejected!.reasons).toEqual([expect.objectContaining({ rule: 'boilerplate_only', value: '2', threshold: '5' })]);
    const manifest = readManifest(out);
    expect(manifest.counts.dedup.lines).toMatchObject({ enabled: true, boilerplate_units: 2, documents_changed: 30, units_removed: 60 });
    expect(manifest.counts.documents).toMatchObject({ input: 41, curated: 40, rejected: 1 });
    expect(manifest.counts.rules.boilerplate_only).toMatchObject({ primary: 1 });
  });

  it('keeps the first occurrence with keep_first, and counts paragraphs with unit: paragraph', async () => {
    const first = join(dir, 'first');
    expect(winnow(['run', writePipeline(tempDir(), linesYaml(input, first, ', keep_first: true')), '--quiet']).code).toBe(0);
    const kept = await rows<{ id: string; text: string }>(`SELECT id, text FROM read_parquet(${parquetGlob(join(first, 'curated'))}) WHERE contains(text, ${`'${FOOTER}'`})`);
    expect(kept.map((k) => k.id)).toEqual([docs[0]!.id]); // the lowest key: a.parquet#0

    const paragraphs = join(dir, 'paragraphs');
    expect(winnow(['run', writePipeline(tempDir(), linesYaml(input, paragraphs, ', unit: paragraph')), '--quiet']).code).toBe(0);
    // The template lines sit inside paragraphs ("\n" joins them to the answer), so no paragraph repeats.
    expect(readManifest(paragraphs).counts.dedup.lines).toMatchObject({ unit: 'paragraph', boilerplate_units: 0, units_removed: 0 });
  });

  it('writes byte-identical outputs with 1 and 3 workers', () => {
    const three = join(dir, 'three');
    expect(winnow(['run', writePipeline(tempDir(), linesYaml(input, three, '', 3)), '--quiet']).code).toBe(0);
    const a = snapshot(out);
    const b = snapshot(three);
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [file, bytes] of a) expect(bytes.equals(b.get(file)!), file).toBe(true);
  });

  it("cleans a shard of many documents that all carry boilerplate within a small worker's memory", async () => {
    // 5,000 documents of 42 lines (the template's two among them): rebuilt at once, the cleanup
    // holds every line of the shard (210,000), over a worker of 64 MB (a shard of a
    // million-document bench ran out of 1 GB so).
    const texts = (await fixtureTexts()).filter((t) => t.source.startsWith('medquad')).slice(0, 300);
    const many: Doc[] = Array.from({ length: 5000 }, (_, i) => ({
      id: `t${i}`,
      text: [HEADER, ...Array.from({ length: 40 }, (_, k) => `${texts[(i * 7 + k) % texts.length]!.text.slice(k, k + 40).replace(/\s+/g, ' ')} (${i}.${k})`), FOOTER].join('\n'),
    }));
    const big = join(dir, 'big-in');
    await writeShard(join(big, 'a.parquet'), many);
    const output = join(dir, 'big');
    const r = winnow(['run', writePipeline(tempDir(), linesYaml(big, output, '').replace('execution:', 'execution:\n  memory_per_worker: 64MB')), '--quiet']);
    expect(r.stderr).toBe('');
    const curated = await rows<{ id: string; text: string }>(`SELECT id, text FROM read_parquet(${parquetGlob(join(output, 'curated'))}) ORDER BY id`);
    const before = new Map((await rows<{ id: string; text: string }>(`SELECT id, text FROM read_parquet('${join(output, 'work', 'signals')}/*/*/*.parquet')`)).map((x) => [x.id, x.text]));
    expect(curated).toHaveLength(5000);
    for (const c of curated) expect(c.text, c.id).toBe(before.get(c.id)!.split('\n').filter((l) => l !== HEADER && l !== FOOTER).join('\n'));
  });
});
