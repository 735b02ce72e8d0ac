import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listShards } from '../../src/io/inputs.js';
import { FIXTURE_SHARDS, tempDir } from '../helpers.js';

describe('listShards', () => {
  it('lists a folder recursively, sorted by code point, with stable names', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'b'));
    for (const name of ['b/z.parquet', 'a.parquet', 'B.parquet', 'ä.parquet']) copyFileSync(join(FIXTURE_SHARDS, 'sample-00.parquet'), join(dir, name));
    const { root, shards } = await listShards(dir);
    expect(root).toBe(dir);
    expect(shards.map((s) => s.name)).toEqual(['B.parquet', 'a.parquet', 'b/z.parquet', 'ä.parquet']);
    expect(shards.map((s) => s.index)).toEqual([0, 1, 2, 3]);
  });

  it('takes a glob or a single file', async () => {
    const glob = await listShards(join(FIXTURE_SHARDS, 'sample-0[12].parquet'));
    expect(glob.root).toBe(FIXTURE_SHARDS);
    expect(glob.shards.map((s) => s.name)).toEqual(['sample-01.parquet', 'sample-02.parquet']);
    const one = await listShards(join(FIXTURE_SHARDS, 'sample-03.parquet'));
    expect(one.shards.map((s) => s.name)).toEqual(['sample-03.parquet']);
  });

  it('says when the input does not exist', async () => {
    await expect(listShards('/no/such/folder')).rejects.toThrow('/no/such/folder: the input does not exist');
  });
});
