import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { completedResult, markCompleted, previousResult } from '../../src/execution/markers.js';
import { RunKeys, RunLayout } from '../../src/io/layout.js';
import { publish } from '../../src/phases/publish.js';
import type { RunStorage } from '../../src/storage/storage.js';

/**
 * What every RunStorage must do, as winnow relies on it: LocalStorage runs it
 * (test/storage/local.test.ts), and so will an S3 implementation, with a factory that gives a
 * fresh, empty run location per test.
 */
export function runStorageContract(name: string, makeStorage: () => Promise<RunStorage>): void {
  describe(`${name}: the RunStorage contract`, () => {
    let storage: RunStorage;
    beforeEach(async () => {
      storage = await makeStorage();
    });

    /** A finished local file, made where tasks make theirs: in a scratch folder. */
    async function localFile(name: string, content: string): Promise<string> {
      const file = join(await storage.scratch(`test-${name}`), name);
      writeFileSync(file, content);
      return file;
    }
    const read = async (key: string) => readFileSync(await storage.localPath(key), 'utf8');

    describe('JSON documents', () => {
      it('writes JSON as winnow always has (two-space indent, final newline) and reads it back', async () => {
        const value = { schema_version: 1, shards: [{ name: 'a.parquet', rows: 3 }], note: 'é' };
        await storage.writeJson('work/plan.json', value);
        expect(await storage.readJson('work/plan.json')).toEqual(value);
        expect(await read('work/plan.json')).toBe(`${JSON.stringify(value, null, 2)}\n`);
      });

      it('reads nothing (undefined) under a key never written, and throws on a document that is not JSON', async () => {
        expect(await storage.readJson('work/markers/annotate/0.json')).toBeUndefined();
        await storage.commitFile(await localFile('bad.json', '{"fingerprint": "ab'), 'work/markers/annotate/0.json');
        await expect(storage.readJson('work/markers/annotate/0.json')).rejects.toThrow();
      });

      it('replaces a document whole: a write that fails leaves the old one, and a reader of the old one is not disturbed', async () => {
        await storage.writeJson('manifest.json', { version: 1, text: 'x'.repeat(100_000) });
        // JSON.stringify throws on a BigInt: the write fails before anything is replaced.
        await expect(storage.writeJson('manifest.json', { version: 2, big: 1n })).rejects.toThrow();
        expect(await storage.readJson('manifest.json')).toEqual({ version: 1, text: 'x'.repeat(100_000) });

        const fd = openSync(await storage.localPath('manifest.json'), 'r');
        try {
          await storage.writeJson('manifest.json', { version: 3 });
          const buffer = Buffer.alloc(200_000);
          const n = readSync(fd, buffer, 0, buffer.length, 0);
          expect(JSON.parse(buffer.subarray(0, n).toString('utf8'))).toEqual({ version: 1, text: 'x'.repeat(100_000) });
        } finally {
          closeSync(fd);
        }
        expect(await storage.readJson('manifest.json')).toEqual({ version: 3 });
        expect(await storage.list('manifest')).toEqual(['manifest.json']); // no temporary left beside it
      });
    });

    describe('committing files', () => {
      it('publishes a finished local file under a key (folders made as needed), and the local file is gone', async () => {
        const file = await localFile('result.parquet', 'rows');
        await storage.commitFile(file, 'work/dedup/exact/part-00000.parquet');
        expect(await read('work/dedup/exact/part-00000.parquet')).toBe('rows');
        expect(existsSync(file)).toBe(false);
      });

      it('replaces what is under the key', async () => {
        await storage.commitFile(await localFile('a', 'first attempt'), 'curated/part-00000-0000.parquet');
        await storage.commitFile(await localFile('b', 'second attempt'), 'curated/part-00000-0000.parquet');
        expect(await read('curated/part-00000-0000.parquet')).toBe('second attempt');
        expect(await storage.list('curated/')).toEqual(['curated/part-00000-0000.parquet']);
      });

      it('publishes a finished folder in place of everything that was under its key', async () => {
        const old = await storage.scratch('annotate-0');
        writeFileSync(join(old, 'part-0000.parquet'), 'old 0');
        writeFileSync(join(old, 'part-0001.parquet'), 'old 1');
        await storage.commitDir(old, 'work/signals/00000');
        const fresh = await storage.scratch('annotate-0');
        writeFileSync(join(fresh, 'part-0000.parquet'), 'new 0');
        await storage.commitDir(fresh, 'work/signals/00000');
        expect(await storage.list('work/signals/')).toEqual(['work/signals/00000/part-0000.parquet']);
        expect(await read('work/signals/00000/part-0000.parquet')).toBe('new 0');
        expect(existsSync(fresh)).toBe(false);
      });
    });

    describe('listing, existence and removal by prefix', () => {
      beforeEach(async () => {
        for (const key of ['curated/part-00001-0000.parquet', 'curated/part-00001-0001.parquet', 'curated/part-00010-0000.parquet', 'rejected/part-00001-0000.parquet', 'work/signals/00001/part-0000.parquet']) {
          await storage.commitFile(await localFile(key.replaceAll('/', '_'), key), key);
        }
      });

      it('lists the keys under a folder or a partial name, sorted, nested ones included', async () => {
        expect(await storage.list('curated/part-00001-')).toEqual(['curated/part-00001-0000.parquet', 'curated/part-00001-0001.parquet']);
        expect(await storage.list('curated/')).toEqual(['curated/part-00001-0000.parquet', 'curated/part-00001-0001.parquet', 'curated/part-00010-0000.parquet']);
        expect(await storage.list('work/signals/')).toEqual(['work/signals/00001/part-0000.parquet']);
        expect(await storage.list('work/dedup/')).toEqual([]);
        expect(await storage.list('nothing/here/')).toEqual([]);
      });

      it('gives the size and a version of a file, which changes when the file is replaced', async () => {
        expect(await storage.stat('curated/part-00000-0000.parquet')).toBeUndefined();
        await storage.commitFile(await localFile('a', 'rows'), 'curated/part-00000-0000.parquet');
        const first = await storage.stat('curated/part-00000-0000.parquet');
        expect(first?.bytes).toBe(4);
        await new Promise((resolve) => setTimeout(resolve, 20)); // an mtime's resolution
        await storage.commitFile(await localFile('b', 'other rows'), 'curated/part-00000-0000.parquet');
        const second = await storage.stat('curated/part-00000-0000.parquet');
        expect(second?.bytes).toBe(10);
        expect(second?.etag).not.toBe(first?.etag);
      });

      it('says whether a file is stored under a key', async () => {
        expect(await storage.exists('curated/part-00001-0000.parquet')).toBe(true);
        expect(await storage.exists('curated/part-00002-0000.parquet')).toBe(false);
        expect(await storage.exists('nothing/here.json')).toBe(false);
      });

      it('removes exactly the keys under a prefix', async () => {
        await storage.remove('curated/part-00001-');
        expect(await storage.list('curated/')).toEqual(['curated/part-00010-0000.parquet']);
        expect(await storage.list('rejected/')).toEqual(['rejected/part-00001-0000.parquet']);
        await storage.remove('work/signals/00001/');
        expect(await storage.list('work/')).toEqual([]);
        await storage.remove('work/never/written/'); // nothing there: nothing to do
      });

      it('refuses to remove everything (an empty prefix)', async () => {
        await expect(storage.remove('')).rejects.toThrow(/empty prefix/);
        expect(await storage.list('curated/')).toHaveLength(3);
      });
    });

    it('refuses keys that are not relative paths inside the run', async () => {
      for (const key of ['/etc/passwd', '../outside.json', 'work/../../outside.json', 'work//plan.json', 'work\\plan.json', 'work/']) {
        await expect(storage.writeJson(key, {}), key).rejects.toThrow(/not a run storage key/);
      }
      await expect(storage.list('../')).rejects.toThrow(/not a run storage prefix/);
    });

    it('gives a task an empty scratch folder, cleared of what an earlier attempt left', async () => {
      const first = await storage.scratch('decide-3');
      writeFileSync(join(first, 'left-over.parquet'), 'partial');
      const second = await storage.scratch('decide-3');
      expect(existsSync(join(second, 'left-over.parquet'))).toBe(false);
      await expect(storage.scratch('decide/3')).rejects.toThrow();
    });

    describe('the marker is the commit', () => {
      const layout = () => new RunLayout(storage.location, storage);

      it('a task killed after committing its outputs but before its marker is not done; its re-run replaces its outputs and commits', async () => {
        // The killed attempt committed three curated files for shard 3, then died before its marker.
        const attempt = await Promise.all([0, 1, 2].map((k) => localFile(`attempt-${k}.parquet`, `attempt ${k}`)));
        await publish(storage, attempt.map((file) => ({ file, rows: 1 })), RunKeys.curated, '00003');
        expect(await completedResult(layout(), 'decide', '3', 'fp-1')).toBeUndefined();

        // The re-run writes one file: the killed attempt's other files must not survive it.
        const rerun = await localFile('rerun.parquet', 'rerun');
        const records = await publish(storage, [{ file: rerun, rows: 7 }], RunKeys.curated, '00003');
        const sha256 = createHash('sha256').update('rerun').digest('hex');
        expect(records).toEqual([{ path: 'curated/part-00003-0000.parquet', rows: 7, bytes: 5, sha256 }]);
        expect(await storage.list('curated/part-00003-')).toEqual(['curated/part-00003-0000.parquet']);
        expect(await read('curated/part-00003-0000.parquet')).toBe('rerun');

        await markCompleted(layout(), 'decide', '3', 'fp-1', { files: records.map((r) => r.path) });
        expect(await completedResult(layout(), 'decide', '3', 'fp-1')).toEqual({ files: ['curated/part-00003-0000.parquet'] });
      });

      it('a marker written for another fingerprint does not complete the task, but its result is still there to reuse', async () => {
        await markCompleted(layout(), 'annotate', '0', 'old', { content: 'c' });
        expect(await completedResult(layout(), 'annotate', '0', 'new')).toBeUndefined();
        expect(await previousResult(layout(), 'annotate', '0')).toEqual({ content: 'c' });
      });

      it('an unreadable marker counts as no marker', async () => {
        await storage.commitFile(await localFile('torn.json', '{"fingerprint":'), RunKeys.marker('annotate', '0'));
        expect(await completedResult(layout(), 'annotate', '0', 'fp')).toBeUndefined();
        expect(await previousResult(layout(), 'annotate', '0')).toBeUndefined();
      });
    });
  });
}
