import { copyFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { InputError } from '../io/errors.js';
import { partLabel, RunKeys, type RunLayout } from '../io/layout.js';
import { readParquetChunks, type ParquetChunks } from '../io/parquet-layout.js';
import type { AnnotateResult } from '../phases/annotate.js';
import type { RunPlan } from '../phases/context.js';
import type { RunManifest } from '../phases/report.js';
import { S3Storage } from '../storage/s3.js';
import { TEXT, textsByKey } from '../audit/texts.js';
import { makeDirs } from '../storage/dirs.js';


/** A local folder laid out as a run on S3, holding what its report reads. */
export interface RunMirror {
  dir: string;
  /** The texts of documents by key (null for a key no signals file holds). */
  texts(con: DuckDBConnection, keys: readonly string[]): Promise<Map<string, string | null>>;
}

interface SparseFile {
  object: { bucket: string; key: string; etag: string; bytes: number };
  chunks: ParquetChunks;
}

/**
 * Mirrors what the report of one iteration of a run on S3 reads into `dir`, under the same keys:
 * the manifests, plan and annotate markers; the small result files (scores, near duplicates,
 * boilerplate lines, the tree's node counts) whole; and the signals and rejected rows without
 * their text: only the other columns' chunks, with ranged GETs, into sparse files of the objects'
 * sizes (the text is most of a run's bytes). The texts of the few documents the report samples come
 * afterwards, each its row group's text chunk (`texts`). Every read names the version it listed.
 * A sampled document costs its row group's text (output.row_group_rows documents, compressed).
 */
export async function mirrorRun(layout: RunLayout, dir: string, iteration?: number): Promise<RunMirror> {
  if (!(layout.storage instanceof S3Storage)) throw new Error(`${layout.root} is not a run on S3`);
  const storage: S3Storage = layout.storage;
  const put = (key: string, value: unknown) => {
    makeDirs(dirname(join(dir, key)));
    writeFileSync(join(dir, key), JSON.stringify(value));
  };
  const json = async <T>(key: string): Promise<T | undefined> => {
    const value = await storage.readJson<T>(key);
    if (value !== undefined) put(key, value);
    return value;
  };
  const whole = async (key: string) => {
    makeDirs(dirname(join(dir, key)));
    copyFileSync(await storage.localPath(key), join(dir, key));
  };
  const sparse = new Map<string, SparseFile>();
  const withoutText = async (key: string) => {
    const object = await storage.object(key);
    if (!object) throw new InputError(layout.where(key), 'vanished while the report read the run');
    const chunks = await readParquetChunks(object.url, { bytes: object.bytes, read: (start, end) => storage.readRange(object, start, end) });
    await storage.downloadRanges(object, framed(object, chunks, chunks.rowGroups.keys(), (column) => column !== TEXT), join(dir, key));
    sparse.set(join(dir, key), { object, chunks });
  };

  try {
    const latest = await json<RunManifest>(RunKeys.manifest);
    if (!latest) throw new InputError(layout.where(''), 'not a finished winnow run (no manifest.json): run `winnow run` first');
    const prefix = iteration === undefined || latest.iteration === iteration ? '' : `${RunKeys.iteration(iteration)}/`;
    const manifest = prefix ? await json<RunManifest>(`${prefix}${RunKeys.manifest}`) : latest;
    if (!manifest) throw new InputError(layout.where(''), `has no iteration ${iteration} (its iterations are 0 to ${latest.iteration})`);
    if (prefix && (await storage.exists(`${prefix}${RunKeys.report}`))) await whole(`${prefix}${RunKeys.report}`);
    const plan = await json<RunPlan>(RunKeys.plan);
    const parts: AnnotateResult[] = [];
    for (const shard of plan?.shards ?? []) {
      for (const p of (shard.parts ?? [undefined]).keys()) {
        const marker = await json<{ result: AnnotateResult }>(RunKeys.marker('annotate', partLabel(shard.index, p)));
        if (marker) parts.push(marker.result);
      }
    }
    const small = [
      ...manifest.models.flatMap((m) => parts.map((r) => RunKeys.scores(m.name, r.shard, r.part))),
      RunKeys.nearDuplicates,
      ...(await storage.list('work/dedup/lines/')).filter((k) => k.endsWith('.parquet')),
      RunKeys.met.nodes,
    ];
    for (const key of small) if (await storage.exists(key)) await whole(key);
    for (const key of parts.flatMap((r) => r.signalFiles)) await withoutText(key);
    for (const key of (await storage.list(`${prefix}${RunKeys.rejected}/`)).filter((k) => k.endsWith('.parquet'))) await withoutText(key);
  } finally {
    await storage.clearCache();
  }

  const signals = [...sparse.keys()].filter((f) => f.startsWith(join(dir, 'work', 'signals')));
  let fetched = 0;
  return {
    dir,
    texts: (con, keys) =>
      textsByKey(
        con,
        signals,
        keys,
        async (file, chunks, rowGroups) => {
          // Into a file of its own (DuckDB has read the mirrored one, and may hold its holes in
          // its cache): the head, these row groups' text chunks and the tail.
          const object = sparse.get(file)!.object;
          const texted = `${file}.texts-${++fetched}.parquet`;
          await storage.downloadRanges(object, framed(object, chunks, rowGroups, (column) => column === TEXT), texted);
          return texted;
        },
        async (file) => sparse.get(file)!.chunks,
      ),
  };
}

/**
 * The byte ranges a reader of some columns of some row groups needs: the file's head (magic), those
 * column chunks, and its tail (page indexes, footer), merged.
 */
function framed(object: { bytes: number }, chunks: ParquetChunks, rowGroups: Iterable<number>, column: (name: string) => boolean): [number, number][] {
  const ranges: [number, number][] = [[0, Math.min(4, object.bytes)], [chunks.tailStart, object.bytes]];
  for (const rg of rowGroups) for (const c of chunks.rowGroups[rg]!.chunks) if (column(c.column)) ranges.push([c.start, c.end]);
  return merge(ranges);
}

/** Sorted, overlapping or touching ranges merged: fewer requests. */
function merge(ranges: [number, number][]): [number, number][] {
  const sorted = ranges.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const r of sorted) {
    const last = out.at(-1);
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}
