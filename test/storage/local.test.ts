import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RunKeys, RunLayout } from '../../src/io/layout.js';
import { LocalStorage } from '../../src/storage/local.js';
import { ROOT, tempDir } from '../helpers.js';
import { runStorageContract } from './contract.js';

runStorageContract('LocalStorage', async () => new LocalStorage(tempDir('storage-'), RunKeys.scratch));

describe('LocalStorage in a run folder', () => {
  it('keys are paths under the run folder, and scratch folders are in work/tmp/, where they always were', async () => {
    const root = tempDir('storage-');
    const layout = new RunLayout(root);
    await layout.storage.writeJson(RunKeys.marker('decide', '7'), { fingerprint: 'f', result: null });
    expect(readdirSync(join(root, 'work', 'markers', 'decide'))).toEqual(['7.json']);
    expect(await layout.scratch('dedup', 'exact-2')).toBe(join(root, 'work', 'tmp', 'dedup-exact-2'));
    expect(await layout.storage.localPath(RunKeys.exactDedup(2))).toBe(join(root, 'work', 'dedup', 'exact', 'part-00002.parquet'));
  });

  it('commits by rename: the committed file is the scratch file itself, not a copy', async () => {
    const root = tempDir('storage-');
    const storage = new LocalStorage(root, RunKeys.scratch);
    const file = join(await storage.scratch('decide-0'), 'part-0.parquet');
    writeFileSync(file, 'rows');
    const inode = statSync(file).ino;
    await storage.commitFile(file, 'curated/part-00000-0000.parquet');
    expect(statSync(join(root, 'curated', 'part-00000-0000.parquet')).ino).toBe(inode);
  });

  it('lists files only: an empty folder lists nothing, as on an object store', async () => {
    const root = tempDir('storage-');
    mkdirSync(join(root, 'curated', 'empty'), { recursive: true });
    expect(await new LocalStorage(root, RunKeys.scratch).list('curated/')).toEqual([]);
  });

  it('a JSON write killed half-way leaves nothing beside the file it was replacing (its re-run would not replace a stray)', async () => {
    const root = tempDir('storage-');
    // Another process rewrites a 30 MB shard manifest until it is killed, most likely mid-write.
    const local = pathToFileURL(join(ROOT, 'dist', 'src', 'storage', 'local.js')).href;
    const script = `const { LocalStorage } = await import(${JSON.stringify(local)});
      const storage = new LocalStorage(${JSON.stringify(root)}, 'work/tmp');
      const value = { rows: 'x'.repeat(30e6) };
      for (;;) await storage.writeJson('manifests/part-00000.json', value);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    // Once the first write is in place, the next ones are under way: kill one of them.
    while (child.exitCode === null && !existsSync(join(root, 'manifests', 'part-00000.json'))) await sleep(5);
    await sleep(150);
    expect(child.kill('SIGKILL')).toBe(true);
    await exited;
    expect(readdirSync(join(root, 'manifests')).filter((f) => f !== 'part-00000.json')).toEqual([]);
  });
});
