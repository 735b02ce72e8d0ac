import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sqlString } from '../../src/io/duckdb.js';
import { dryRunCopy, parquetGlob, pipelineYaml, rows, sharedDryRun, tempDir, winnow, writePipeline, writeShard } from '../helpers.js';

/** `winnow sample` on the shared dry run (3,710 documents, two models, sources in three families). */

type Row = Record<string, unknown> & { id: string | null; key: string; kept: boolean; primary_reason: string | null; reasons: string; stratum: string; text: string | null };

const readJsonl = (file: string): Row[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Row);

/** RFC 4180, read strictly: quoted fields may hold commas, CRLF and doubled quotes; records end in CRLF. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new Error('unterminated quoted field');
        field += text.slice(i, q);
        if (text[q + 1] === '"') {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
    } else {
      const end = text.slice(i).search(/[,\r]/);
      const stop = end < 0 ? text.length : i + end;
      field = text.slice(i, stop);
      expect(field).not.toMatch(/["\n]/);
      i = stop;
    }
    record.push(field);
    if (text[i] === ',') i++;
    else {
      expect(text.slice(i, i + 2)).toBe('\r\n');
      i += 2;
      records.push(record);
      record = [];
    }
  }
  return records;
}

/** A JSON value as the CSV holds it. */
const asCell = (v: unknown): string => (v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));

