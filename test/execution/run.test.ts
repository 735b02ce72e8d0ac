import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  accounting,
  DRY_RUN,
  dryRunCopy,
  FIXTURE_SHARDS,
  fixtureTexts,
  FULL,
  listParquet,
  parquetGlob,
  pipelineYaml,
  readManifest,
  ROOT,
  rows,
  sharedDryRun,
  slice,
  snapshot,
  tempDir,
  stableManifest,
  winnow,
  writePipeline,
  writeShard,
} from '../helpers.js';

const planted = (await import(join(ROOT, 'fixtures', 'planted-duplicates.json'), { with: { type: 'json' } })).default as {
  original: string;
  copies: string[];
}[];

function run(pipeline: string, ...args: string[]) {
  const r = winnow(['run', pipeline, '--quiet', ...args]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r;
}

/**
 * Workers of the second dry run, which only `npm run test:full` makes: a whole dry run again (a
 * tenth of the default suite's CPU time with 2 workers). In `npm test` the same claims rest on
 * smaller runs: 1 and 3 workers in test/dedup/near.test.ts, tasks run in reverse order in
 * test/cluster/plan-task.test.ts, the keeper of each planted duplicate (the lowest key, whatever
 * ran first) below. The order shards are listed in (a glob over a folder copied in reverse) only
 * in test:full.
 */
const WORKERS = 4;

describe('the dry run on the bundled fixtures', () => {
  let out1 = '';
  const outMany = join(tempDir(), `w${WORKERS}`);
  const reversed = tempDir('reversed-');
  let summary = '';

  beforeAll(async () => {
    // With 1 worker: the dry run the test files share (read here, never written).
    const shared = await sharedDryRun();
    expect(shared.code, shared.stderr).toBe(0);
    expect(shared.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('[winnow] '))).toEqual([]); // progress lines only
    out1 = shared.dir;
    summary = shared.stdout;
    // With more workers, over the same shards reached through a glob, copied in reverse order into a
    // fresh folder: one run for two claims (workers, and listing order), each checked below.
    if (FULL) {
      for (const f of readdirSync(FIXTURE_SHARDS).sort().reverse()) cpSync(join(FIXTURE_SHARDS, f), join(reversed, f));
      run(DRY_RUN, '--input', join(reversed, 'sample-*.parquet'), '--output', outMany, '--workers', String(WORKERS));
    }
  });

  it('prints a summary with counts per reason and where to look', () => {
    expect(summary).toMatch(/winnow run "dry-run": 5 shards, 3,710 documents/);
    expect(summary).toMatch(/kept\s+[\d,]+/);
    expect(summary).toMatch(/gopher_short_doc\s+[\d,]+/);
    expect(summary).toMatch(/exact_duplicate\s+[\d,]+/);
    expect(summary).toContain('manifest.json');
    expect(summary).toContain('winnow why <id> --run');
  });

  it('accounts for every input document exactly once', async () => {
    const { input, curated, rejected } = await accounting(FIXTURE_SHARDS, out1);
    expect(new Set(input).size).toBe(input.length);
    expect([...curated, ...rejected].sort()).toEqual([...input].sort());
    expect(new Set([...curated, ...rejected]).size).toBe(input.length);
  });

  it('has manifests that agree with the files', async () => {
    const manifest = readManifest(out1);
    const docs = manifest.counts.documents;
    expect(docs.input).toBe(3710);
    expect(docs.curated + docs.rejected + docs.skipped).toBe(docs.input);
    for (const kind of ['curated', 'rejected'] as const) {
      const files = manifest.outputs[kind] as { path: string; rows: number; bytes: number; sha256: string }[];
      expect(files.map((f) => f.path.split('/')[1]).sort()).toEqual(listParquet(join(out1, kind)));
      for (const f of files) {
        const [{ n }] = await rows<{ n: number }>(`SELECT count(*) AS n FROM read_parquet('${join(out1, f.path)}')`);
        expect(n).toBe(f.rows);
        const { createHash } = await import('node:crypto');
        const { readFileSync } = await import('node:fs');
        const bytes = readFileSync(join(out1, f.path));
        expect(bytes.length).toBe(f.bytes);
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(f.sha256);
      }
      expect(files.reduce((a, f) => a + f.rows, 0)).toBe(docs[kind]);
    }
    const ruleTotal = Object.values(manifest.counts.rules as Record<string, { primary: number }>).reduce((a, r) => a + r.primary, 0);
    expect(ruleTotal).toBe(docs.rejected);
    expect(manifest.config.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.winnow.version).toBe('0.1.0');
    expect(manifest.inputs.shards).toHaveLength(5);
    for (const s of manifest.inputs.shards) expect(s.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it.skipIf(!FULL)(`writes byte-identical outputs with 1 and ${WORKERS} workers (npm run test:full)`, () => {
    const a = snapshot(out1);
    const b = snapshot(outMany);
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [file, bytes] of a) expect(bytes.equals(b.get(file)!), file).toBe(true);
    expect(stableManifest(readManifest(out1))).toEqual(stableManifest(readManifest(outMany)));
  });

  it('writes the same curated and rejected files whatever the number of dedup partitions', async () => {
    // On a copy of the 4-partition run: annotate's outputs do not depend on the partitions and are
    // reused; dedup and decide run again with 1, then 7 (each is a dry run's dedup and decide: 7 only
    // in `npm run test:full`).
    const out = await dryRunCopy();
    const outs = slice([1, 7], 2).map((partitions) => {
      const yaml = readFileSync(DRY_RUN, 'utf8').replace('partitions: 4', `partitions: ${partitions}`).replace('../fixtures/shards', FIXTURE_SHARDS);
      run(writePipeline(tempDir(), yaml), '--output', out);
      return snapshot(out, ['curated', 'rejected']);
    });
    const reference = snapshot(out1, ['curated', 'rejected']);
    for (const out of outs) for (const [file, bytes] of reference) expect(bytes.equals(out.get(file)!), file).toBe(true);
  });

  it('finds every planted duplicate and keeps the copy with the lowest key', async () => {
    const all = await rows<{ id: string; key: string }>(
      `SELECT id, winnow_key AS key FROM read_parquet(${parquetGlob(join(out1, 'curated'))})
       UNION ALL SELECT id, key FROM read_parquet(${parquetGlob(join(out1, 'rejected'))})`,
    );
    const keyOf = new Map(all.map((r) => [r.id, r.key]));
    const rejected = await rows<{ id: string; key: string; rules: string[]; duplicate_of: string; duplicate_of_id: string; exact_keeper: string; exact_keeper_id: string }>(
      `SELECT id, key, list_transform(reasons, r -> r.rule) AS rules, duplicate_of, duplicate_of_id, exact_keeper, exact_keeper_id FROM read_parquet(${parquetGlob(join(out1, 'rejected'))})`,
    );
    const byKey = new Map(rejected.map((r) => [r.key, r]));
    const byId = new Map(rejected.map((r) => [r.id, r]));
    const order = (key: string) => {
      const [shard, row] = key.split('#');
      return [shard!, Number(row)] as const;
    };
    for (const group of planted) {
      const ids = [group.original, ...group.copies];
      const keeper = ids.reduce((best, id) => {
        const [s1, r1] = order(keyOf.get(id)!);
        const [s2, r2] = order(keyOf.get(best)!);
        return s1 < s2 || (s1 === s2 && r1 < r2) ? id : best;
      });
      expect(byId.get(keeper)?.rules ?? [], `keeper ${keeper} must not be a duplicate`).not.toContain('exact_duplicate');
      for (const id of ids.filter((i) => i !== keeper)) {
        const r = byId.get(id);
        expect(r, `${id} should be dropped as a copy of ${keeper}`).toBeDefined();
        // Quality rules come first in the reasons, then exact and near duplication.
        expect(r!.rules.filter((rule) => rule !== 'near_duplicate').at(-1)).toBe('exact_duplicate');
        expect(r!.exact_keeper).toBe(keyOf.get(keeper));
        expect(r!.exact_keeper_id).toBe(keeper);
        // duplicate_of is the copy finally kept: the exact keeper, unless near dedup dropped it for another.
        const near = byKey.get(keyOf.get(keeper)!);
        expect(r!.duplicate_of).toBe(near?.rules.includes('near_duplicate') ? near.duplicate_of : keyOf.get(keeper));
      }
    }
  });

  it('explains with `winnow why`: a duplicate names its keeper, a short document its value and threshold', async () => {
    // A planted copy whose only fault is being a copy: its keeper passes every rule.
    const copies = planted.flatMap((g) => g.copies);
    const dropped = (await rows<{ id: string; duplicate_of_id: string }>(
      `SELECT id, duplicate_of_id FROM read_parquet(${parquetGlob(join(out1, 'rejected'))})
       WHERE primary_reason = 'exact_duplicate' AND id IN ('${copies.join("','")}') ORDER BY key`,
    ))[0]!;
    expect(dropped).toBeDefined();
    const why = winnow(['why', dropped.id, '--run', out1]);
    expect(why.code).toBe(0);
    expect(why.stdout).toContain(`${dropped.id} (key`);
    expect(why.stdout).toContain('primary reason: exact_duplicate');
    expect(why.stdout).toContain(`as ${dropped.duplicate_of_id} (key`);

    const keeper = winnow(['why', dropped.duplicate_of_id, '--run', out1]);
    expect(keeper.stdout).toMatch(/: kept, in curated\/part-\d{5}-\d{4}\.parquet/);

    const [short] = await rows<{ id: string; key: string }>(
      `SELECT id, key FROM read_parquet(${parquetGlob(join(out1, 'rejected'))}) WHERE primary_reason = 'gopher_short_doc' ORDER BY key LIMIT 1`,
    );
    const byKey = winnow(['why', short!.key, '--run', out1, '--json']);
    const answer = JSON.parse(byKey.stdout);
    expect(answer.fates[0].id).toBe(short!.id);
    expect(answer.fates[0].reasons[0]).toMatchObject({ rule: 'gopher_short_doc', signal: 'gopher_words', op: '>=', threshold: '50' });
    expect(Number(answer.fates[0].reasons[0].value)).toBeLessThan(50);

    const missing = winnow(['why', 'no-such-document', '--run', out1]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('not found');
  });

  it.skipIf(!FULL)('chooses the same keepers whatever order the shards are listed or scheduled in (npm run test:full)', () => {
    // The run with more workers read the shards through a glob, from a folder they were copied into in reverse order.
    expect(readManifest(outMany).inputs.root).toBe(reversed);
    const a = snapshot(out1);
    const b = snapshot(outMany);
    for (const [file, bytes] of a) expect(bytes.equals(b.get(file)!), file).toBe(true);
  });
});

describe('generated corpora', () => {
  it('conserve every document across many shards, empty texts and heavy duplication', async () => {
    const texts = await fixtureTexts();
    const dir = tempDir();
    let next = 0;
    const random = (() => {
      let s = 42;
      return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    })();
    for (let shard = 0; shard < 7; shard++) {
      const docs = Array.from({ length: 150 + shard * 40 }, () => {
        const r = random();
        const text = r < 0.05 ? '' : r < 0.1 ? '   \n\n ' : texts[Math.floor(random() * 300)]!.text; // 300 texts: many repeats
        return { id: `gen-${next++}`, text };
      });
      await writeShard(join(dir, `part-${shard}.parquet`), docs, { rowGroup: 64 });
    }
    const out = join(tempDir(), 'gen');
    const pipeline = writePipeline(tempDir(), pipelineYaml({ input: dir, output: out, columns: '{ text: text, id: id }' }));
    run(pipeline, '--workers', '3');
    const { input, curated, rejected } = await accounting(dir, out);
    expect(input.length).toBe(next);
    expect([...curated, ...rejected].sort()).toEqual([...input].sort());
    const manifest = readManifest(out);
    expect(manifest.counts.documents).toEqual({ input: next, curated: curated.length, rejected: rejected.length, skipped: 0 });
    // 300 distinct texts at most survive exact dedup.
    expect(curated.length).toBeLessThanOrEqual(300);
    expect(manifest.counts.dedup.exact.duplicates).toBeGreaterThan(next / 2);
  });
});
