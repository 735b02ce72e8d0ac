import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { compileGlob } from '../../src/io/glob.js';
import { listShards } from '../../src/io/inputs.js';
import { tempDir } from '../helpers.js';

const PATHS = [
  '/d/a.parquet', '/d/b.parquet', '/d/x/a.parquet', '/d/x/y/z.parquet', '/d/shard-00.parquet', '/d/shard-01.parquet',
  '/d/shard-10.parquet', '/d/s-1.parquet', '/d/s-12.parquet', '/d/a.json', '/d/x/a.json', '/d/[x].parquet', '/e/a.parquet',
  '/d/crawl-2024/part-1.parquet', '/d/crawl-2023/part-1.parquet', '/d/qa/p.parquet', '/d/papers/p.parquet',
];
const GLOBS = [
  '/d/*.parquet', '/d/**/*.parquet', '/d/**', '/d/*/*.parquet', '/d/shard-{00,01}.parquet', '/d/shard-[0-9][0-9].parquet',
  '/d/s-?.parquet', '/d/s-[^2].parquet', '/d/{qa,papers}/*.parquet', '/d/crawl-202{3,4}/**/*.parquet', '/d/x/**/z.parquet',
  '/d/**/x/**/*.parquet', '/d/\\[x\\].parquet', '/*/a.parquet', '/d/*a*.parquet',
];

describe('input globs, matched in linear time', () => {
  it('match as picomatch matches them, on paths without dot segments', () => {
    for (const glob of GLOBS) {
      const ours = compileGlob(glob);
      const theirs = picomatch(glob);
      for (const path of PATHS) expect(ours.matches(path), `${glob} ~ ${path}`).toBe(theirs(path));
    }
    // `[!...]` negates, as in the shell and as tinyglobby lists it.
    expect(compileGlob('/d/s-[!2].parquet').matches('/d/s-1.parquet')).toBe(true);
    expect(compileGlob('/d/s-[!2].parquet').matches('/d/s-2.parquet')).toBe(false);
  });

  it('a glob built to backtrack takes time linear in the path (picomatch: minutes)', () => {
    const glob = compileGlob('/d/*a*a*a*a*/*a*a*a*a*b/x.parquet');
    const time = (n: number) => {
      const path = `/d/${'a'.repeat(n)}/${'a'.repeat(n)}/x.parquet`;
      const t = process.hrtime.bigint();
      for (let i = 0; i < 5; i++) expect(glob.matches(path)).toBe(false);
      return Number(process.hrtime.bigint() - t) / 1e6;
    };
    time(200); // warm up
    // Linear work grows 8x from n to 8n; a quadratic one 64x. The bar sits between, with room for a busy machine.
    let ratio = Infinity;
    for (let attempt = 0; attempt < 3 && ratio > 24; attempt++) ratio = time(8 * 250) / Math.max(time(250), 0.5);
    expect(ratio).toBeLessThan(24);
  });

  it('listShards walks a hostile glob quickly and finds exactly the matches', async () => {
    const root = tempDir();
    const long = 'a'.repeat(200);
    for (const dir of [long, `${long}b`, 'x']) {
      mkdirSync(join(root, dir), { recursive: true });
      writeFileSync(join(root, dir, 'p.parquet'), '');
    }
    const { shards } = await listShards(join(root, '*a*a*a*a*b', '*.parquet'));
    expect(shards.map((s) => s.name)).toEqual([`${long}b/p.parquet`]);
    const all = await listShards(join(root, '**', '*.parquet'));
    expect(all.shards).toHaveLength(3);
  });
});