describe('winnow sample', () => {
  let run = '';
  const out = tempDir('sample-');
  const sample = (name: string, ...args: string[]) => {
    const r = winnow(['sample', '--run', run, '--out', join(out, name), ...args]);
    expect(r.code, r.stderr).toBe(0);
    return { stdout: r.stdout, jsonl: join(out, `${name}.jsonl`), csv: join(out, `${name}.csv`) };
  };
  let first: ReturnType<typeof sample>;

  beforeAll(async () => {
    const dry = await sharedDryRun();
    expect(dry.code, dry.stderr).toBe(0);
    run = dry.dir;
    first = sample('seed1');
  });

  it('is deterministic by seed: the same seed gives the same bytes, another seed another set', () => {
    const again = sample('seed1-again');
    expect(readFileSync(again.jsonl)).toEqual(readFileSync(first.jsonl));
    expect(readFileSync(again.csv)).toEqual(readFileSync(first.csv));
    const other = sample('seed2', '--seed', '2');
    const keys = (f: string) => readJsonl(f).map((r) => r.key);
    expect(keys(other.jsonl)).not.toEqual(keys(first.jsonl));
    expect(new Set(keys(other.jsonl))).not.toEqual(new Set(keys(first.jsonl)));
  });

  it('holds --size distinct documents, every stratum represented and the size shared evenly', async () => {
    const sampled = readJsonl(first.jsonl);
    expect(sampled).toHaveLength(200);
    expect(new Set(sampled.map((r) => r.key)).size).toBe(200);
    expect(readJsonl(sample('small', '--size', '37').jsonl)).toHaveLength(37);

    // The strata, from the run's own files: fates from rejected/, sources grouped by family (more than 12 sources), score quarters.
    const docs = await rows<{ key: string; source: string; medical_score: number; quality_score: number; primary_reason: string | null; kept: boolean }>(
      `SELECT s.key, s.source, m.medical_score, q.quality_score, r.primary_reason, r.key IS NULL AS kept
       FROM read_parquet(${sqlString(join(run, 'work/signals/*/*/*.parquet'))}) s
       JOIN read_parquet(${parquetGlob(join(run, 'work/scores/medical_score'))}) m USING (shard, "row")
       JOIN read_parquet(${parquetGlob(join(run, 'work/scores/quality_score'))}) q USING (shard, "row")
       LEFT JOIN read_parquet(${parquetGlob(join(run, 'rejected'))}) r ON r.key = s.key`,
    );
    const band = (x: number) => ['0-0.25', '0.25-0.5', '0.5-0.75', '0.75-1'][Math.min(3, Math.floor(x * 4))];
    const strataOf = (d: (typeof docs)[number]) => [
      d.kept ? 'kept' : 'dropped',
      ...(d.kept ? [] : [`dropped:${d.primary_reason}`]),
      `source:${d.source.split('/')[0]}`,
      `medical_score:[${band(d.medical_score)}]`,
      `quality_score:[${band(d.quality_score)}]`,
    ];
    const sizes = new Map<string, number>();
    for (const d of docs) for (const s of strataOf(d)) sizes.set(s, (sizes.get(s) ?? 0) + 1);
    const byKey = new Map(docs.map((d) => [d.key, d]));
    const inSample = new Map<string, number>();
    const chose = new Map<string, number>();
    for (const r of sampled) {
      const strata = strataOf(byKey.get(r.key)!);
      expect(strata, r.key).toContain(r.stratum);
      for (const s of strata) inSample.set(s, (inSample.get(s) ?? 0) + 1);
      chose.set(r.stratum, (chose.get(r.stratum) ?? 0) + 1);
    }
    expect(sizes.size).toBeGreaterThan(30);
    for (const [stratum, n] of sizes) {
      expect(inSample.get(stratum) ?? 0, stratum).toBeGreaterThan(0);
      // The summary lists it with its documents, rows chosen for it and rows in it.
      expect(first.stdout).toMatch(new RegExp(`\\n  ${stratum.replace(/[[\].]/g, '\\$&')} +${n.toLocaleString('en-US')} +${chose.get(stratum) ?? 0} +${inSample.get(stratum)}\\n`));
    }
    // Even shares: a stratum chose within one of the most any chose, unless all its documents are in the sample already.
    const most = Math.max(...chose.values());
    for (const [stratum, n] of sizes) {
      if ((inSample.get(stratum) ?? 0) < n) expect(chose.get(stratum) ?? 0, stratum).toBeGreaterThanOrEqual(most - 1);
    }
    // Rows come by stratum, in the summary's order.
    const order = [...first.stdout.matchAll(/\n {2}(\S+) +[\d,]+ +\d+ +\d+(?=\n)/g)].map((m) => m[1]!);
    const positions = sampled.map((r) => order.indexOf(r.stratum));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(first.stdout).toContain(first.jsonl);
    expect(first.stdout).toContain(first.csv);
  });

  it('writes the same rows to CSV (RFC 4180) and JSON lines, with the columns annotators need', () => {
    const json = readJsonl(first.jsonl);
    const [header, ...records] = parseCsv(readFileSync(first.csv, 'utf8'));
    expect(header).toEqual(['id', 'key', 'source', 'kept', 'primary_reason', 'reasons', 'medical_score', 'quality_score', 'stratum', 'text', 'label', 'note']);
    expect(records).toHaveLength(json.length);
    records.forEach((record, i) => {
      expect(Object.keys(json[i]!)).toEqual(header);
      expect(record).toEqual(header!.map((c) => asCell(json[i]![c])));
    });
    expect(json.every((r) => r.label === '' && r.note === '')).toBe(true);
    // Texts with commas, quotes and line breaks made the round trip.
    expect(json.some((r) => /[",\n]/.test(r.text ?? ''))).toBe(true);
  });

  it("agrees with the run: kept rows are curated, dropped rows are rejected with the same reasons, texts are the final texts", async () => {
    const sampled = readJsonl(first.jsonl);
    const keys = `[${sampled.map((r) => sqlString(r.key)).join(', ')}]`;
    const curated = new Set(
      (await rows<{ k: string }>(`SELECT winnow_key AS k FROM read_parquet(${parquetGlob(join(run, 'curated'))}) WHERE list_contains(${keys}, winnow_key)`)).map((r) => r.k),
    );
    const rejected = new Map(
      (
        await rows<{ key: string; primary_reason: string; reasons: { rule: string; op: string; value: string; threshold: string | null }[] }>(
          `SELECT key, primary_reason, reasons FROM read_parquet(${parquetGlob(join(run, 'rejected'))}) WHERE list_contains(${keys}, key)`,
        )
      ).map((r) => [r.key, r]),
    );
    const texts = new Map(
      (await rows<{ key: string; text: string }>(`SELECT key, text FROM read_parquet(${sqlString(join(run, 'work/signals/*/*/*.parquet'))}) WHERE list_contains(${keys}, key)`)).map((r) => [r.key, r.text]),
    );
    for (const r of sampled) {
      expect(r.kept, r.key).toBe(curated.has(r.key));
      expect(r.kept, r.key).toBe(!rejected.has(r.key));
      const rej = rejected.get(r.key);
      expect(r.primary_reason).toBe(rej?.primary_reason ?? null);
      expect(r.reasons).toBe((rej?.reasons ?? []).map((x) => `${x.rule}: ${x.value}${x.threshold === null ? '' : ` vs ${x.op} ${x.threshold}`}`).join('; '));
      expect(r.text).toBe(texts.get(r.key));
    }
    expect(sampled.find((r) => r.primary_reason === 'gopher_short_doc')?.reasons).toMatch(/^gopher_short_doc: \d+ vs >= 50(; |$)/);
  });

  it('writes to <run>/review/sample by default', async () => {
    const copy = await dryRunCopy();
    const r = winnow(['sample', '--run', copy, '--size', '10']);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(copy, 'review', 'sample.jsonl'))).toBe(true);
    expect(readFileSync(join(copy, 'review', 'sample.csv'), 'utf8').split('\r\n')).toHaveLength(12);
  });

  it('samples bad input as dropped documents with primary reason bad_input, and a run without models or sources', async () => {
    const dir = tempDir();
    const input = join(dir, 'in');
    await writeShard(join(input, 'a.parquet'), [
      { id: 'good', text: 'The patient was seen in clinic today and reported feeling much better after the new treatment plan began last week.' },
      { id: 'short', text: 'Too short.' },
      { id: 'null', text: null },
    ]);
    const pipeline = writePipeline(dir, pipelineYaml({ input, output: join(dir, 'run'), badRows: 'reject', columns: '{ text: text, id: id }' }));
    const made = winnow(['run', pipeline, '--quiet']);
    expect(made.code, made.stderr).toBe(0);
    const r = winnow(['sample', '--run', join(dir, 'run'), '--out', join(dir, 's')]);
    expect(r.code, r.stderr).toBe(0);
    const sampled = readJsonl(join(dir, 's.jsonl'));
    expect(sampled).toHaveLength(3);
    const bad = sampled.find((s) => s.id === 'null')!;
    expect(bad).toMatchObject({ kept: false, primary_reason: 'bad_input', text: null, source: null });
    expect(['dropped', 'dropped:bad_input']).toContain(bad.stratum);
    expect(r.stdout).toMatch(/\n {2}dropped:bad_input +1 /);
    expect(Object.keys(bad)).toEqual(['id', 'key', 'source', 'kept', 'primary_reason', 'reasons', 'stratum', 'text', 'label', 'note']);
    expect(r.stdout).not.toMatch(/source:|_score:/);
  });

  it('refuses a folder that is not a run, in one line', () => {
    const r = winnow(['sample', '--run', tempDir()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^winnow: .* is not a finished run \(no readable manifest\.json\): run a pipeline into it first \(winnow run\)\n$/);
  });
});
