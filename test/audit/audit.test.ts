import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditRun, formatAudit } from '../../src/audit/audit.js';
import { formatInspection, inspectParquet } from '../../src/audit/inspect.js';
import { findByText, why, whyMany } from '../../src/audit/why.js';
import { runSignalsSql } from '../../src/phases/signals-sql.js';
import { db, FIXTURE_SHARDS, readManifest, rows, sharedDryRun, tempDir, winnow } from '../helpers.js';
import { InputError } from '../../src/io/errors.js';

/** The audit tools on the dry run every test file shares (read, never written). */
describe('audit tools on the dry run', () => {
  let run = '';
  let manifest: { counts: { rules: Record<string, { any: number; primary: number }>; sources: Record<string, { curated: number }> } };
  beforeAll(async () => {
    const shared = await sharedDryRun();
    expect(shared.code).toBe(0);
    run = shared.dir;
    manifest = readManifest(run);
  });

  it('audit samples the dropped documents of a reason, with every reason, source and text, as the manifest counts them', async () => {
    const con = await db();
    const near = await auditRun(con, run, { reason: 'near_duplicate', sample: 5, seed: 0 });
    expect(near.matching).toBe(manifest.counts.rules.near_duplicate!.any);
    expect(near.documents).toHaveLength(5);
    for (const d of near.documents) {
      expect(d.reasons!.map((r) => r.rule)).toContain('near_duplicate');
      expect(d.source).toMatch(/^(medquad|spamassassin|udhr)\//);
      expect(d.text!.length).toBeGreaterThan(0);
    }
    const primary = await auditRun(con, run, { reason: 'not_medical', primary: true, sample: 3, seed: 0 });
    expect(primary.matching).toBe(manifest.counts.rules.not_medical!.primary);
    for (const d of primary.documents) expect(d.primary_reason).toBe('not_medical');
    // The text shows each reason's value against its threshold.
    expect(formatAudit(near, { reason: 'near_duplicate', sample: 5, seed: 0 })).toMatch(/^ {2}- near_duplicate: minhash_signature = .+ \(/m);
  });

  it("names the copy finally kept in duplicate_of, never a dropped duplicate; an exact copy's own keeper stays in exact_keeper", async () => {
    const rejected = `read_parquet('${run}/rejected/*.parquet')`;
    // No row's duplicate_of is a document that is itself a duplicate (the dry run has exact keepers near dedup dropped).
    const [{ chained }] = (await rows<{ chained: number }>(`SELECT count(*) AS chained FROM ${rejected} a JOIN ${rejected} b ON a.duplicate_of = b.key WHERE b.duplicate_of IS NOT NULL`)) as [{ chained: number }];
    expect(chained).toBe(0);
    const moved = await rows<{ id: string; duplicate_of: string; exact_keeper: string; keeper_link: string }>(
      `SELECT a.id, a.duplicate_of, a.exact_keeper, b.duplicate_of AS keeper_link FROM ${rejected} a JOIN ${rejected} b ON a.exact_keeper = b.key WHERE a.exact_keeper <> a.duplicate_of`,
    );
    expect(moved.length).toBeGreaterThan(0);
    // The exact keeper was dropped as a near duplicate of the very copy the row now names.
    for (const m of moved) expect(m.keeper_link, m.id).toBe(m.duplicate_of);
    // The id names the same document as the key.
    const [{ mismatched }] = (await rows<{ mismatched: number }>(
      `SELECT count(*) AS mismatched FROM ${rejected} r JOIN read_parquet('${run}/work/signals/*/*/*.parquet') s ON s.key = r.duplicate_of WHERE s.id IS DISTINCT FROM r.duplicate_of_id`,
    )) as [{ mismatched: number }];
    expect(mismatched).toBe(0);
    const [{ exact }] = (await rows<{ exact: number }>(`SELECT count(*) AS exact FROM ${rejected} WHERE list_contains(list_transform(reasons, r -> r.rule), 'exact_duplicate') AND exact_keeper IS NULL`)) as [{ exact: number }];
    expect(exact).toBe(0);
    const said = winnow(['why', moved[0]!.id, '--run', run]);
    expect(said.stdout).toMatch(/exact_duplicate: same content \(content_hash \w+\) as .+ \(key .+\), its cluster's keeper, itself a near duplicate of .+ \(key .+\), the copy kept/);
  });

  it('audit is a function of its seed; --kept and --source sample kept documents of a source and its sub-sources', async () => {
    const con = await db();
    const a = await auditRun(con, run, { sample: 8, seed: 1 });
    const b = await auditRun(con, run, { sample: 8, seed: 1 });
    const c = await auditRun(con, run, { sample: 8, seed: 2 });
    expect(a.documents.map((d) => d.key)).toEqual(b.documents.map((d) => d.key));
    expect(a.documents.map((d) => d.key)).not.toEqual(c.documents.map((d) => d.key));
    const kept = await auditRun(con, run, { kept: true, source: 'medquad', sample: 4, seed: 0 });
    const medquad = Object.entries(manifest.counts.sources).filter(([s]) => s.startsWith('medquad/')).reduce((x, [, n]) => x + n.curated, 0);
    expect(kept.matching).toBe(medquad);
    for (const d of kept.documents) {
      expect(d.outcome).toBe('kept');
      expect(d.source!.startsWith('medquad/')).toBe(true);
    }
    await expect(auditRun(con, run, { reason: 'no_such_rule', sample: 1, seed: 0 })).rejects.toThrow(InputError);
    await expect(auditRun(con, run, { reason: 'no_such_rule', sample: 1, seed: 0 })).rejects.toThrow(/no reason named "no_such_rule" in this run; its reasons are .*near_duplicate/);
  });

  it('why --ids answers every id in one pass, as why answers each', async () => {
    const con = await db();
    const ids = ['medquad-GHR-0000487-4', 'sample-00.parquet#3', 'no-such-document', 'udhr-eng-articles'];
    const many = await whyMany(con, run, ids);
    expect(many.map((a) => a.query)).toEqual(ids);
    for (const [i, id] of ids.entries()) expect(many[i]).toEqual(await why(con, run, id));
    expect(many[2]!.fates).toEqual([]);

    const file = join(tempDir(), 'ids.txt');
    writeFileSync(file, `${ids.join('\r\n')}\n\n`);
    const r = winnow(['why', '--ids', file, '--run', run]);
    expect(r.code).toBe(1); // one id is not in the run
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { query: string; fates: unknown[] });
    expect(lines.map((l) => l.query)).toEqual(ids);
    expect(lines[1]!.fates).toEqual(many[1]!.fates);
  });

  it('why --text finds the documents whose measured text holds a snippet', async () => {
    const con = await db();
    const snippet = 'autosomal recessive pattern';
    const found = await findByText(con, run, snippet, 5);
    const [{ n }] = await rows<{ n: bigint }>(`SELECT count(*) AS n FROM ${runSignalsSql(run, [])!} WHERE contains(text, '${snippet}')`);
    expect(found.total).toBe(Number(n));
    expect(found.keys).toHaveLength(5);
    const r = winnow(['why', '--text', snippet, '--limit', '2', '--run', run]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`${found.total} documents contain "${snippet}" (the first 2 shown; --limit for more)`);
    expect(r.stdout).toContain(`(key ${found.keys[0]})`);
    expect(winnow(['why', '--run', run]).stderr.trim()).toBe('winnow: give one of: an id (or key), --ids FILE, or --text SNIPPET');
  });
});

describe('winnow inspect', () => {
  it("shows a shard's schema, row groups, codecs and first rows, 64-bit values exact", async () => {
    const con = await db();
    const file = join(FIXTURE_SHARDS, 'sample-00.parquet');
    const i = await inspectParquet(con, file, 2);
    const [{ n }] = await rows<{ n: bigint }>(`SELECT count(*) AS n FROM read_parquet('${file}')`);
    expect(i.rows).toBe(Number(n));
    expect(i.columns.map((c) => c.name)).toEqual(['id', 'text', 'url', 'source', 'title']);
    expect(i.columns.find((c) => c.name === 'text')).toMatchObject({ type: 'VARCHAR', codecs: ['ZSTD'] });
    expect(i.row_groups.reduce((a, g) => a + g.rows, 0)).toBe(i.rows);
    expect(i.first_rows).toHaveLength(2);
    expect(formatInspection(i)).toMatch(/^.*sample-00\.parquet: [\d,]+ rows, [\d,]+ bytes, 1 row group/);

    const out = join(tempDir(), 'hashes.parquet');
    await con.run(`COPY (SELECT 18446744073709551615::UBIGINT AS content_hash, ['a', 'b'] AS nodes) TO '${out}' (FORMAT parquet)`);
    const hashes = await inspectParquet(con, out, 1);
    expect(hashes.first_rows[0]).toEqual({ content_hash: '18446744073709551615', nodes: ['a', 'b'] });
    expect(hashes.columns.find((c) => c.name === 'nodes')!.compressed_bytes).toBeGreaterThan(0);
  });

  it('says in one line what is wrong with a file it cannot read', () => {
    const notParquet = join(tempDir(), 'notes.parquet');
    writeFileSync(notParquet, 'not parquet at all');
    const r = winnow(['inspect', notParquet]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^winnow: .*notes\.parquet: cannot read it as Parquet: .+$/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(winnow(['inspect', join(tempDir(), 'missing.parquet')]).stderr.trim()).toMatch(/missing\.parquet: no such file$/);
  });
});
